import { describe, expect, it } from 'vitest';
import {
  CSAT_SCORE_FIELDS,
  NPS_SCORE_FIELDS,
  PP100_SCORE_FIELDS,
  applyMinN,
  csatFromCounts,
  npsFromCounts,
  pp100FromCounts,
} from '../../../api/src/analytics/engine/statistics/index.ts';

describe('applyMinN', () => {
  it('keeps counts but nulls scores below the default minN of 5', () => {
    const result = applyMinN(npsFromCounts({ promoters: 3, passives: 0, detractors: 1 }), NPS_SCORE_FIELDS);
    expect(result).toEqual({ n: 4, promoters: 3, passives: 0, detractors: 1, score: null, se: null, ci95: null, suppressed: true });
  });

  it('does not suppress at exactly minN', () => {
    const result = applyMinN(npsFromCounts({ promoters: 3, passives: 1, detractors: 1 }), NPS_SCORE_FIELDS);
    expect(result.suppressed).toBe(false);
    expect(result.score).toBeCloseTo(40, 12);
  });

  it('honours a survey-specific minN', () => {
    const csat = applyMinN(csatFromCounts({ n: 9, top2: 6, sum: 35 }), CSAT_SCORE_FIELDS, 10);
    expect(csat).toEqual({ n: 9, top2: null, mean: null, ci95: null, suppressed: true });
    const pp100 = applyMinN(pp100FromCounts({ n: 9, totalProblems: 4, sumSquaresProblems: 6, withAnyProblem: 3 }), PP100_SCORE_FIELDS, 3);
    expect(pp100.suppressed).toBe(false);
    expect(pp100.value).toBeCloseTo(400 / 9, 12);
  });

  it('rejects a nonsensical minN', () => {
    expect(() => applyMinN({ n: 3, score: 1 }, ['score'], -1)).toThrow(RangeError);
  });
});
