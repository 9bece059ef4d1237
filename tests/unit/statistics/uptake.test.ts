// Reward uptake (docs/statistics.md, "Reward uptake"): the share redeemed of the codes issued, with the
// Wilson 95 % interval, and the sums per group.
import { describe, expect, it } from 'vitest';
import { uptakeBy, uptakeFromCounts } from '../../../api/src/analytics/engine/statistics/uptake.ts';

describe('reward uptake', () => {
  it('is redeemed / issued in percent with the Wilson interval', () => {
    // 4 of 8: centre 0.5, half-width (1.959964 / 1.480182) · √(0.03125 + 0.0150057) = 0.284784.
    const half = uptakeFromCounts({ issued: 8, redeemed: 4 });
    expect(half.uptake).toBe(50);
    expect(half.ci95![0]).toBeCloseTo(21.5216, 3);
    expect(half.ci95![1]).toBeCloseTo(78.4784, 3);
    const third = uptakeFromCounts({ issued: 200, redeemed: 60 });
    expect(third.uptake).toBe(30);
    expect(third.ci95![0]).toBeCloseTo(24.0747, 3);
    expect(third.ci95![1]).toBeCloseTo(36.6791, 3);
    expect(uptakeFromCounts({ issued: 0, redeemed: 0 })).toEqual({ issued: 0, redeemed: 0, uptake: null, ci95: null });
    expect(() => uptakeFromCounts({ issued: 2, redeemed: 3 })).toThrow(RangeError);
  });

  it('sums the rows of a group before dividing (not a mean of the rows’ shares)', () => {
    const rows = [
      { branch: 'SH01', tier: 'A', issued: 1, redeemed: 1 },
      { branch: 'SH01', tier: 'B', issued: 9, redeemed: 0 },
      { branch: 'BJ01', tier: 'A', issued: 4, redeemed: 2 },
    ];
    const byBranch = uptakeBy(rows, (r) => r.branch).map((g) => [g.key, g.figure.issued, g.figure.redeemed, g.figure.uptake]);
    expect(byBranch).toEqual([
      ['SH01', 10, 1, 10],
      ['BJ01', 4, 2, 50],
    ]);
    const byTier = uptakeBy(rows, (r) => r.tier).map((g) => [g.key, g.figure.uptake]);
    expect(byTier).toEqual([
      ['A', 60],
      ['B', 0],
    ]);
  });
});
