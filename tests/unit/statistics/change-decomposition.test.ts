// "Why did it move?" on generated data with a known planted cause (docs/statistics.md#why-a-figure-moved).
import { describe, expect, it } from 'vitest';
import {
  ChangeInputError,
  changeDecomposition,
  decomposeChange,
  explainChange,
  type ChangeRow,
} from '../../../api/src/analytics/engine/statistics/change-decomposition.ts';
import { seededNormal, seededRandom } from './random.ts';

const sumParts = (d: { mix: number; rest: number; drivers: { contribution: number }[] }) => d.mix + d.rest + d.drivers.reduce((s, x) => s + x.contribution, 0);

/**
 * Continuous outcome y = 10 + 0.8·pickup + 0.4·vehicle + 0.2·staff + segment effect + noise. Segment B
 * scores `segmentGap` lower than A whatever the service. The current period: pickup's mean drops by
 * `pickupDrop`, and the share of B rises from `shareB.previous` to `shareB.current`.
 */
function planted(seed: number, options: { n: number; pickupDrop: number; segmentGap: number; shareB: { previous: number; current: number } }) {
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  const coefficients = [0.8, 0.4, 0.2];
  const means = [70, 75, 80];
  const rows: ChangeRow[] = [];
  for (const period of ['previous', 'current'] as const) {
    for (let i = 0; i < options.n; i++) {
      const segment = uniform() < options.shareB[period] ? 'B' : 'A';
      const shared = 6 * normal();
      const x = means.map((m, j) => m + shared + 12 * normal() - (period === 'current' && j === 0 ? options.pickupDrop : 0));
      const y = 10 + x.reduce((s, xj, j) => s + coefficients[j] * xj, 0) - (segment === 'B' ? options.segmentGap : 0) + 8 * normal();
      rows.push({ period, segment, y, x, count: 1 });
    }
  }
  return { rows, coefficients };
}

describe('change decomposition on data with a planted cause', () => {
  const n = 1500;
  const { rows, coefficients } = planted(11, { n, pickupDrop: 10, segmentGap: 20, shareB: { previous: 0.5, current: 0.7 } });
  const result = changeDecomposition(rows, 3, { replicates: 300 });
  // Planted: pickup −10 × 0.8 = −8 points; mix: 20 % more of segment B, 20 points lower, = −4 points.
  const plantedPickup = -10 * coefficients[0];
  const plantedMix = -0.2 * 20;

  it('names the planted driver as the largest part, with an interval covering the planted value', () => {
    const contributions = result.drivers.map((d) => d.contribution);
    const largest = contributions.reduce((best, c, j) => (Math.abs(c) > Math.abs(contributions[best]) ? j : best), 0);
    expect(largest).toBe(0);
    const [low, high] = result.intervals.drivers[0]!;
    expect(low).toBeLessThan(plantedPickup);
    expect(high).toBeGreaterThan(plantedPickup);
    expect(Math.abs(result.drivers[0].contribution - plantedPickup)).toBeLessThan(1.5);
    // The other drivers did not move: their parts are small and their intervals cover 0.
    for (const j of [1, 2]) {
      expect(Math.abs(result.drivers[j].contribution)).toBeLessThan(1);
      expect(result.intervals.drivers[j]![0]).toBeLessThan(0);
      expect(result.intervals.drivers[j]![1]).toBeGreaterThan(0);
    }
    expect(result.explanation).toMatchObject({ kind: 'driver', driver: 0 });
  });

  it('finds the planted mix effect, and the unstandardised coefficients', () => {
    expect(result.mix).toBeGreaterThan(plantedMix - 1.5);
    expect(result.mix).toBeLessThan(plantedMix + 1.5);
    const [low, high] = result.intervals.mix!;
    expect(low).toBeLessThan(plantedMix);
    expect(high).toBeGreaterThan(plantedMix);
    result.drivers.forEach((d, j) => expect(d.coefficient).toBeCloseTo(coefficients[j], 1));
    // Nothing else was planted: the rest is near 0 and its interval covers it.
    expect(Math.abs(result.rest)).toBeLessThan(1.5);
    expect(result.intervals.rest![0]).toBeLessThan(0);
    expect(result.intervals.rest![1]).toBeGreaterThan(0);
  });

  it('adds up exactly to the observed change', () => {
    expect(sumParts(result)).toBeCloseTo(result.observed, 10);
    const mean = (period: string) => {
      const own = rows.filter((r) => r.period === period);
      return own.reduce((s, r) => s + r.y, 0) / own.length;
    };
    expect(result.observed).toBeCloseTo(mean('current') - mean('previous'), 10);
    expect(result.n).toEqual({ previous: n, current: n });
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const again = changeDecomposition(rows, 3, { replicates: 300 });
    expect(again.intervals).toEqual(result.intervals);
    const other = changeDecomposition(rows, 3, { replicates: 300, seed: 99 });
    expect(other.intervals.drivers[0]).not.toEqual(result.intervals.drivers[0]);
    expect(other.drivers[0].contribution).toBe(result.drivers[0].contribution);
  });
});

describe('customer mix reweighting', () => {
  it('is the current figure minus the current segments at the previous shares (hand-computed)', () => {
    // Previous: A 4 × 50, B 4 × −50 (shares ½, ½). Current: A 2 × 60, B 8 × −40 → actual −20; at ½/½ → 10.
    const rows: ChangeRow[] = [
      { period: 'previous', segment: 'A', y: 50, x: [], count: 4 },
      { period: 'previous', segment: 'B', y: -50, x: [], count: 4 },
      { period: 'current', segment: 'A', y: 60, x: [], count: 2 },
      { period: 'current', segment: 'B', y: -40, x: [], count: 8 },
    ];
    const d = decomposeChange(rows, 0);
    expect(d.previous).toBe(0);
    expect(d.current).toBe(-20);
    expect(d.reweightedCurrent).toBe(10);
    expect(d.mix).toBe(-30);
    expect(d.rest).toBe(10);
    expect(d.observed).toBe(-20);
  });

  it('leaves out segments found in one period only, renormalising the previous shares over the others', () => {
    // C only in the previous period, D only in the current: common A, B with previous shares 2/3, 1/3.
    const rows: ChangeRow[] = [
      { period: 'previous', segment: 'A', y: 30, x: [], count: 2 },
      { period: 'previous', segment: 'B', y: 0, x: [], count: 1 },
      { period: 'previous', segment: 'C', y: 100, x: [], count: 5 },
      { period: 'current', segment: 'A', y: 90, x: [], count: 1 },
      { period: 'current', segment: 'B', y: -30, x: [], count: 3 },
      { period: 'current', segment: 'D', y: -100, x: [], count: 6 },
    ];
    const d = decomposeChange(rows, 0);
    expect(d.reweightedCurrent).toBeCloseTo((2 / 3) * 90 + (1 / 3) * -30, 12);
    expect(d.current).toBeCloseTo((90 - 90 - 600) / 10, 12);
  });

  it('refuses data without a segment in both periods, and empty periods', () => {
    expect(() =>
      decomposeChange(
        [
          { period: 'previous', segment: 'A', y: 1, x: [], count: 1 },
          { period: 'current', segment: 'B', y: 1, x: [], count: 1 },
        ],
        0,
      ),
    ).toThrow(ChangeInputError);
    expect(() => decomposeChange([{ period: 'previous', segment: 'A', y: 1, x: [], count: 1 }], 0)).toThrow(ChangeInputError);
  });
});

describe('NPS-coded outcomes', () => {
  it('finds a planted pick-up drop behind a fall in NPS (outcome +100 / 0 / −100), with a mix shift beside it', () => {
    const normal = seededNormal(5);
    const uniform = seededRandom(6);
    const rows: ChangeRow[] = [];
    for (const period of ['previous', 'current'] as const) {
      for (let i = 0; i < 1200; i++) {
        const business = uniform() < (period === 'current' ? 0.6 : 0.3);
        const shared = 8 * normal();
        const pickup = 72 + shared + 14 * normal() - (period === 'current' ? 15 : 0);
        const vehicle = 75 + shared + 14 * normal();
        const staff = 78 + shared + 14 * normal();
        const latent = 0.05 * pickup + 0.03 * vehicle + 0.02 * staff + (business ? -0.6 : 0) + normal();
        const score = Math.max(0, Math.min(10, Math.round(latent)));
        const y = score >= 9 ? 100 : score <= 6 ? -100 : 0;
        rows.push({ period, segment: business ? 'business' : 'leisure', y, x: [pickup, vehicle, staff], count: 1 });
      }
    }
    // Collapse identical rows, as the SQL does: the result must not change.
    const result = changeDecomposition(rows, 3, { replicates: 200 });
    expect(result.observed).toBeLessThan(-10);
    expect(result.explanation).toMatchObject({ kind: 'driver', driver: 0 });
    expect(result.mix).toBeLessThan(0);
    expect(result.intervals.mix![1]).toBeLessThan(0);
    expect(result.intervals.drivers[0]![1]).toBeLessThan(0);
    expect(sumParts(result)).toBeCloseTo(result.observed, 10);
  });

  it('gives the same answer for collapsed rows with counts as for the rows one by one', () => {
    const base: ChangeRow[] = [];
    const uniform = seededRandom(8);
    for (const period of ['previous', 'current'] as const) {
      for (let i = 0; i < 60; i++) {
        const x = Math.round(uniform() * 4) * 25;
        const y = x >= 75 ? 100 : x <= 25 ? -100 : uniform() < 0.5 ? 0 : 100;
        base.push({ period, segment: uniform() < 0.5 ? 'a' : 'b', y, x: [x, Math.round(uniform() * 2) * 50], count: 1 });
      }
    }
    const collapsed = new Map<string, ChangeRow>();
    for (const r of base) {
      const key = JSON.stringify([r.period, r.segment, r.y, r.x]);
      const found = collapsed.get(key);
      if (found) found.count += 1;
      else collapsed.set(key, { ...r });
    }
    expect(collapsed.size).toBeLessThan(base.length);
    const a = decomposeChange(base, 2);
    const b = decomposeChange([...collapsed.values()], 2);
    expect(b.observed).toBeCloseTo(a.observed, 10);
    expect(b.mix).toBeCloseTo(a.mix, 10);
    b.drivers.forEach((d, j) => expect(d.contribution).toBeCloseTo(a.drivers[j].contribution, 10));
  });
});

describe('explanation', () => {
  const point = (observed: number, mix: number, contributions: number[]) => ({
    observed,
    mix,
    rest: observed - mix - contributions.reduce((s, c) => s + c, 0),
    drivers: contributions.map((contribution) => ({ contribution })),
  });
  it('names the largest part pulling the way the figure moved', () => {
    expect(explainChange(point(-12, -2, [-7, 1, -3]) as never)).toEqual({ kind: 'driver', driver: 0, part: -7, change: -12 });
    expect(explainChange(point(8, 5, [2, -1, 1]) as never)).toEqual({ kind: 'mix', driver: null, part: 5, change: 8 });
    expect(explainChange(point(-6, 1, [-1, 0.5, -1]) as never).kind).toBe('rest');
  });
  it('says "steady" below half a point', () => {
    expect(explainChange(point(0.4, 3, [-2, -1]) as never).kind).toBe('steady');
  });
});
