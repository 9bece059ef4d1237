// CSAT top-box (docs/statistics.md#csat): the share of answers at the scale's highest point, beside the
// top-2-box, with the same Wilson interval. Counts come from the SQL aggregates (metrics.queries.ts).

import { wilsonInterval } from './proportions.ts';

export interface TopBoxCounts {
  /** Answers to the CSAT question. */
  n: number;
  /** Answers at the highest point of the scale (5 on 1–5). */
  topBox: number;
}

export interface TopBoxResult {
  n: number;
  /** 100 · topBox / n (percent); null when n = 0. */
  topBox: number | null;
  /** Wilson 95 % interval of the top-box share, in percent; null when n = 0. */
  ci95: [number, number] | null;
}

export function topBoxFromCounts(counts: TopBoxCounts): TopBoxResult {
  const { n, topBox } = counts;
  if (!(n >= 0) || !(topBox >= 0) || topBox > n) throw new RangeError(`topBoxFromCounts needs 0 ≤ topBox ≤ n, got ${topBox} / ${n}`);
  const interval = wilsonInterval(topBox, n);
  if (interval === null) return { n, topBox: null, ci95: null };
  return { n, topBox: (100 * topBox) / n, ci95: [100 * interval[0], 100 * interval[1]] };
}
