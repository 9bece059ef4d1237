// Reward uptake (docs/statistics.md, "Reward uptake"): the share of issued reward codes that were redeemed,
// with its Wilson 95 % interval, and the sums per group it is computed from.
import { wilsonInterval } from './proportions.ts';

export interface UptakeCounts {
  /** Codes issued (to finished responses) in the period. */
  issued: number;
  /** Of those, codes the rental system reported redeemed (whenever). */
  redeemed: number;
}

export interface UptakeFigure extends UptakeCounts {
  /** 100 · redeemed / issued; null when nothing was issued. */
  uptake: number | null;
  /** Wilson 95 % interval in percent; null when nothing was issued. */
  ci95: [number, number] | null;
}

export function uptakeFromCounts({ issued, redeemed }: UptakeCounts): UptakeFigure {
  const interval = wilsonInterval(redeemed, issued);
  if (interval === null) return { issued, redeemed, uptake: null, ci95: null };
  return { issued, redeemed, uptake: (100 * redeemed) / issued, ci95: [100 * interval[0], 100 * interval[1]] };
}

/** Sums rows into groups by `key` (in first-seen order) and gives each group its uptake. */
export function uptakeBy<R extends UptakeCounts, K>(rows: readonly R[], key: (row: R) => K): { key: K; first: R; figure: UptakeFigure }[] {
  const groups = new Map<K, { first: R; issued: number; redeemed: number }>();
  for (const row of rows) {
    const k = key(row);
    const g = groups.get(k) ?? { first: row, issued: 0, redeemed: 0 };
    g.issued += row.issued;
    g.redeemed += row.redeemed;
    groups.set(k, g);
  }
  return [...groups.entries()].map(([k, g]) => ({ key: k, first: g.first, figure: uptakeFromCounts(g) }));
}
