// Proportions: the Wilson score interval (good coverage even near 0 % / 100 % and for small n, unlike
// the plain Wald interval), CSAT top-2-box from counts, and the two-proportion z-test.

import { Z_95, normalTwoSidedP } from './distributions.ts';

/** Wilson score interval for successes / n, as proportions in [0, 1]; null when n = 0. */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): [number, number] | null {
  if (!(n >= 0) || !(successes >= 0) || successes > n) {
    throw new RangeError(`wilsonInterval needs 0 ≤ successes ≤ n, got ${successes} / ${n}`);
  }
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)];
}

export interface CsatCounts {
  /** Answers to the 1–5 question. */
  n: number;
  /** Answers of 4 or 5. */
  top2: number;
  /** Sum of the answers (for the mean). */
  sum: number;
}

export interface CsatResult {
  n: number;
  /** 100 · top2 / n (percent); null when n = 0. */
  top2: number | null;
  /** Mean answer on the 1–5 scale; null when n = 0. */
  mean: number | null;
  /** Wilson 95 % interval of the top-2-box share, in percent; null when n = 0. */
  ci95: [number, number] | null;
}

export function csatFromCounts(counts: CsatCounts): CsatResult {
  const { n, top2, sum } = counts;
  const interval = wilsonInterval(top2, n);
  if (interval === null) return { n, top2: null, mean: null, ci95: null };
  return { n, top2: (100 * top2) / n, mean: sum / n, ci95: [100 * interval[0], 100 * interval[1]] };
}

export interface TwoProportionTest {
  /** p₁ − p₂ as a proportion (multiply by 100 for percentage points). */
  difference: number | null;
  /** Pooled standard error √(p̂(1 − p̂)(1/n₁ + 1/n₂)) used by the test. */
  se: number | null;
  z: number | null;
  /** Two-sided. */
  p: number | null;
}

/** Pooled two-proportion z-test of x₁/n₁ against x₂/n₂. Nulls where undefined (an empty group, or p̂ ∈ {0, 1}). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest {
  for (const [x, n] of [
    [x1, n1],
    [x2, n2],
  ]) {
    if (!(n >= 0) || !(x >= 0) || x > n) throw new RangeError(`twoProportionZTest needs 0 ≤ x ≤ n, got ${x} / ${n}`);
  }
  if (n1 === 0 || n2 === 0) return { difference: null, se: null, z: null, p: null };
  const difference = x1 / n1 - x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { difference, se, z: null, p: null };
  const z = difference / se;
  return { difference, se, z, p: normalTwoSidedP(z) };
}
