import { describe, expect, it } from 'vitest';
import { npsCategory, npsDifference, npsFromCounts, weightedNps } from '../../../api/src/analytics/engine/statistics/index.ts';
import { npsCategorySql } from '../../../api/src/analytics/engine/nps.queries.ts';

describe('npsFromCounts (docs/statistics.md test vectors)', () => {
  const a = npsFromCounts({ detractors: 20, passives: 30, promoters: 50 });

  it('NPS 30, SE 7.8102 for (D, passives, P) = (20, 30, 50)', () => {
    expect(a.n).toBe(100);
    expect(a.score).toBeCloseTo(30, 12);
    // v = 0.61, SE = 100 √(0.61 / 100)
    expect(a.se).toBeCloseTo(7.8102, 4);
    expect(a.se).toBeCloseTo(100 * Math.sqrt(0.0061), 12);
  });

  it('adjusted-Wald interval [14.05, 44.20] centred on the adjusted NPS 29.126', () => {
    const [lo, hi] = a.ci95!;
    expect(lo).toBeCloseTo(14.05, 2);
    expect(hi).toBeCloseTo(44.2, 2);
    expect((lo + hi) / 2).toBeCloseTo(29.126, 3);
  });

  it('difference against (30, 30, 40): 20, SE 11.402, z 1.754, p 0.0794', () => {
    const d = npsDifference({ detractors: 20, passives: 30, promoters: 50 }, { detractors: 30, passives: 30, promoters: 40 });
    expect(d.difference).toBeCloseTo(20, 10);
    expect(d.se).toBeCloseTo(11.402, 3);
    expect(d.z).toBeCloseTo(1.754, 3);
    expect(d.p).toBeCloseTo(0.0794, 4);
  });

  it('accepts estimates as well as counts and keeps the sign of the difference', () => {
    const b = npsFromCounts({ detractors: 30, passives: 30, promoters: 40 });
    const d = npsDifference(b, a);
    expect(d.difference).toBeCloseTo(-20, 10);
    expect(d.z).toBeCloseTo(-1.754, 3);
    expect(d.p).toBeCloseTo(0.0794, 4);
  });

  it('clips the interval at 100 when everyone is a promoter', () => {
    const all = npsFromCounts({ detractors: 0, passives: 0, promoters: 5 });
    expect(all.score).toBe(100);
    expect(all.se).toBe(0);
    // adjusted: p = 5.75/8, d = 0.75/8, NPS_adj = 62.5, v = 0.421875
    expect(all.ci95![0]).toBeCloseTo(62.5 - 1.959964 * 100 * Math.sqrt(0.421875 / 8), 10);
    expect(all.ci95![1]).toBe(100);
  });

  it('returns null score, se and interval for n = 0, and no test against an empty group', () => {
    const empty = npsFromCounts({ detractors: 0, passives: 0, promoters: 0 });
    expect(empty).toMatchObject({ n: 0, score: null, se: null, ci95: null });
    expect(npsDifference(empty, a)).toEqual({ difference: null, se: null, z: null, p: null });
  });

  it('gives no z when both standard errors are 0', () => {
    const d = npsDifference({ detractors: 0, passives: 0, promoters: 10 }, { detractors: 0, passives: 7, promoters: 0 });
    expect(d.difference).toBe(100);
    expect(d.z).toBeNull();
    expect(d.p).toBeNull();
  });

  it('rejects negative counts', () => {
    expect(() => npsFromCounts({ detractors: -1, passives: 0, promoters: 3 })).toThrow(RangeError);
  });
});

describe('weightedNps', () => {
  it('uses Σw·y / Σw and reports the effective n', () => {
    // Cell A: 20 promoters with weight 3; cell B: 40 passives + 40 detractors with weight 0.5.
    const result = weightedNps({
      n: 100,
      sumWeights: 20 * 3 + 80 * 0.5,
      sumWeightedScores: 20 * 3 - 40 * 0.5,
      sumSquaredWeights: 20 * 9 + 80 * 0.25,
      sumWeightedSquaredScores: 20 * 3 + 40 * 0.5,
    });
    expect(result.score).toBeCloseTo(40, 12); // unweighted it would be −20
    expect(result.effectiveN).toBeCloseTo(50, 12);
    // v_w = 0.8 − 0.4² = 0.64; SE = 100 √(0.64 / 50)
    expect(result.se).toBeCloseTo(11.313708498984761, 12);
  });

  it('leaves SE null without Σw·y², and everything null without weight', () => {
    expect(weightedNps({ n: 3, sumWeights: 3, sumWeightedScores: 1, sumSquaredWeights: 3 }).se).toBeNull();
    expect(weightedNps({ n: 0, sumWeights: 0, sumWeightedScores: 0, sumSquaredWeights: 0 })).toEqual({
      n: 0,
      effectiveN: null,
      score: null,
      se: null,
    });
  });
});

describe('npsCategory and its SQL twin', () => {
  it('9–10 promoter, 7–8 passive, 0–6 detractor', () => {
    const byScore = Array.from({ length: 11 }, (_, score) => npsCategory(score));
    expect(byScore).toEqual([...Array(7).fill('detractor'), 'passive', 'passive', 'promoter', 'promoter']);
  });

  it('the SQL fragment uses the same limits and leaves no score uncategorised', () => {
    expect(npsCategorySql('x')).toBe("(case when x >= 9 then 'promoter' when x >= 7 then 'passive' when x is not null then 'detractor' end)");
  });
});
