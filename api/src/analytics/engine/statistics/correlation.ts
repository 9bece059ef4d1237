// Pearson correlations from sums that one SQL pass can deliver (count, Σx_i, Σx_i·x_j over the
// listwise-complete responses), so driver analysis never needs to load individual answers.

import { ConstantVariableError } from './errors.ts';
import type { Matrix, Vector } from './linear-algebra.ts';

export interface CorrelationSums {
  /** Responses with y and every driver present (listwise deletion). */
  n: number;
  /** Σx_i for the variables [y, x₁ … x_p] (y first). */
  sums: Vector;
  /**
   * Σx_i·x_j as a (p+1)×(p+1) matrix over [y, x₁ … x_p]; the diagonal holds Σx_i². Only the upper
   * triangle (j ≥ i) is read, so the lower one may be left as zeros.
   */
  crossProducts: Matrix;
}

export interface CorrelationInput {
  n: number;
  /** p×p Pearson correlation matrix of the drivers. */
  R: Matrix;
  /** Correlation of each driver with y. */
  r: Vector;
  /** Driver means and sample SDs, aligned with R. */
  means: Vector;
  sd: Vector;
  yMean: number;
  ySd: number;
}

export function correlationFromSums(input: CorrelationSums): CorrelationInput {
  const { n, sums, crossProducts } = input;
  const size = sums.length;
  if (size < 2) throw new RangeError('need y and at least one driver');
  if (crossProducts.length !== size || crossProducts.some((row) => row.length !== size)) {
    throw new RangeError(`crossProducts must be ${size}×${size}`);
  }
  if (!(n >= 2)) throw new RangeError(`correlations need n ≥ 2, got ${n}`);

  const means = sums.map((s) => s / n);
  // Sample covariance from raw sums: (Σx_i x_j − Σx_i Σx_j / n) / (n − 1).
  const covariance = (i: number, j: number): number => {
    const [a, b] = i <= j ? [i, j] : [j, i];
    return (crossProducts[a][b] - (sums[a] * sums[b]) / n) / (n - 1);
  };
  const variances = sums.map((_, i) => covariance(i, i));
  // A variance at rounding level relative to Σx² is zero in fact.
  const constant = variances.map((variance, i) => (variance <= 1e-12 * Math.max(1, crossProducts[i][i] / n) ? i : -1)).filter((i) => i >= 0);
  if (constant.length > 0) throw new ConstantVariableError(constant);
  const sds = variances.map(Math.sqrt);

  const correlation = (i: number, j: number): number => {
    if (i === j) return 1;
    const value = covariance(i, j) / (sds[i] * sds[j]);
    return Math.max(-1, Math.min(1, value)); // rounding can push |r| a hair past 1
  };
  const p = size - 1;
  const R = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => correlation(i + 1, j + 1)));
  const r = Array.from({ length: p }, (_, j) => correlation(0, j + 1));
  return { n, R, r, means: means.slice(1), sd: sds.slice(1), yMean: means[0], ySd: sds[0] };
}
