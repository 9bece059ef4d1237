// Net Promoter Score from counts (docs/statistics.md#nps). Inputs are the three counts SQL can GROUP BY,
// so no individual answers are needed. Scores are in points (−100 … 100), unrounded.

import { Z_95, normalTwoSidedP } from './distributions.ts';
import { effectiveN as kishEffectiveN } from './weighting.ts';

/** The three NPS categories, in the order reports list them. */
export const NPS_CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export type NpsCategory = (typeof NPS_CATEGORIES)[number];

/** Lowest score of a promoter (9–10) and of a passive (7–8); 0–6 is a detractor. */
export const PROMOTER_MIN_SCORE = 9;
export const PASSIVE_MIN_SCORE = 7;

/** The category of a 0–10 likelihood-to-recommend score. */
export function npsCategory(score: number): NpsCategory {
  return score >= PROMOTER_MIN_SCORE ? 'promoter' : score >= PASSIVE_MIN_SCORE ? 'passive' : 'detractor';
}

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** 100 · (P − D) / n; null when n = 0. */
  score: number | null;
  /** 100 · √(v / n) with v = p + d − (p − d)²; null when n = 0. */
  se: number | null;
  /** Adjusted-Wald 95 % interval (Rocks 2016), clipped to [−100, 100]; null when n = 0. */
  ci95: [number, number] | null;
}

/** Anything with an NPS and its standard error (an NpsResult, a WeightedNpsResult …). */
export interface NpsEstimate {
  score: number | null;
  se: number | null;
}

export interface NpsDifference {
  /** NPS₁ − NPS₂ in points. */
  difference: number | null;
  /** √(SE₁² + SE₂²) in points. */
  se: number | null;
  z: number | null;
  /** Two-sided, 2(1 − Φ(|z|)). Null when z is undefined (a group is empty, or both SEs are 0). */
  p: number | null;
}

// Pseudo-counts of the adjusted-Wald interval: 3 extra answers split ¼ / ½ / ¼.
const ADJUST_DETRACTORS = 0.75;
const ADJUST_PASSIVES = 1.5;
const ADJUST_PROMOTERS = 0.75;

function assertCount(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a finite count ≥ 0, got ${value}`);
}

/** Per-answer variance of the +1/0/−1 scores for promoter share p and detractor share d. */
function perAnswerVariance(p: number, d: number): number {
  // max(0, …) only guards against rounding below zero when everyone is in one group.
  return Math.max(0, p + d - (p - d) ** 2);
}

export function npsFromCounts(counts: NpsCounts): NpsResult {
  const { promoters, passives, detractors } = counts;
  assertCount('promoters', promoters);
  assertCount('passives', passives);
  assertCount('detractors', detractors);
  const n = promoters + passives + detractors;
  if (n === 0) return { n, promoters, passives, detractors, score: null, se: null, ci95: null };

  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  const se = 100 * Math.sqrt(perAnswerVariance(p, d) / n);

  const nAdj = n + ADJUST_PROMOTERS + ADJUST_PASSIVES + ADJUST_DETRACTORS;
  const pAdj = (promoters + ADJUST_PROMOTERS) / nAdj;
  const dAdj = (detractors + ADJUST_DETRACTORS) / nAdj;
  const centre = 100 * (pAdj - dAdj);
  const halfWidth = Z_95 * 100 * Math.sqrt(perAnswerVariance(pAdj, dAdj) / nAdj);
  const ci95: [number, number] = [Math.max(-100, centre - halfWidth), Math.min(100, centre + halfWidth)];

  return { n, promoters, passives, detractors, score, se, ci95 };
}

/** z-test for the difference of two independent NPS values; groups may be given as counts or as estimates. */
export function npsDifference(a: NpsCounts | NpsEstimate, b: NpsCounts | NpsEstimate): NpsDifference {
  const ea = 'score' in a ? a : npsFromCounts(a);
  const eb = 'score' in b ? b : npsFromCounts(b);
  if (ea.score === null || eb.score === null || ea.se === null || eb.se === null) {
    return { difference: null, se: null, z: null, p: null };
  }
  const difference = ea.score - eb.score;
  const se = Math.sqrt(ea.se ** 2 + eb.se ** 2);
  if (se === 0) return { difference, se, z: null, p: null };
  const z = difference / se;
  return { difference, se, z, p: normalTwoSidedP(z) };
}

/**
 * Weighted sums over the responses of a group, with y = +1 (promoter), 0 (passive), −1 (detractor).
 * sumWeightedSquaredScores = Σ w·y² = total weight of promoters and detractors.
 */
export interface WeightedNpsSums {
  /** Raw number of responses. */
  n: number;
  sumWeights: number;
  sumWeightedScores: number;
  sumSquaredWeights: number;
  sumWeightedSquaredScores?: number;
}

export interface WeightedNpsResult {
  n: number;
  /** (Σw)² / Σw² (docs/statistics.md#weighting). */
  effectiveN: number | null;
  /** 100 · Σw·y / Σw. */
  score: number | null;
  /**
   * docs/statistics.md#weighting: the unweighted SE formula with weighted shares and the effective n,
   * 100 · √(v_w / n_eff). Null unless sumWeightedSquaredScores is given.
   */
  se: number | null;
}

export function weightedNps(sums: WeightedNpsSums): WeightedNpsResult {
  const { n, sumWeights, sumWeightedScores, sumSquaredWeights, sumWeightedSquaredScores } = sums;
  const effectiveN = kishEffectiveN(sumWeights, sumSquaredWeights);
  if (!(sumWeights > 0) || effectiveN === null) return { n, effectiveN: null, score: null, se: null };
  const mean = sumWeightedScores / sumWeights;
  let se: number | null = null;
  if (sumWeightedSquaredScores !== undefined) {
    // p_w + d_w = Σw·y² / Σw and p_w − d_w = Σw·y / Σw, so v_w = (p_w + d_w) − (p_w − d_w)².
    const variance = Math.max(0, sumWeightedSquaredScores / sumWeights - mean * mean);
    se = 100 * Math.sqrt(variance / effectiveN);
  }
  return { n, effectiveN, score: 100 * mean, se };
}
