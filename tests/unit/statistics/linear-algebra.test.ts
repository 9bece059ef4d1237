import { describe, expect, it } from 'vitest';
import { SingularMatrixError, identity, inverse, multiply, solve, symmetricEigen, transpose } from '../../../api/src/analytics/engine/statistics/index.ts';
import { seededNormal } from './random.ts';

function expectMatrixClose(actual: number[][], expected: number[][], digits = 12) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i][j], digits)));
}

describe('multiply / transpose', () => {
  it('multiplies non-square matrices', () => {
    expect(
      multiply(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8],
          [9, 10],
          [11, 12],
        ],
      ),
    ).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(
      transpose([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });
});

describe('inverse / solve', () => {
  it('needs pivoting when the first pivot is zero', () => {
    const a = [
      [0, 2, 1],
      [1, 1, 0],
      [3, 0, 1],
    ];
    expectMatrixClose(multiply(a, inverse(a)), identity(3));
    // x = (1, 2, 3): A x = (7, 3, 6)
    solve(a, [7, 3, 6]).forEach((value, i) => expect(value).toBeCloseTo([1, 2, 3][i], 12));
  });

  it('throws SingularMatrixError for a singular (collinear) matrix', () => {
    expect(() =>
      inverse([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(SingularMatrixError);
    expect(() =>
      solve(
        [
          [1, 0.5, 1],
          [0.5, 1, 0.5],
          [1, 0.5, 1],
        ],
        [0.1, 0.2, 0.3],
      ),
    ).toThrow(SingularMatrixError);
  });
});

describe('symmetricEigen (Jacobi)', () => {
  it('finds eigenvalues 3 and 1 of [[2, 1], [1, 2]], largest first', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0][0] * vectors[1][0]).toBeGreaterThan(0); // (1, 1)/√2 belongs to 3
  });

  it('reconstructs a random symmetric 7×7 matrix with orthonormal eigenvectors', () => {
    const normal = seededNormal(7);
    const b = Array.from({ length: 7 }, () => Array.from({ length: 7 }, () => normal()));
    const a = multiply(b, transpose(b));
    const { values, vectors } = symmetricEigen(a);
    expectMatrixClose(multiply(transpose(vectors), vectors), identity(7));
    const reconstructed = multiply(
      multiply(
        vectors,
        values.map((v, i) => values.map((_, j) => (i === j ? v : 0))),
      ),
      transpose(vectors),
    );
    expectMatrixClose(reconstructed, a, 10);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    // trace is preserved
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(
      a.reduce((s, row, i) => s + row[i], 0),
      10,
    );
  });
});
