import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('holmAdjust', () => {
  it('matches a hand-worked example, in input order, with the running maximum', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone).
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 15);
    expect(adjusted[1]).toBeCloseTo(0.06, 15);
    expect(adjusted[2]).toBeCloseTo(0.06, 15);
    expect(adjusted[3]).toBeCloseTo(0.02, 15);
  });

  it('caps at 1', () => {
    expect(holmAdjust([0.6, 0.5, 0.02])).toEqual([1, 1, 0.06]);
  });

  it('leaves a single p-value unchanged and handles an empty list', () => {
    expect(holmAdjust([0.3])).toEqual([0.3]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, 1.2])).toThrow(RangeError);
  });
});
