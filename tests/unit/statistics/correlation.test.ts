import { describe, expect, it } from 'vitest';
import { ConstantVariableError, correlationFromSums } from '../../../api/src/analytics/engine/statistics/index.ts';
import { correlatedData, correlationMatrix, sumsOf } from './random.ts';

describe('correlationFromSums', () => {
  it('matches the two-pass Pearson correlations, with y split off as r', () => {
    const rows = correlatedData(11, 300, 4).map((row) => row.map((v) => 50 + 10 * v)); // 0–100-like scale
    const reference = correlationMatrix(rows);
    const result = correlationFromSums(sumsOf(rows));
    expect(result.n).toBe(300);
    for (let i = 0; i < 4; i++) {
      expect(result.r[i]).toBeCloseTo(reference[0][i + 1], 10);
      for (let j = 0; j < 4; j++) expect(result.R[i][j]).toBeCloseTo(reference[i + 1][j + 1], 10);
    }
    expect(result.yMean).toBeCloseTo(rows.reduce((s, row) => s + row[0], 0) / 300, 10);
  });

  it('gives sample SDs (n − 1) and reads only the upper triangle', () => {
    const rows = [
      [1, 2, 0],
      [2, 4, 1],
      [3, 7, 1],
      [4, 7, 0],
    ];
    const sums = sumsOf(rows);
    const upperOnly = sums.crossProducts.map((row, i) => row.map((v, j) => (j >= i ? v : 0)));
    const result = correlationFromSums({ ...sums, crossProducts: upperOnly });
    expect(result.ySd).toBeCloseTo(Math.sqrt(5 / 3), 12); // y = 1..4
    expect(result.sd[0]).toBeCloseTo(Math.sqrt(18 / 3), 12); // x1 = 2,4,7,7 (mean 5, Σd² = 18)
    // r(y, x1) = Σd_y·d_x / √(Σd_y² Σd_x²) = 9 / √(5 · 18)
    expect(result.r[0]).toBeCloseTo(9 / Math.sqrt(5 * 18), 12);
    expect(result.R[1][0]).toBe(result.R[0][1]);
  });

  it('throws ConstantVariableError naming a constant variable', () => {
    const rows = [
      [1, 3, 5],
      [2, 3, 6],
      [4, 3, 8],
    ];
    expect(() => correlationFromSums(sumsOf(rows))).toThrow(ConstantVariableError);
    try {
      correlationFromSums(sumsOf(rows));
    } catch (error) {
      expect((error as ConstantVariableError).indexes).toEqual([1]);
    }
  });
});
