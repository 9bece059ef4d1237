import { describe, expect, it } from 'vitest';
import { csatFromCounts, twoProportionZTest, wilsonInterval } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('wilsonInterval', () => {
  it('reproduces Newcombe (1998), 81/263 → 0.2553 to 0.3662', () => {
    const [lo, hi] = wilsonInterval(81, 263)!;
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] with a non-zero upper limit at 0 successes (Wald would give [0, 0])', () => {
    // Closed form at x = 0: upper = z² / (n + z²)
    const [lo, hi] = wilsonInterval(0, 10)!;
    expect(lo).toBeCloseTo(0, 15);
    expect(hi).toBeCloseTo(1.959964 ** 2 / (10 + 1.959964 ** 2), 12);
  });

  it('is null for n = 0 and rejects successes > n', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
  });
});

describe('csatFromCounts', () => {
  it('reports top-2-box and its Wilson interval in percent, plus the mean', () => {
    const result = csatFromCounts({ n: 263, top2: 81, sum: 900 });
    expect(result.n).toBe(263);
    expect(result.top2).toBeCloseTo(30.798479087452474, 12);
    expect(result.mean).toBeCloseTo(3.4220532319391634, 12);
    expect(result.ci95![0]).toBeCloseTo(25.53, 2);
    expect(result.ci95![1]).toBeCloseTo(36.62, 2);
  });

  it('is null for n = 0', () => {
    expect(csatFromCounts({ n: 0, top2: 0, sum: 0 })).toEqual({ n: 0, top2: null, mean: null, ci95: null });
  });
});

describe('twoProportionZTest', () => {
  it('equals the 2×2 chi-square test without continuity correction (z² = χ²)', () => {
    // 45/100 vs 30/100: χ² = 200 (45·70 − 55·30)² / (100·100·75·125) = 4.8
    const result = twoProportionZTest(45, 100, 30, 100);
    expect(result.difference).toBeCloseTo(0.15, 12);
    expect(result.z! ** 2).toBeCloseTo(4.8, 12);
    expect(result.se).toBeCloseTo(Math.sqrt(0.375 * 0.625 * 0.02), 12);
    expect(result.p).toBeCloseTo(0.028459736916310638, 12);
  });

  it('has no z when both groups are all successes', () => {
    expect(twoProportionZTest(5, 5, 8, 8)).toEqual({ difference: 0, se: 0, z: null, p: null });
  });
});
