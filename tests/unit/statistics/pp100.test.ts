import { describe, expect, it } from 'vitest';
import { pp100FromCounts } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('pp100FromCounts', () => {
  it('computes PP100, incidence and SE from SQL-style sums', () => {
    const problemsPerResponse = [0, 0, 1, 2, 0, 3, 0, 0, 1, 0];
    const result = pp100FromCounts({
      n: problemsPerResponse.length,
      totalProblems: problemsPerResponse.reduce((a, b) => a + b, 0),
      sumSquaresProblems: problemsPerResponse.reduce((a, b) => a + b * b, 0),
      withAnyProblem: problemsPerResponse.filter((x) => x > 0).length,
    });
    expect(result.value).toBeCloseTo(70, 12);
    expect(result.incidence).toBeCloseTo(40, 12);
    // s² = (15 − 7²/10) / 9 = 10.1 / 9 (sample variance); SE = 100 s / √10
    expect(result.se).toBeCloseTo((100 * Math.sqrt(10.1 / 9)) / Math.sqrt(10), 12);
    expect(result.se).toBeCloseTo(33.4996, 4);
  });

  it('returns null scores for n = 0 and no SE for n = 1', () => {
    expect(pp100FromCounts({ n: 0, totalProblems: 0, sumSquaresProblems: 0, withAnyProblem: 0 })).toEqual({
      n: 0,
      value: null,
      incidence: null,
      se: null,
    });
    expect(pp100FromCounts({ n: 1, totalProblems: 2, sumSquaresProblems: 4, withAnyProblem: 1 })).toEqual({
      n: 1,
      value: 200,
      incidence: 100,
      se: null,
    });
  });
});
