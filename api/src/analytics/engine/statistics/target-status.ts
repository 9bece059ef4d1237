// Target status (docs/statistics.md#targets): a figure against its target, judged by the figure's 95 %
// interval so that a small sample is never called met or missed on noise.

import { Z_95, studentTCdf } from './distributions.ts';

export type TargetDirection = 'higher' | 'lower';
export type TargetStatus = 'met' | 'not_met' | 'indistinguishable' | 'no_data';

export interface TargetInput {
  /** The figure; null when it is suppressed or has no data. */
  value: number | null;
  /** Its 95 % interval, in the figure's unit; null when it cannot be computed (n < 2 for a mean). */
  ci95: [number, number] | null;
  target: number;
  /** Whether a higher figure is better (NPS, CSI, CSAT, response rate, SLA hit rate) or a lower one (PP100). */
  direction: TargetDirection;
}

/**
 * met: the whole interval is on the good side of the target; not_met: the whole interval is on the bad
 * side; indistinguishable: the target lies inside the interval (ends included), or there is no interval;
 * no_data: no figure.
 */
export function targetStatus({ value, ci95, target, direction }: TargetInput): TargetStatus {
  if (value === null || !Number.isFinite(value)) return 'no_data';
  if (ci95 === null) return 'indistinguishable';
  const [lo, hi] = ci95;
  if (lo <= target && target <= hi) return 'indistinguishable';
  const above = lo > target;
  return above === (direction === 'higher') ? 'met' : 'not_met';
}

/** The 97.5 % quantile of Student's t with `df` degrees of freedom (bisection on the CDF; z for df > 1e6). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`tQuantile975 needs df ≥ 1, got ${df}`);
  if (df > 1e6) return Z_95;
  let lo = Z_95;
  let hi = 20;
  while (studentTCdf(hi, df) < 0.975) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * 95 % interval of a figure that is a mean (CSI, PP100): centre ± t(0.975, n − 1) · se, with se the
 * standard error of the mean in the figure's unit. Null when n < 2 or se is unknown.
 */
export function meanInterval(centre: number | null, se: number | null, n: number): [number, number] | null {
  if (centre === null || se === null || !(n >= 2) || !Number.isFinite(se)) return null;
  const half = tQuantile975(n - 1) * se;
  return [centre - half, centre + half];
}
