// Key-driver analysis (docs/statistics.md#driver-analysis) working only on correlations: R (drivers ×
// drivers) and r (drivers × outcome), which correlationFromSums builds from SQL aggregates.
// Relative weights (Johnson 2000) is the default; Shapley/LMG is exact over all subsets.

import { InsufficientSampleError, SingularMatrixError, TooManyDriversError } from './errors.ts';
import { dot, multiplyVector, solve, symmetricEigen, transpose, type Matrix, type Vector } from './linear-algebra.ts';

/** Exact LMG evaluates 2^p regressions; 15 drivers (32 768 subsets) is the limit we accept per request. */
export const MAX_SHAPLEY_DRIVERS = 15;

export type DriverMethod = 'relative_weights' | 'shapley';
export type Quadrant = 'concentrate_here' | 'keep_up' | 'low_priority' | 'possible_overkill';
export type DriverWarning = 'small_sample';

function assertCorrelationShape(R: Matrix, r: Vector): number {
  const p = r.length;
  if (p === 0) throw new RangeError('driver analysis needs at least one driver');
  if (R.length !== p || R.some((row) => row.length !== p)) throw new RangeError(`R must be ${p}×${p} to match r`);
  return p;
}

/** Standardised regression coefficients β = R⁻¹ r. */
export function standardisedBetas(R: Matrix, r: Vector): Vector {
  assertCorrelationShape(R, r);
  return solve(R, r);
}

/** R² = rᵀ R⁻¹ r. */
export function rSquared(R: Matrix, r: Vector): number {
  return dot(r, standardisedBetas(R, r));
}

export interface RelativeWeights {
  /** ε_j; they sum to R². */
  rawWeights: Vector;
  /** 100 · ε_j / R² (null when R² = 0). */
  shares: (number | null)[];
  /** sign(β_j): the direction of the driver's effect, which the (non-negative) weights do not show. */
  signs: (-1 | 0 | 1)[];
  r2: number;
}

// Eigenvalues of a correlation matrix at or below this are treated as zero (collinear drivers).
const EIGENVALUE_TOLERANCE = 1e-12;

function sign(value: number): -1 | 0 | 1 {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function sharesOf(weights: Vector, r2: number): (number | null)[] {
  return weights.map((w) => (r2 > 0 ? (100 * w) / r2 : null));
}

/**
 * Johnson's (2000) relative weights: R = V Λ Vᵀ, L = V Λ^{1/2} Vᵀ (the symmetric square root, i.e. the
 * correlations between the drivers and their closest orthogonal counterparts), b = L⁻¹ r,
 * ε_j = Σ_k L_jk² b_k².
 */
export function relativeWeights(R: Matrix, r: Vector): RelativeWeights {
  const p = assertCorrelationShape(R, r);
  const { values, vectors } = symmetricEigen(R);
  if (values.some((value) => value <= EIGENVALUE_TOLERANCE)) throw new SingularMatrixError();
  const sqrtValues = values.map(Math.sqrt);
  // L = V diag(√λ) Vᵀ, and L⁻¹ = V diag(1/√λ) Vᵀ, so b needs no explicit inverse.
  const L = vectors.map((row) => vectors.map((other) => row.reduce((sum, v, k) => sum + v * sqrtValues[k] * other[k], 0)));
  const Vt = transpose(vectors);
  const b = multiplyVector(
    vectors,
    multiplyVector(Vt, r).map((value, k) => value / sqrtValues[k]),
  );
  const rawWeights = Array.from({ length: p }, (_, j) => L[j].reduce((sum, ljk, k) => sum + ljk * ljk * b[k] * b[k], 0));
  const r2 = rawWeights.reduce((sum, w) => sum + w, 0);
  const betas = standardisedBetas(R, r);
  return { rawWeights, shares: sharesOf(rawWeights, r2), signs: betas.map(sign), r2 };
}

export interface ShapleyWeights {
  /** LMG_j; they sum to R². */
  weights: Vector;
  shares: (number | null)[];
  r2: number;
}

/** R²(S) = r_Sᵀ R_SS⁻¹ r_S for the drivers in the bit mask S. */
function subsetRSquared(R: Matrix, r: Vector, mask: number): number {
  const members: number[] = [];
  for (let j = 0; j < r.length; j++) if (mask & (1 << j)) members.push(j);
  if (members.length === 0) return 0;
  const rS = members.map((j) => r[j]);
  const RSS = members.map((i) => members.map((j) => R[i][j]));
  return dot(rS, solve(RSS, rS));
}

/**
 * Shapley value decomposition of R² (LMG): each driver's average gain in R² when added, over all
 * orderings, computed exactly through the 2^p subsets with weights |S|!(p − |S| − 1)!/p!.
 */
export function shapleyLmg(R: Matrix, r: Vector): ShapleyWeights {
  const p = assertCorrelationShape(R, r);
  if (p > MAX_SHAPLEY_DRIVERS) throw new TooManyDriversError(p, MAX_SHAPLEY_DRIVERS);
  const subsets = 1 << p;
  const r2BySubset = new Float64Array(subsets);
  const sizeOf = new Uint8Array(subsets);
  for (let mask = 1; mask < subsets; mask++) {
    r2BySubset[mask] = subsetRSquared(R, r, mask);
    sizeOf[mask] = sizeOf[mask & (mask - 1)] + 1; // drop the lowest set bit
  }
  const factorial = [1];
  for (let k = 1; k <= p; k++) factorial[k] = factorial[k - 1] * k;
  const orderWeight = Array.from({ length: p }, (_, s) => (factorial[s] * factorial[p - s - 1]) / factorial[p]);

  const weights = new Array<number>(p).fill(0);
  for (let mask = 0; mask < subsets; mask++) {
    const w = orderWeight[sizeOf[mask]];
    for (let j = 0; j < p; j++) {
      const bit = 1 << j;
      if (mask & bit) continue;
      weights[j] += w * (r2BySubset[mask | bit] - r2BySubset[mask]);
    }
  }
  const r2 = r2BySubset[subsets - 1];
  return { weights, shares: sharesOf(weights, r2), r2 };
}

export interface DriverAnalysisInput {
  R: Matrix;
  r: Vector;
  /** Listwise-complete responses behind R and r. */
  n: number;
  /** Default 'relative_weights'. */
  method?: DriverMethod;
  /** Each driver's score (0–100) for the importance–performance quadrant; null where unknown. */
  performance?: (number | null)[];
}

export interface DriverResult {
  /** Position of the driver in R / r. */
  index: number;
  /** Raw relative weight ε_j or LMG_j (a part of R²). */
  weight: number;
  /** 100 · weight / R²; null when R² = 0. */
  share: number | null;
  /** sign(β_j). */
  sign: -1 | 0 | 1;
  /** Correlation with the outcome. */
  r: number;
  /** Standardised beta. */
  beta: number;
  performance: number | null;
  quadrant: Quadrant | null;
}

export interface DriverAnalysisResult {
  method: DriverMethod;
  n: number;
  r2: number;
  drivers: DriverResult[];
  warnings: DriverWarning[];
}

/**
 * Importance–performance quadrant. Cut lines: the mean share (100/p) and the mean performance of the
 * drivers that have one. A value exactly on a cut line counts as high.
 */
export function quadrantOf(share: number, performance: number, shareCut: number, performanceCut: number): Quadrant {
  const important = share >= shareCut;
  const performing = performance >= performanceCut;
  if (important) return performing ? 'keep_up' : 'concentrate_here';
  return performing ? 'possible_overkill' : 'low_priority';
}

/**
 * Full driver analysis: refuses n < p + 2 (InsufficientSampleError), warns `small_sample` when
 * n < 50 + 8p, refuses Shapley for p > 15 (TooManyDriversError).
 */
export function driverAnalysis(input: DriverAnalysisInput): DriverAnalysisResult {
  const { R, r, n } = input;
  const method = input.method ?? 'relative_weights';
  const p = assertCorrelationShape(R, r);
  if (input.performance !== undefined && input.performance.length !== p) {
    throw new RangeError(`performance must have one entry per driver (${p})`);
  }
  if (n < p + 2) throw new InsufficientSampleError(n, p + 2);
  if (method === 'shapley' && p > MAX_SHAPLEY_DRIVERS) throw new TooManyDriversError(p, MAX_SHAPLEY_DRIVERS);
  const warnings: DriverWarning[] = n < 50 + 8 * p ? ['small_sample'] : [];

  const betas = standardisedBetas(R, r);
  let weights: Vector;
  let shares: (number | null)[];
  let r2: number;
  if (method === 'shapley') {
    ({ weights, shares, r2 } = shapleyLmg(R, r));
  } else {
    ({ rawWeights: weights, shares, r2 } = relativeWeights(R, r));
  }

  const performance = input.performance ?? new Array<number | null>(p).fill(null);
  const known = performance.filter((value): value is number => value !== null && Number.isFinite(value));
  const performanceCut = known.length > 0 ? known.reduce((sum, value) => sum + value, 0) / known.length : null;
  const shareCut = 100 / p;

  const drivers = weights.map((weight, index): DriverResult => {
    const share = shares[index];
    const perf = performance[index] !== null && Number.isFinite(performance[index]) ? (performance[index] as number) : null;
    const quadrant = share !== null && perf !== null && performanceCut !== null ? quadrantOf(share, perf, shareCut, performanceCut) : null;
    return { index, weight, share, sign: sign(betas[index]), r: r[index], beta: betas[index], performance: perf, quadrant };
  });
  return { method, n, r2, drivers, warnings };
}
