// An action plan's figure before and after its start (docs/statistics.md#action-plans-before-and-after),
// against values computed by hand (and checked with scipy for the t quantile).
import { describe, expect, it } from 'vitest';
import { beforeAfter, studentTQuantile, type PeriodSums } from '../../../api/src/analytics/engine/statistics/before-after.ts';

const sums = (over: Partial<PeriodSums>): PeriodSums => ({
  nps: { n: 0, promoters: 0, detractors: 0 },
  csat: { n: 0, top2: 0 },
  csi: { n: 0, sum: 0, sumSquares: 0 },
  problems: { n: 0, sum: 0, sumSquares: 0, any: 0 },
  ...over,
});

describe('before and after', () => {
  it('CSAT top-2: Wilson intervals, an unpooled interval and the pooled z-test for the change', () => {
    const r = beforeAfter('csat', sums({ csat: { n: 50, top2: 30 } }), sums({ csat: { n: 50, top2: 40 } }), 5);
    expect(r.before.value).toBeCloseTo(60, 10);
    expect(r.before.ci95![0]).toBeCloseTo(46.1814, 3);
    expect(r.before.ci95![1]).toBeCloseTo(72.3916, 3);
    expect(r.after.ci95![0]).toBeCloseTo(66.9629, 3);
    expect(r.change.value).toBeCloseTo(20, 10);
    expect(r.change.ci95![0]).toBeCloseTo(2.4695, 3);
    expect(r.change.ci95![1]).toBeCloseTo(37.5305, 3);
    // pooled p̂ = 0.7: z = 0.2 / √(0.21 · 2/50) = 2.1822
    expect(r.change.p).toBeCloseTo(0.0291, 4);
  });

  it('CSI: the mean index with a t interval (t(0.975, 3) = 3.182446)', () => {
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.182446, 5);
    // 60, 70, 80, 90: mean 75, s² = 166.67
    const four = { n: 4, sum: 300, sumSquares: 23_000 };
    const r = beforeAfter('csi', sums({ csi: four }), sums({ csi: four }), 3);
    expect(r.before.value).toBe(75);
    expect(r.before.ci95![0]).toBeCloseTo(54.4574, 3);
    expect(r.before.ci95![1]).toBeCloseTo(95.5426, 3);
    expect(r.change.value).toBe(0);
    expect(r.change.p).toBeCloseTo(1, 10);
  });

  it('PP100: value ± 1.96 · SE, and nothing under the minimum n', () => {
    // problems per response 0, 1, 2, 1: PP100 100, SE = 100 · √(2/3) / 2
    const r = beforeAfter('pp100', sums({ problems: { n: 4, sum: 4, sumSquares: 6, any: 3 } }), sums({ problems: { n: 2, sum: 0, sumSquares: 0, any: 0 } }), 3);
    expect(r.before.value).toBe(100);
    expect(r.before.ci95![0]).toBeCloseTo(19.9848, 3);
    expect(r.before.ci95![1]).toBeCloseTo(180.0152, 3);
    expect(r.after).toEqual({ n: 2, value: null, ci95: null });
    expect(r.change).toEqual({ value: null, ci95: null, p: null });
  });
});
