// Comparing two group means from summaries (n, mean, sample variance) that SQL can compute with
// count / avg / var_samp, so no raw answers are needed.

import { studentTTwoSidedP } from './distributions.ts';

export interface MeanSummary {
  n: number;
  mean: number;
  /** Sample variance (denominator n − 1), i.e. PostgreSQL var_samp. */
  variance: number;
}

export interface WelchTest {
  /** mean₁ − mean₂. */
  difference: number | null;
  t: number | null;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number | null;
  /** Two-sided. */
  p: number | null;
}

/** n, mean and sample variance from Σx and Σx² (variance null when n < 2). */
export function meanVarianceFromSums(n: number, sum: number, sumSquares: number): { n: number; mean: number | null; variance: number | null } {
  if (n === 0) return { n, mean: null, variance: null };
  const mean = sum / n;
  if (n < 2) return { n, mean, variance: null };
  // Clamp: Σx² − (Σx)²/n can round to a tiny negative number when all values are equal.
  return { n, mean, variance: Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1)) };
}

/**
 * Welch's unequal-variance t-test. Needs n ≥ 2 in both groups; t, df, p are null when the standard
 * error is 0 (both groups constant).
 */
export function welchTTest(a: MeanSummary, b: MeanSummary): WelchTest {
  if (a.n < 2 || b.n < 2) return { difference: null, t: null, df: null, p: null };
  const difference = a.mean - b.mean;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) return { difference, t: null, df: null, p: null };
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { difference, t, df, p: studentTTwoSidedP(t, df) };
}
