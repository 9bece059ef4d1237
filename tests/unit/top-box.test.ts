import { describe, expect, it } from 'vitest';
import { csatFromCounts, meanInterval, tQuantile975, targetStatus, topBoxFromCounts } from '../../api/src/analytics/engine/statistics/index.ts';

describe('topBoxFromCounts', () => {
  it('is the share of the highest answer in percent with its Wilson interval', () => {
    // 40 of 100 answered 5: p = 0.4, z² = 3.841459; centre = (0.4 + z²/200) / (1 + z²/100) = 0.403699,
    // half-width = z / (1 + z²/100) · √(0.24/100 + z²/40000) = 0.094293 → [30.9401, 49.7997] %.
    const result = topBoxFromCounts({ n: 100, topBox: 40 });
    expect(result.n).toBe(100);
    expect(result.topBox).toBe(40);
    expect(result.ci95![0]).toBeCloseTo(30.940129, 5);
    expect(result.ci95![1]).toBeCloseTo(49.799741, 5);
  });

  it('is at most the top-2-box of the same answers (answers 5, 5, 5, 4, 4, 3, 2, 1, 5, 4, 3, 1)', () => {
    const answers = [5, 5, 5, 4, 4, 3, 2, 1, 5, 4, 3, 1];
    const topBox = topBoxFromCounts({ n: answers.length, topBox: answers.filter((a) => a === 5).length });
    const top2 = csatFromCounts({ n: answers.length, top2: answers.filter((a) => a >= 4).length, sum: answers.reduce((a, b) => a + b, 0) });
    expect(topBox.topBox).toBeCloseTo((100 * 4) / 12, 12);
    expect(top2.top2).toBeCloseTo((100 * 7) / 12, 12);
  });

  it('reaches 100 % at the top of a full-marks group, and is null without answers', () => {
    const all = topBoxFromCounts({ n: 12, topBox: 12 });
    expect(all.topBox).toBe(100);
    expect(all.ci95![0]).toBeCloseTo(75.750599, 5);
    expect(all.ci95![1]).toBe(100);
    expect(topBoxFromCounts({ n: 0, topBox: 0 })).toEqual({ n: 0, topBox: null, ci95: null });
    expect(() => topBoxFromCounts({ n: 3, topBox: 4 })).toThrow(RangeError);
  });
});

describe('targetStatus', () => {
  const higher = 'higher' as const;
  it('is met only when the whole interval is above a higher-is-better target', () => {
    expect(targetStatus({ value: 40, ci95: [30.94, 49.8], target: 30, direction: higher })).toBe('met');
    expect(targetStatus({ value: 40, ci95: [30.94, 49.8], target: 50, direction: higher })).toBe('not_met');
    // The figure is below the target, but the target is inside the interval: no red on a small sample.
    expect(targetStatus({ value: 40, ci95: [30.94, 49.8], target: 45, direction: higher })).toBe('indistinguishable');
    // An end of the interval equal to the target counts as inside.
    expect(targetStatus({ value: 40, ci95: [30, 49.8], target: 30, direction: higher })).toBe('indistinguishable');
  });

  it('turns round for a lower-is-better figure (PP100)', () => {
    expect(targetStatus({ value: 20, ci95: [12, 28], target: 30, direction: 'lower' })).toBe('met');
    expect(targetStatus({ value: 40, ci95: [32, 48], target: 30, direction: 'lower' })).toBe('not_met');
    expect(targetStatus({ value: 35, ci95: [25, 45], target: 30, direction: 'lower' })).toBe('indistinguishable');
  });

  it('has no data without a figure and cannot tell without an interval', () => {
    expect(targetStatus({ value: null, ci95: null, target: 30, direction: higher })).toBe('no_data');
    expect(targetStatus({ value: 90, ci95: null, target: 30, direction: higher })).toBe('indistinguishable');
  });
});

describe('meanInterval', () => {
  it('uses Student t with n − 1 degrees of freedom', () => {
    // t(0.975, 9) = 2.262157 (tables); t(0.975, 1) = 12.706205; t(0.975, 30) = 2.042272.
    expect(tQuantile975(9)).toBeCloseTo(2.262157, 5);
    expect(tQuantile975(1)).toBeCloseTo(12.706205, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 5);
    const [lo, hi] = meanInterval(70, 5, 10)!;
    expect(lo).toBeCloseTo(70 - 2.262157 * 5, 4);
    expect(hi).toBeCloseTo(70 + 2.262157 * 5, 4);
    expect(meanInterval(70, null, 10)).toBeNull();
    expect(meanInterval(70, 5, 1)).toBeNull();
  });
});
