// An action plan's figure before and after its start (docs/statistics.md#action-plans-before-and-after):
// each period's estimate with its 95 % interval, and the change after − before with its interval and
// two-sided p. Pure functions over the same sums the headline blocks use (no I/O).
import { Z_95, normalTwoSidedP, studentTCdf } from './distributions.ts';
import { meanVarianceFromSums, welchTTest } from './means.ts';
import { npsDifference, npsFromCounts } from './nps.ts';
import { pp100FromCounts } from './pp100.ts';
import { twoProportionZTest, wilsonInterval } from './proportions.ts';

export const BEFORE_AFTER_METRICS = ['nps', 'csat', 'csi', 'pp100'] as const;
export type BeforeAfterMetric = (typeof BEFORE_AFTER_METRICS)[number];

/** One period's sums (as in the facts rollup's cells). */
export interface PeriodSums {
  nps: { n: number; promoters: number; detractors: number };
  csat: { n: number; top2: number };
  /** The per-respondent index (0–100): respondents, Σx, Σx². */
  csi: { n: number; sum: number; sumSquares: number };
  /** Problems per response over the responses that answered the checklist: n, Σ, Σ², with ≥ 1. */
  problems: { n: number; sum: number; sumSquares: number; any: number };
}

export interface PeriodEstimate {
  /** The figure's own n (NPS: answers to the recommend question; CSI: respondents with an index; …). */
  n: number;
  value: number | null;
  ci95: [number, number] | null;
}

export interface BeforeAfterResult {
  metric: BeforeAfterMetric;
  before: PeriodEstimate;
  after: PeriodEstimate;
  /** after − before; null when either period has fewer than minN. */
  change: { value: number | null; ci95: [number, number] | null; p: number | null };
}

/** The t quantile with P(T ≤ t) = p (bisection on the CDF; df may be fractional). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let lo = -1000;
  let hi = 1000;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const around = (value: number, halfWidth: number, min = -Infinity, max = Infinity): [number, number] => [
  Math.max(min, value - halfWidth),
  Math.min(max, value + halfWidth),
];

function estimate(metric: BeforeAfterMetric, s: PeriodSums): PeriodEstimate & { se: number | null; df?: number } {
  switch (metric) {
    case 'nps': {
      const r = npsFromCounts({ promoters: s.nps.promoters, passives: s.nps.n - s.nps.promoters - s.nps.detractors, detractors: s.nps.detractors });
      return { n: r.n, value: r.score, ci95: r.ci95, se: r.se };
    }
    case 'csat': {
      const { n, top2 } = s.csat;
      if (n === 0) return { n, value: null, ci95: null, se: null };
      const p = top2 / n;
      const w = wilsonInterval(top2, n)!;
      return { n, value: 100 * p, ci95: [100 * w[0], 100 * w[1]], se: 100 * Math.sqrt((p * (1 - p)) / n) };
    }
    case 'csi': {
      const m = meanVarianceFromSums(s.csi.n, s.csi.sum, s.csi.sumSquares);
      if (m.mean === null) return { n: m.n, value: null, ci95: null, se: null };
      if (m.variance === null) return { n: m.n, value: m.mean, ci95: null, se: null };
      const se = Math.sqrt(m.variance / m.n);
      return { n: m.n, value: m.mean, ci95: around(m.mean, studentTQuantile(0.975, m.n - 1) * se, 0, 100), se, df: m.n - 1 };
    }
    case 'pp100': {
      const r = pp100FromCounts({ n: s.problems.n, totalProblems: s.problems.sum, sumSquaresProblems: s.problems.sumSquares, withAnyProblem: s.problems.any });
      return { n: r.n, value: r.value, ci95: r.value !== null && r.se !== null ? around(r.value, Z_95 * r.se, 0) : null, se: r.se };
    }
  }
}

/**
 * The figure before and after, and the change. NPS: adjusted-Wald intervals, z for the change; CSAT top-2:
 * Wilson intervals, Wald interval and pooled z-test for the change; CSI (mean per-respondent index): t
 * intervals, Welch for the change; PP100: normal intervals from its standard error, z for the change.
 * A period with fewer than `minN` answers shows its n only.
 */
export function beforeAfter(metric: BeforeAfterMetric, before: PeriodSums, after: PeriodSums, minN = 1): BeforeAfterResult {
  const b = estimate(metric, before);
  const a = estimate(metric, after);
  const shown = (e: typeof b): PeriodEstimate => (e.n < minN ? { n: e.n, value: null, ci95: null } : { n: e.n, value: e.value, ci95: e.ci95 });
  const result: BeforeAfterResult = { metric, before: shown(b), after: shown(a), change: { value: null, ci95: null, p: null } };
  if (b.n < minN || a.n < minN || a.value === null || b.value === null) return result;
  const value = a.value - b.value;
  if (metric === 'nps') {
    const d = npsDifference({ score: a.value, se: a.se }, { score: b.value, se: b.se });
    result.change = { value, ci95: d.se !== null ? around(value, Z_95 * d.se) : null, p: d.p };
  } else if (metric === 'csat') {
    const se = a.se !== null && b.se !== null ? Math.sqrt(a.se ** 2 + b.se ** 2) : null;
    const test = twoProportionZTest(after.csat.top2, after.csat.n, before.csat.top2, before.csat.n);
    result.change = { value, ci95: se !== null ? around(value, Z_95 * se) : null, p: test.p };
  } else if (metric === 'csi') {
    const ma = meanVarianceFromSums(after.csi.n, after.csi.sum, after.csi.sumSquares);
    const mb = meanVarianceFromSums(before.csi.n, before.csi.sum, before.csi.sumSquares);
    if (ma.variance === null || mb.variance === null) {
      result.change = { value, ci95: null, p: null };
    } else {
      const w = welchTTest({ n: ma.n, mean: ma.mean!, variance: ma.variance }, { n: mb.n, mean: mb.mean!, variance: mb.variance });
      const se = Math.sqrt(ma.variance / ma.n + mb.variance / mb.n);
      result.change = { value, ci95: w.df !== null ? around(value, studentTQuantile(0.975, w.df) * se) : null, p: w.p };
    }
  } else {
    const se = a.se !== null && b.se !== null ? Math.sqrt(a.se ** 2 + b.se ** 2) : null;
    result.change = { value, ci95: se !== null && se > 0 ? around(value, Z_95 * se) : null, p: se !== null && se > 0 ? normalTwoSidedP(value / se) : null };
  }
  return result;
}
