import { describe, expect, it } from 'vitest';
import { meanVarianceFromSums, welchTTest } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('welchTTest', () => {
  it('matches the hand computation', () => {
    // se² = 16/10 + 9/15 = 2.2; t = 3 / √2.2; df = 2.2² / (1.6²/9 + 0.6²/14)
    const result = welchTTest({ n: 10, mean: 20, variance: 16 }, { n: 15, mean: 17, variance: 9 });
    expect(result.difference).toBe(3);
    expect(result.t).toBeCloseTo(2.0225995873897262, 12);
    expect(result.df).toBeCloseTo(15.60491299897646, 10);
    // scipy.stats.ttest_ind_from_stats(20, 4, 10, 17, 3, 15, equal_var=False)
    expect(result.p).toBeCloseTo(0.060599158627668646, 10);
  });

  it('is null where undefined', () => {
    expect(welchTTest({ n: 1, mean: 3, variance: 0 }, { n: 5, mean: 2, variance: 1 }).t).toBeNull();
    const constant = welchTTest({ n: 4, mean: 3, variance: 0 }, { n: 5, mean: 2, variance: 0 });
    expect(constant).toEqual({ difference: 1, t: null, df: null, p: null });
  });
});

describe('meanVarianceFromSums', () => {
  it('gives the sample variance (n − 1) from Σx and Σx²', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const sum = values.reduce((a, b) => a + b, 0);
    const sumSquares = values.reduce((a, b) => a + b * b, 0);
    const result = meanVarianceFromSums(values.length, sum, sumSquares);
    expect(result.mean).toBe(5);
    expect(result.variance).toBeCloseTo(32 / 7, 12); // population variance would be 4
  });
});
