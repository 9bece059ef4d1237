// The change analysis' bootstrap over resampling units (docs/statistics.md#why-a-figure-moved): with one
// response per unit it is the response-level bootstrap, draw for draw; with random groups of responses its
// intervals agree with the response-level ones.
import { describe, expect, it } from 'vitest';
import {
  changeDecomposition,
  changeDecompositionByUnits,
  type ChangeRow,
  type ChangeUnitCell,
} from '../../../api/src/analytics/engine/statistics/change-decomposition.ts';
import { seededNormal, seededRandom } from './random.ts';

/** NPS-like outcome (+100 / 0 / −100) driven by three dimension scores, some missing, two segments. */
function responses(seed: number, n: number): ChangeRow[] {
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  const rows: ChangeRow[] = [];
  for (const period of ['previous', 'current'] as const) {
    for (let i = 0; i < n; i++) {
      const segment = uniform() < (period === 'current' ? 0.6 : 0.45) ? 'B' : 'A';
      const x = [70, 75, 80].map((m, j) => Math.round(m + 15 * normal() - (period === 'current' && j === 0 ? 8 : 0)));
      const latent = 0.05 * (x[0] - 70) + 0.03 * (x[1] - 75) - (segment === 'B' ? 0.5 : 0) + normal();
      const y = latent > 0.6 ? 100 : latent > -0.4 ? 0 : -100;
      rows.push({ period, segment, y, x: x.map((v, j) => (j === 2 && uniform() < 0.2 ? null : v)), count: 1 });
    }
  }
  return rows;
}

/** The sums of the responses of one unit (unitOf) per (period, segment). */
function unitCells(rows: readonly ChangeRow[], p: number, unitOf: (row: ChangeRow, index: number) => string): ChangeUnitCell[] {
  const cells = new Map<string, ChangeUnitCell>();
  const size = p + 1;
  rows.forEach((row, index) => {
    const unit = unitOf(row, index);
    const key = `${row.period}|${unit}|${row.segment}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        period: row.period,
        segment: row.segment,
        unit,
        n: 0,
        sumY: 0,
        xSum: new Array(p).fill(0),
        xN: new Array(p).fill(0),
        fitN: 0,
        fitSums: new Array(size).fill(0),
        fitProducts: new Array((size * (size + 1)) / 2).fill(0),
      };
      cells.set(key, cell);
    }
    const c = cell as unknown as { n: number; sumY: number; xSum: number[]; xN: number[]; fitN: number; fitSums: number[]; fitProducts: number[] };
    c.n += row.count;
    c.sumY += row.count * row.y;
    row.x.forEach((x, j) => {
      if (x === null) return;
      c.xSum[j] += row.count * x;
      c.xN[j] += row.count;
    });
    if (row.x.every((x) => x !== null)) {
      const v = [row.y, ...(row.x as number[])];
      c.fitN += row.count;
      let k = 0;
      for (let a = 0; a < size; a++) {
        c.fitSums[a] += row.count * v[a];
        for (let b = a; b < size; b++) c.fitProducts[k++] += row.count * v[a] * v[b];
      }
    }
  });
  return [...cells.values()];
}

const width = (interval: [number, number] | null) => interval![1] - interval![0];

describe('bootstrap over resampling units', () => {
  const rows = responses(5, 600);

  it('with one response per unit: the response-level bootstrap, the same intervals for the same seed', () => {
    const byResponse = changeDecomposition(rows, 3, { replicates: 200 });
    const byUnit = changeDecompositionByUnits(
      unitCells(rows, 3, (_, i) => String(i)),
      3,
      { replicates: 200 },
    );
    expect(byUnit.n).toEqual(byResponse.n);
    expect(byUnit.bootstrap).toEqual(byResponse.bootstrap);
    for (const key of ['observed', 'mix', 'rest'] as const) {
      expect(byUnit[key]).toBeCloseTo(byResponse[key], 9);
      expect(byUnit.intervals[key]![0]).toBeCloseTo(byResponse.intervals[key]![0], 9);
      expect(byUnit.intervals[key]![1]).toBeCloseTo(byResponse.intervals[key]![1], 9);
    }
    byResponse.drivers.forEach((d, j) => {
      expect(byUnit.drivers[j].contribution).toBeCloseTo(d.contribution, 9);
      expect(byUnit.intervals.drivers[j]![0]).toBeCloseTo(byResponse.intervals.drivers[j]![0], 9);
      expect(byUnit.intervals.drivers[j]![1]).toBeCloseTo(byResponse.intervals.drivers[j]![1], 9);
    });
  });

  // Two bootstraps of 8,000 responses: seconds on a busy machine, so no default 5 s limit.
  it('with random groups of responses: the same point figures, and intervals as wide as the response-level ones', { timeout: 120_000 }, () => {
    const many = responses(7, 4000);
    const byResponse = changeDecomposition(many, 3, { replicates: 400 });
    // 128 random groups per period (as the API's hash of the response id makes them).
    const group = seededRandom(3);
    const groups = many.map(() => String(Math.floor(group() * 128)));
    const byGroup = changeDecompositionByUnits(
      unitCells(many, 3, (_, i) => groups[i]),
      3,
      { replicates: 400 },
    );
    expect(byGroup.n).toEqual(byResponse.n);
    expect(byGroup.observed).toBeCloseTo(byResponse.observed, 9);
    expect(byGroup.mix).toBeCloseTo(byResponse.mix, 9);
    byResponse.drivers.forEach((d, j) => expect(byGroup.drivers[j].contribution).toBeCloseTo(d.contribution, 9));
    // The widths of two bootstraps of the same data differ by sampling error only: within 25 %.
    const parts = [
      [byResponse.intervals.observed, byGroup.intervals.observed],
      [byResponse.intervals.mix, byGroup.intervals.mix],
      [byResponse.intervals.rest, byGroup.intervals.rest],
      ...byResponse.intervals.drivers.map((interval, j) => [interval, byGroup.intervals.drivers[j]]),
    ] as const;
    for (const [response, grouped] of parts) {
      expect(width(grouped) / width(response)).toBeGreaterThan(0.75);
      expect(width(grouped) / width(response)).toBeLessThan(1.25);
      // …and centred alike: the midpoints closer than a quarter of the width.
      expect(Math.abs((grouped![0] + grouped![1]) / 2 - (response![0] + response![1]) / 2)).toBeLessThan(width(response) / 4);
    }
  });
});
