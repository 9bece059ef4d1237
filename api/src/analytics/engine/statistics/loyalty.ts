// The loyalty ladder, the loyalty evaluation index and customer value (docs/statistics.md#loyalty-ladder-index-and-customer-value).
// Pure: the SQL in api/src/loyalty/loyalty.queries.ts returns per-customer figures and sums; these functions
// turn them into rungs, index parts, intervals and lifetime values.

import { createRandom } from '../../../lib/random.ts';
import { Z_95 } from './distributions.ts';
import { welchTTest, type MeanSummary } from './means.ts';
import { npsDifference, npsFromCounts, type NpsCategory, type NpsCounts } from './nps.ts';

export const RUNGS = ['one_time', 'repeat', 'loyal', 'advocate', 'at_risk'] as const;
export type Rung = (typeof RUNGS)[number];
export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];
export const INDEX_PARTS = ['csi', 'nps', 'repeatRate', 'repeatRevenue'] as const;
export type IndexPart = (typeof INDEX_PARTS)[number];

export interface TierThresholds {
  /** Loyal needs at least this many rentals picked up in the 12 months before the as-of date. */
  minRentals12m: number;
  /** … and the last rental at most this many days before it. */
  maxRecencyDays: number;
}

export interface LoyaltySettings {
  /** Weights of the index parts (renormalised to sum 1). */
  weights: Record<IndexPart, number>;
  tiers: Record<Tier, TierThresholds>;
  /** At risk when the time since the last rental exceeds this multiple of the customer's usual gap. */
  overdueFactor: number;
  /** Only rentals picked up this many months before the as-of date count for the ladder. */
  lookbackMonths: number;
  /** Margin as a share of a rental's amount (the lifetime value's assumption). */
  marginRate: number;
  /** Years the lifetime value looks ahead. */
  horizonYears: number;
  /** Retention used for a tier with fewer than minN customers in the year before last. */
  defaultRetention: number;
}

/** The documented defaults (docs/statistics.md); the quality manager changes them on /loyalty. */
export const DEFAULT_LOYALTY_SETTINGS: LoyaltySettings = {
  weights: { csi: 0.3, nps: 0.3, repeatRate: 0.2, repeatRevenue: 0.2 },
  tiers: {
    A: { minRentals12m: 4, maxRecencyDays: 90 },
    B: { minRentals12m: 3, maxRecencyDays: 120 },
    C: { minRentals12m: 2, maxRecencyDays: 180 },
  },
  overdueFactor: 1.5,
  lookbackMonths: 24,
  marginRate: 0.25,
  horizonYears: 5,
  defaultRetention: 0.6,
};

export interface CustomerAtDate {
  /** Rentals picked up in the lookback window up to the as-of date. */
  rentals: number;
  /** Of those, picked up in the 12 months (365 days) before the as-of date. */
  rentals12m: number;
  /** Days from the last pick-up to the as-of date. */
  recencyDays: number;
  /** Mean days between consecutive pick-ups, (last − first) / (rentals − 1); null with one rental. */
  usualGapDays: number | null;
  /** Value tier; a customer without one is treated as C. */
  tier: Tier | null;
  /** NPS category of the customer's latest answer in the 365 days before the as-of date. */
  attitude: NpsCategory | null;
}

/** Mean gap between pick-ups in days: (last − first) / (n − 1); null when n < 2. */
export function usualGapDays(first: Date, last: Date, rentals: number): number | null {
  if (rentals < 2) return null;
  return (last.getTime() - first.getTime()) / 86_400_000 / (rentals - 1);
}

/**
 * The customer's rung (docs/statistics.md). Null for a customer without a rental in the lookback window.
 * one_time: 1 rental; frequent = rentals12m ≥ the tier's minimum; a frequent customer who is a detractor,
 * or past the tier's recency limit, or overdue (recency > overdueFactor × usual gap) is at_risk; otherwise a
 * frequent promoter is an advocate and any other frequent customer loyal; everyone else with ≥ 2 rentals repeat.
 */
export function ladderRung(c: CustomerAtDate, settings: Pick<LoyaltySettings, 'tiers' | 'overdueFactor'> = DEFAULT_LOYALTY_SETTINGS): Rung | null {
  if (c.rentals <= 0) return null;
  if (c.rentals === 1) return 'one_time';
  const th = settings.tiers[c.tier ?? 'C'];
  if (c.rentals12m < th.minRentals12m) return 'repeat';
  const recent = c.recencyDays <= th.maxRecencyDays;
  const overdue = c.usualGapDays !== null && c.recencyDays > settings.overdueFactor * c.usualGapDays;
  if (!recent || overdue || c.attitude === 'detractor') return 'at_risk';
  return c.attitude === 'promoter' ? 'advocate' : 'loyal';
}

/** Sums over one bootstrap unit (a customer, or a response without a customer) in one group. */
export interface IndexUnit {
  /** Responses with a per-respondent index, and the sum of those indexes (0–100). */
  csiN: number;
  csiSum: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** 1 when the customer picked up a rental of the group in the 12-month window. */
  renter: number;
  /** 1 when that customer picked up 2 or more rentals (anywhere) in the window. */
  repeater: number;
  /** Amount of the group's rentals in the window, and of those of repeaters. */
  revenue: number;
  repeatRevenue: number;
}

export interface IndexParts {
  csi: number | null;
  nps: number | null;
  /** (NPS + 100) / 2. */
  npsRescaled: number | null;
  repeatRate: number | null;
  repeatRevenue: number | null;
  counts: { responses: number; npsN: number; renters: number; repeaters: number; revenue: number; repeatRevenue: number };
}

export function sumUnits(units: readonly IndexUnit[]): IndexUnit {
  const total: IndexUnit = { csiN: 0, csiSum: 0, promoters: 0, passives: 0, detractors: 0, renter: 0, repeater: 0, revenue: 0, repeatRevenue: 0 };
  for (const u of units) {
    total.csiN += u.csiN;
    total.csiSum += u.csiSum;
    total.promoters += u.promoters;
    total.passives += u.passives;
    total.detractors += u.detractors;
    total.renter += u.renter;
    total.repeater += u.repeater;
    total.revenue += u.revenue;
    total.repeatRevenue += u.repeatRevenue;
  }
  return total;
}

/** The four parts on 0–100 from summed units; a part is null under minN (its own n) or without revenue. */
export function indexParts(s: IndexUnit, minN: number): IndexParts {
  const nps = npsFromCounts({ promoters: s.promoters, passives: s.passives, detractors: s.detractors });
  const npsOk = nps.n >= minN && nps.score !== null;
  const rentersOk = s.renter >= minN;
  return {
    csi: s.csiN >= minN ? s.csiSum / s.csiN : null,
    nps: npsOk ? nps.score : null,
    npsRescaled: npsOk ? ((nps.score as number) + 100) / 2 : null,
    repeatRate: rentersOk ? (100 * s.repeater) / s.renter : null,
    repeatRevenue: rentersOk && s.revenue > 0 ? (100 * s.repeatRevenue) / s.revenue : null,
    counts: { responses: s.csiN, npsN: nps.n, renters: s.renter, repeaters: s.repeater, revenue: s.revenue, repeatRevenue: s.repeatRevenue },
  };
}

/** Weights renormalised to sum 1 over the parts with a positive weight. Throws when none is positive. */
export function normaliseWeights(weights: Record<IndexPart, number>): Record<IndexPart, number> {
  const total = INDEX_PARTS.reduce((s, p) => s + Math.max(0, weights[p]), 0);
  if (!(total > 0)) throw new RangeError('at least one index weight must be positive');
  return Object.fromEntries(INDEX_PARTS.map((p) => [p, Math.max(0, weights[p]) / total])) as Record<IndexPart, number>;
}

/** LEI = Σ w·part over the parts, with NPS rescaled; null when a part with a positive weight is null. */
export function loyaltyIndex(
  parts: Pick<IndexParts, 'csi' | 'npsRescaled' | 'repeatRate' | 'repeatRevenue'>,
  weights: Record<IndexPart, number>,
): number | null {
  const w = normaliseWeights(weights);
  const value: Record<IndexPart, number | null> = { csi: parts.csi, nps: parts.npsRescaled, repeatRate: parts.repeatRate, repeatRevenue: parts.repeatRevenue };
  let index = 0;
  for (const p of INDEX_PARTS) {
    if (w[p] === 0) continue;
    const v = value[p];
    if (v === null) return null;
    index += w[p] * v;
  }
  return index;
}

/** Linear-interpolation quantile (type 7) of sorted values. */
export function quantileType7(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export const LOYALTY_BOOTSTRAP = { replicates: 500, seed: 17 } as const;

/**
 * 95 % percentile interval of the index from a seeded bootstrap over units (customers): each replicate draws
 * as many units as there are, with replacement, and recomputes parts and index. Null when fewer than half
 * of the replicates give an index.
 */
export function bootstrapIndexInterval(
  units: readonly IndexUnit[],
  weights: Record<IndexPart, number>,
  minN: number,
  options: { replicates?: number; seed?: number } = {},
): { ci95: [number, number] | null; valid: number; replicates: number } {
  const replicates = options.replicates ?? LOYALTY_BOOTSTRAP.replicates;
  const random = createRandom(options.seed ?? LOYALTY_BOOTSTRAP.seed);
  const n = units.length;
  const values: number[] = [];
  if (n > 0) {
    for (let b = 0; b < replicates; b++) {
      const draw: IndexUnit[] = new Array(n);
      for (let i = 0; i < n; i++) draw[i] = units[Math.floor(random.next() * n)];
      const index = loyaltyIndex(indexParts(sumUnits(draw), minN), weights);
      if (index !== null) values.push(index);
    }
  }
  if (values.length < replicates / 2) return { ci95: null, valid: values.length, replicates };
  values.sort((a, b) => a - b);
  return { ci95: [quantileType7(values, 0.025), quantileType7(values, 0.975)], valid: values.length, replicates };
}

/** Expected rentals over the horizon: f · Σ_{t=1..H} r^t (rents f a year while still a customer in year t). */
export function expectedRentals(rentalsPerYear: number, retention: number, horizonYears: number): number {
  let factor = 0;
  let survive = 1;
  for (let t = 1; t <= horizonYears; t++) {
    survive *= retention;
    factor += survive;
  }
  return rentalsPerYear * factor;
}

/** Simple lifetime value: marginRate × average amount per rental × expected rentals. */
export function lifetimeValue(
  input: { averageAmount: number; rentals12m: number; retention: number },
  settings: Pick<LoyaltySettings, 'marginRate' | 'horizonYears'>,
): number {
  return settings.marginRate * input.averageAmount * expectedRentals(input.rentals12m, input.retention, settings.horizonYears);
}

/** A tier's retention: of `base` customers with a rental in the year before last, `retained` rented again in the last year. */
export function tierRetention(base: number, retained: number, minN: number, fallback: number): { retention: number; measured: boolean } {
  if (base < minN || base === 0) return { retention: fallback, measured: false };
  return { retention: retained / base, measured: true };
}

/** Rank limit of the top value band: ⌈0.2 · customers⌉. */
export const topBandSize = (customers: number) => Math.ceil(0.2 * customers);

export interface BandSatisfaction {
  nps: NpsCounts;
  /** Per-respondent index of the band's responses. */
  csi: MeanSummary;
}

/** Top 20 % against the rest: NPS difference (z-test, d ± 1.96·SE) and per-respondent index difference (Welch, d ± 1.96·SE). */
export function compareBands(top: BandSatisfaction, rest: BandSatisfaction, minN: number) {
  const npsTop = npsFromCounts(top.nps);
  const npsRest = npsFromCounts(rest.nps);
  const npsOk = npsTop.n >= minN && npsRest.n >= minN;
  const nd = npsOk ? npsDifference(top.nps, rest.nps) : { difference: null, se: null, z: null, p: null };
  const csiOk = top.csi.n >= minN && rest.csi.n >= minN;
  const welch = csiOk ? welchTTest(top.csi, rest.csi) : { difference: null, t: null, df: null, p: null };
  const csiSe = csiOk && top.csi.n >= 2 && rest.csi.n >= 2 ? Math.sqrt(top.csi.variance / top.csi.n + rest.csi.variance / rest.csi.n) : null;
  const interval = (d: number | null, se: number | null): [number, number] | null => (d === null || se === null ? null : [d - Z_95 * se, d + Z_95 * se]);
  return {
    nps: {
      top: npsOk ? npsTop.score : null,
      rest: npsOk ? npsRest.score : null,
      nTop: npsTop.n,
      nRest: npsRest.n,
      difference: nd.difference,
      ci95: interval(nd.difference, nd.se),
      p: nd.p,
      significant: nd.p !== null && nd.p < 0.05,
    },
    csi: {
      top: csiOk ? top.csi.mean : null,
      rest: csiOk ? rest.csi.mean : null,
      nTop: top.csi.n,
      nRest: rest.csi.n,
      difference: welch.difference,
      ci95: interval(welch.difference, csiSe),
      p: welch.p,
      significant: welch.p !== null && welch.p < 0.05,
    },
  };
}
