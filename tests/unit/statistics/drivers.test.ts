import { describe, expect, it } from 'vitest';
import {
  InsufficientSampleError,
  TooManyDriversError,
  correlationFromSums,
  driverAnalysis,
  quadrantOf,
  rSquared,
  relativeWeights,
  shapleyLmg,
  standardisedBetas,
} from '../../../api/src/analytics/engine/statistics/index.ts';
import { MTCARS } from './mtcars.ts';
import { correlatedData, correlationMatrix, sumsOf } from './random.ts';

describe('relative weights on the rwa / mtcars example (mpg ~ cyl + disp + hp + gear)', () => {
  // Sums as one SQL pass would return them, over [mpg, cyl, disp, hp, gear].
  const { R, r } = correlationFromSums(sumsOf(MTCARS));

  it('checks the embedded data: known mtcars column means', () => {
    const { means, yMean } = correlationFromSums(sumsOf(MTCARS));
    expect(yMean).toBeCloseTo(20.090625, 10);
    expect(means[0]).toBeCloseTo(6.1875, 10);
    expect(means[1]).toBeCloseTo(230.721875, 10);
    expect(means[2]).toBeCloseTo(146.6875, 10);
    expect(means[3]).toBeCloseTo(3.6875, 10);
  });

  it('R² 0.7791896', () => {
    expect(rSquared(R, r)).toBeCloseTo(0.7791896, 7);
  });

  it('raw weights 0.2284797, 0.2221469, 0.2321744, 0.0963886 and shares 29.32274, 28.50999, 29.79691, 12.37037', () => {
    const result = relativeWeights(R, r);
    [0.2284797, 0.2221469, 0.2321744, 0.0963886].forEach((w, j) => expect(result.rawWeights[j]).toBeCloseTo(w, 7));
    [29.32274, 28.50999, 29.79691, 12.37037].forEach((s, j) => expect(result.shares[j]).toBeCloseTo(s, 5));
    expect(result.r2).toBeCloseTo(0.7791896, 7);
  });

  it('signs come from the standardised betas (cyl, disp, hp negative; gear positive)', () => {
    const betas = standardisedBetas(R, r);
    // numpy lstsq on the z-scored data
    [-0.25668522, -0.24478426, -0.34698099, 0.17420781].forEach((b, j) => expect(betas[j]).toBeCloseTo(b, 7));
    expect(relativeWeights(R, r).signs).toEqual([-1, -1, -1, 1]);
  });
});

// ----- Independent brute force for Shapley/LMG: R² via determinants, all p! orderings. -----

function determinant(matrix: number[][]): number {
  const a = matrix.map((row) => row.slice());
  let det = 1;
  for (let col = 0; col < a.length; col++) {
    let pivot = col;
    for (let row = col + 1; row < a.length; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    if (pivot !== col) {
      [a[col], a[pivot]] = [a[pivot], a[col]];
      det = -det;
    }
    det *= a[col][col];
    for (let row = col + 1; row < a.length; row++) {
      const f = a[row][col] / a[col][col];
      for (let j = col; j < a.length; j++) a[row][j] -= f * a[col][j];
    }
  }
  return det;
}

/** R² of y on the drivers in `subset`: 1 − det(C_{y,S}) / det(C_S), C the full [y, x…] correlation matrix. */
function bruteRSquared(C: number[][], subset: number[]): number {
  if (subset.length === 0) return 0;
  const withY = [0, ...subset.map((j) => j + 1)];
  const pick = (indexes: number[]) => indexes.map((i) => indexes.map((j) => C[i][j]));
  return 1 - determinant(pick(withY)) / determinant(pick(subset.map((j) => j + 1)));
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function bruteForceLmg(C: number[][], p: number): number[] {
  const orderings = permutations(Array.from({ length: p }, (_, j) => j));
  const totals = new Array<number>(p).fill(0);
  for (const ordering of orderings) {
    for (let k = 0; k < p; k++) {
      const before = ordering.slice(0, k);
      totals[ordering[k]] += bruteRSquared(C, [...before, ordering[k]]) - bruteRSquared(C, before);
    }
  }
  return totals.map((t) => t / orderings.length);
}

describe('shapleyLmg', () => {
  for (const [p, seed] of [
    [4, 101],
    [6, 202],
  ] as const) {
    it(`equals the average over all ${p}! orderings (random correlated data, p = ${p}), and Σ LMG = R²`, () => {
      const C = correlationMatrix(correlatedData(seed, 400, p));
      const R = C.slice(1).map((row) => row.slice(1));
      const r = C[0].slice(1);
      const expected = bruteForceLmg(C, p);
      const result = shapleyLmg(R, r);
      expected.forEach((value, j) => expect(result.weights[j]).toBeCloseTo(value, 12));
      // The drivers differ: a wrong subset weighting would not reproduce this spread.
      expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.01);
      const total = result.weights.reduce((s, w) => s + w, 0);
      expect(total).toBeCloseTo(
        bruteRSquared(
          C,
          Array.from({ length: p }, (_, j) => j),
        ),
        12,
      );
      expect(result.r2).toBeCloseTo(total, 12);
      expect(result.shares.reduce((s, v) => s! + v!, 0)).toBeCloseTo(100, 10);
    });
  }

  it('refuses more than 15 drivers with TooManyDriversError', () => {
    const R = Array.from({ length: 16 }, (_, i) => Array.from({ length: 16 }, (_, j) => (i === j ? 1 : 0)));
    const r = new Array<number>(16).fill(0.1);
    expect(() => shapleyLmg(R, r)).toThrow(TooManyDriversError);
    expect(() => driverAnalysis({ R, r, n: 1000, method: 'shapley' })).toThrow(TooManyDriversError);
    // relative weights have no such limit
    expect(driverAnalysis({ R, r, n: 1000 }).drivers).toHaveLength(16);
  });
});

describe('driverAnalysis', () => {
  // Uncorrelated drivers: both methods give weight_j = r_j² exactly.
  const R = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  const r = [0.5, 0.4, -0.2, 0.1];

  it('assigns importance–performance quadrants around 100/p and the mean performance', () => {
    // shares 54.3, 34.8, 8.7, 2.2 vs cut 25; performance mean 70
    const result = driverAnalysis({ R, r, n: 500, performance: [60, 80, 90, 50] });
    expect(result.method).toBe('relative_weights');
    expect(result.r2).toBeCloseTo(0.46, 12);
    expect(result.drivers.map((d) => d.weight)).toEqual(r.map((x) => expect.closeTo(x * x, 12)));
    expect(result.drivers[0].share).toBeCloseTo((100 * 0.25) / 0.46, 10);
    expect(result.drivers.map((d) => d.quadrant)).toEqual(['concentrate_here', 'keep_up', 'possible_overkill', 'low_priority']);
    expect(result.drivers[2].sign).toBe(-1);
    expect(result.drivers[2].beta).toBeCloseTo(-0.2, 12);
    expect(result.warnings).toEqual([]);
  });

  it('leaves quadrants null without performance, and Shapley gives the same weights here', () => {
    const result = driverAnalysis({ R, r, n: 500, method: 'shapley' });
    expect(result.method).toBe('shapley');
    expect(result.drivers.every((d) => d.quadrant === null && d.performance === null)).toBe(true);
    result.drivers.forEach((d, j) => expect(d.weight).toBeCloseTo(r[j] ** 2, 12));
  });

  it('warns small_sample below 50 + 8p and refuses n < p + 2', () => {
    expect(driverAnalysis({ R, r, n: 81 }).warnings).toEqual(['small_sample']);
    expect(driverAnalysis({ R, r, n: 82 }).warnings).toEqual([]);
    expect(driverAnalysis({ R, r, n: 6 }).warnings).toEqual(['small_sample']);
    expect(() => driverAnalysis({ R, r, n: 5 })).toThrow(InsufficientSampleError);
  });

  it('quadrantOf counts a value on a cut line as high', () => {
    expect(quadrantOf(25, 70, 25, 70)).toBe('keep_up');
    expect(quadrantOf(24.9, 70, 25, 70)).toBe('possible_overkill');
    expect(quadrantOf(25, 69.9, 25, 70)).toBe('concentrate_here');
  });
});
