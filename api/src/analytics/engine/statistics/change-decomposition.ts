// "Why did it move?" (docs/statistics.md#why-a-figure-moved): the change of a mean outcome between two
// periods split into the change in customer mix, one part per driver dimension (change in its mean
// performance × its unstandardised OLS coefficient fitted on both periods pooled) and the rest, each with
// a percentile interval from a seeded bootstrap within each period, over responses or over random groups
// of them. Pure: the caller passes per-response rows (identical rows collapsed into one with a count), or
// per resampling unit and segment the sums the decomposition needs.

import { createRandom } from '../../../lib/random.ts';
import { correlationFromSums } from './correlation.ts';
import { standardisedBetas } from './drivers.ts';
import { StatisticsError } from './errors.ts';

export type ChangePeriod = 'previous' | 'current';

export interface ChangeRow {
  period: ChangePeriod;
  /** The customer segment the response belongs to (e.g. "A|business"). */
  segment: string;
  /** The outcome: NPS as +100 / 0 / −100 per response, or the per-respondent index (0–100). */
  y: number;
  /** Driver values (dimension scores 0–100) in driver order; null where the respondent has none. */
  x: readonly (number | null)[];
  /** How many responses have exactly this row. */
  count: number;
}

/** Defaults documented in docs/statistics.md: 500 replicates, seed 17, 95 % percentile intervals. */
export const CHANGE_BOOTSTRAP_REPLICATES = 500;
export const CHANGE_BOOTSTRAP_SEED = 17;
/**
 * Resampling units: a period of at most CHANGE_RESPONSE_UNITS_UP_TO responses resamples its responses;
 * a larger one resamples CHANGE_RESAMPLING_GROUPS random groups of them (docs/statistics.md).
 */
export const CHANGE_RESPONSE_UNITS_UP_TO = 2000;
export const CHANGE_RESAMPLING_GROUPS = 256;
/** Below this absolute change (points) the figure "hardly moved" and no part is named. */
export const STEADY_CHANGE = 0.5;

export interface ChangeOptions {
  replicates?: number;
  seed?: number;
  /** Interval coverage, default 0.95. */
  level?: number;
}

export interface ChangePoint {
  previous: number;
  current: number;
  /** The current period with its segment shares replaced by the previous period's. */
  reweightedCurrent: number;
  observed: number;
  mix: number;
  drivers: { coefficient: number; previousMean: number; currentMean: number; change: number; contribution: number }[];
  rest: number;
  /** R² of the pooled fit and the listwise-complete responses behind it. */
  r2: number;
  fitN: number;
}

export type Interval = [number, number] | null;

export interface ChangeDecomposition extends ChangePoint {
  n: { previous: number; current: number };
  intervals: { observed: Interval; mix: Interval; drivers: Interval[]; rest: Interval };
  bootstrap: { replicates: number; valid: number; seed: number; level: number };
  explanation: ChangeExplanation;
}

export interface ChangeExplanation {
  /** driver: a driver dimension mattered most; mix: who answered; rest: neither; steady: hardly moved. */
  kind: 'driver' | 'mix' | 'rest' | 'steady';
  /** Driver index for kind = driver. */
  driver: number | null;
  /** The named part (points) and the observed change (points). */
  part: number;
  change: number;
}

/** The rows can't be decomposed (a period without responses, a driver without data in a period, …). */
export class ChangeInputError extends StatisticsError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/**
 * Sums over a set of responses of one period and one segment: what the decomposition needs of them
 * besides the pooled fit. One response (a row with count 1) or many (a resampling unit's responses).
 */
export interface ChangeCellSums {
  period: ChangePeriod;
  segment: string;
  /** Responses. */
  n: number;
  /** Σy. */
  sumY: number;
  /** Per driver: Σx over the responses with a score, and how many have one. */
  xSum: readonly number[];
  xN: readonly number[];
}

/** Pooled sums of the listwise-complete responses over [y, x₁ … x_p]: n, Σv and the upper triangle of Σv·vᵀ. */
export interface ChangeFitSums {
  n: number;
  sums: number[];
  cross: number[][];
}

const emptyFit = (size: number): ChangeFitSums => ({
  n: 0,
  sums: new Array<number>(size).fill(0),
  cross: Array.from({ length: size }, () => new Array<number>(size).fill(0)),
});

/**
 * The point decomposition for rows weighted by `counts` (the rows' own counts, or a bootstrap
 * replicate's). Throws ChangeInputError, or the regression's statistics errors (singular, constant).
 */
export function decomposeChange(rows: readonly ChangeRow[], p: number, counts: ArrayLike<number> = rows.map((r) => r.count)): ChangePoint {
  const cells: ChangeCellSums[] = rows.map((row) => ({
    period: row.period,
    segment: row.segment,
    n: 1,
    sumY: row.y,
    xSum: row.x.map((x) => x ?? 0),
    xN: row.x.map((x) => (x === null || x === undefined ? 0 : 1)),
  }));
  // Pooled listwise-complete sums over [y, x₁ … x_p] for the fit.
  const size = p + 1;
  const fit = emptyFit(size);
  const v = new Float64Array(size);
  for (let i = 0; i < rows.length; i++) {
    const w = counts[i];
    if (w === 0) continue;
    const row = rows[i];
    if (row.x.some((x) => x === null || x === undefined)) continue;
    fit.n += w;
    v[0] = row.y;
    for (let j = 0; j < p; j++) v[j + 1] = row.x[j] as number;
    for (let a = 0; a < size; a++) {
      fit.sums[a] += w * v[a];
      const va = w * v[a];
      const line = fit.cross[a];
      for (let b = a; b < size; b++) line[b] += va * v[b];
    }
  }
  return decomposeChangeSums(cells, p, counts, fit);
}

// The cells in typed arrays (and each cell's segment as a number), built once per cells array: a bootstrap
// reuses them in every replicate, and the loops over them stay monomorphic.
interface PackedCells {
  segmentOf: Int32Array;
  segmentCount: number;
  previous: Uint8Array;
  n: Float64Array;
  sumY: Float64Array;
  /** Cell i's driver j at i·p + j. */
  xSum: Float64Array;
  xN: Float64Array;
}
const packs = new WeakMap<readonly ChangeCellSums[], PackedCells>();
function packed(cells: readonly ChangeCellSums[], p: number): PackedCells {
  let found = packs.get(cells);
  if (!found) {
    const numbers = new Map<string, number>();
    const count = cells.length;
    found = {
      segmentOf: new Int32Array(count),
      segmentCount: 0,
      previous: new Uint8Array(count),
      n: new Float64Array(count),
      sumY: new Float64Array(count),
      xSum: new Float64Array(count * p),
      xN: new Float64Array(count * p),
    };
    for (let i = 0; i < count; i++) {
      const cell = cells[i];
      let k = numbers.get(cell.segment);
      if (k === undefined) {
        k = numbers.size;
        numbers.set(cell.segment, k);
      }
      found.segmentOf[i] = k;
      found.previous[i] = cell.period === 'previous' ? 1 : 0;
      found.n[i] = cell.n;
      found.sumY[i] = cell.sumY;
      for (let j = 0; j < p; j++) {
        found.xSum[i * p + j] = cell.xSum[j];
        found.xN[i * p + j] = cell.xN[j];
      }
    }
    found.segmentCount = numbers.size;
    packs.set(cells, found);
  }
  return found;
}

/**
 * The point decomposition from per-(period, segment) sums weighted by `weights`, and the pooled fit's
 * sums (already weighted). The one definition behind decomposeChange and the unit bootstrap.
 */
export function decomposeChangeSums(cells: readonly ChangeCellSums[], p: number, weights: ArrayLike<number>, fit: ChangeFitSums): ChangePoint {
  let nPrev = 0;
  let nCur = 0;
  let sumPrev = 0;
  let sumCur = 0;
  // Per segment and period: responses and Σy.
  const cellsOf = packed(cells, p);
  const { segmentOf, segmentCount } = cellsOf;
  const w8 = weights instanceof Float64Array ? weights : Float64Array.from(weights);
  const segPrev = new Float64Array(segmentCount);
  const segCur = new Float64Array(segmentCount);
  const segCurSum = new Float64Array(segmentCount);
  for (let i = 0; i < cells.length; i++) {
    const w = w8[i];
    if (w === 0) continue;
    const s = segmentOf[i];
    const n = w * cellsOf.n[i];
    const sumY = w * cellsOf.sumY[i];
    if (cellsOf.previous[i] === 1) {
      nPrev += n;
      sumPrev += sumY;
      segPrev[s] += n;
    } else {
      nCur += n;
      sumCur += sumY;
      segCur[s] += n;
      segCurSum[s] += sumY;
    }
  }
  if (nPrev === 0 || nCur === 0) throw new ChangeInputError('empty_period', 'Both periods need responses.');
  const previous = sumPrev / nPrev;
  const current = sumCur / nCur;

  // Mix: segments present in both periods, the previous period's shares renormalised over them. Each
  // current response of segment s weighs share_prev(s) / n_cur(s); segments found in one period only
  // get no weight (they have nothing to reweight against).
  let commonPrev = 0;
  for (let s = 0; s < segmentCount; s++) if (segPrev[s] > 0 && segCur[s] > 0) commonPrev += segPrev[s];
  if (commonPrev === 0) throw new ChangeInputError('no_common_segment', 'No customer segment has responses in both periods.');
  const segWeight = new Float64Array(segmentCount);
  let reweightedCurrent = 0;
  for (let s = 0; s < segmentCount; s++) {
    if (!(segPrev[s] > 0 && segCur[s] > 0)) continue;
    segWeight[s] = segPrev[s] / commonPrev / segCur[s];
    reweightedCurrent += (segPrev[s] / commonPrev) * (segCurSum[s] / segCur[s]);
  }

  // Mean performance per driver: the previous period as it is, the current one reweighted to the
  // previous mix (so that a mix shift is not counted again through the drivers).
  const prevSum = new Float64Array(p);
  const prevN = new Float64Array(p);
  const curSum = new Float64Array(p);
  const curN = new Float64Array(p);
  for (let i = 0; i < cells.length; i++) {
    const w = w8[i];
    if (w === 0) continue;
    const at = i * p;
    if (cellsOf.previous[i] === 1) {
      for (let j = 0; j < p; j++) {
        prevSum[j] += w * cellsOf.xSum[at + j];
        prevN[j] += w * cellsOf.xN[at + j];
      }
    } else {
      const rw = segWeight[segmentOf[i]];
      if (rw === 0) continue;
      for (let j = 0; j < p; j++) {
        curSum[j] += w * rw * cellsOf.xSum[at + j];
        curN[j] += w * rw * cellsOf.xN[at + j];
      }
    }
  }
  for (let j = 0; j < p; j++) {
    if (prevN[j] === 0 || curN[j] === 0) throw new ChangeInputError('driver_without_data', `Driver ${j} has no data in one of the periods.`);
  }

  // The importance: unstandardised OLS coefficients b_j = β_j · s_y / s_j with β = R⁻¹ r (the betas of
  // the driver analysis), fitted with an intercept on both periods pooled.
  let coefficients: number[] = [];
  let r2 = 0;
  if (p > 0) {
    if (fit.n < p + 2) throw new ChangeInputError('insufficient_sample', `The pooled fit needs at least ${p + 2} complete responses; got ${fit.n}.`);
    const c = correlationFromSums({ n: fit.n, sums: fit.sums, crossProducts: fit.cross });
    const betas = standardisedBetas(c.R, c.r);
    coefficients = betas.map((beta, j) => (beta * c.ySd) / c.sd[j]);
    r2 = betas.reduce((acc, beta, j) => acc + beta * c.r[j], 0);
  }
  const drivers = coefficients.map((coefficient, j) => {
    const previousMean = prevSum[j] / prevN[j];
    const currentMean = curSum[j] / curN[j];
    const change = currentMean - previousMean;
    return { coefficient, previousMean, currentMean, change, contribution: coefficient * change };
  });
  const observed = current - previous;
  const mix = current - reweightedCurrent;
  const rest = observed - mix - drivers.reduce((acc, d) => acc + d.contribution, 0);
  return { previous, current, reweightedCurrent, observed, mix, drivers, rest, r2, fitN: fit.n };
}

/** Linear-interpolation quantile (type 7) of sorted values. */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function percentileInterval(values: number[], level: number): Interval {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}

/**
 * What mattered most: the part with the largest value in the direction of the change (drivers, mix and
 * rest compete); "steady" when the change is under STEADY_CHANGE points.
 */
export function explainChange(point: Pick<ChangePoint, 'observed' | 'mix' | 'rest' | 'drivers'>): ChangeExplanation {
  const change = point.observed;
  if (Math.abs(change) < STEADY_CHANGE) return { kind: 'steady', driver: null, part: 0, change };
  const direction = Math.sign(change);
  const parts: { kind: 'driver' | 'mix' | 'rest'; driver: number | null; part: number }[] = [
    ...point.drivers.map((d, j) => ({ kind: 'driver' as const, driver: j, part: d.contribution })),
    { kind: 'mix', driver: null, part: point.mix },
    { kind: 'rest', driver: null, part: point.rest },
  ];
  // The part pulling hardest the way the figure moved (one always pulls that way: they add up to it).
  const best = parts.reduce((a, b) => (direction * b.part > direction * a.part ? b : a));
  return { ...best, change };
}

/**
 * The decomposition with bootstrap intervals: each replicate draws n_previous responses from the
 * previous period and n_current from the current one, with replacement (segment shares vary with the
 * draw), and recomputes everything, the pooled fit included. Replicates whose fit fails (a driver
 * without data or variance in the draw, collinear drivers) are left out and counted; with fewer than
 * half of them valid, the intervals are null.
 */
export function changeDecomposition(rows: readonly ChangeRow[], p: number, options: ChangeOptions = {}): ChangeDecomposition {
  const replicates = options.replicates ?? CHANGE_BOOTSTRAP_REPLICATES;
  const seed = options.seed ?? CHANGE_BOOTSTRAP_SEED;
  const level = options.level ?? 0.95;
  for (const row of rows) {
    if (row.x.length !== p) throw new RangeError(`every row needs ${p} driver values`);
    if (!(row.count >= 0) || !Number.isInteger(row.count)) throw new RangeError('row counts must be non-negative integers');
  }
  const point = decomposeChange(rows, p);

  // Per period: the row indexes and their cumulative counts, for drawing responses.
  const strata = (['previous', 'current'] as const).map((period) => {
    const index: number[] = [];
    const cumulative: number[] = [];
    let total = 0;
    rows.forEach((row, i) => {
      if (row.period !== period || row.count === 0) return;
      total += row.count;
      index.push(i);
      cumulative.push(total);
    });
    return { index, cumulative, total };
  });
  const random = createRandom(seed);
  const counts = new Float64Array(rows.length);
  const samples = collectReplicates(p, replicates, () => {
    counts.fill(0);
    for (const stratum of strata) {
      for (let k = 0; k < stratum.total; k++) {
        // The response number u falls in the row whose cumulative count first exceeds it.
        const u = Math.floor(random.next() * stratum.total);
        let lo = 0;
        let hi = stratum.cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (stratum.cumulative[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        counts[stratum.index[lo]] += 1;
      }
    }
    return decomposeChange(rows, p, counts);
  });
  return {
    ...point,
    n: { previous: strata[0].total, current: strata[1].total },
    ...intervalsOf(samples, replicates, level),
    bootstrap: { replicates, valid: samples.observed.length, seed, level },
    explanation: explainChange(point),
  };
}

interface ReplicateSamples {
  observed: number[];
  mix: number[];
  rest: number[];
  drivers: number[][];
}

/** Runs the replicates; one whose fit fails (a statistics error) is left out. */
function collectReplicates(p: number, replicates: number, replicate: () => ChangePoint): ReplicateSamples {
  const samples: ReplicateSamples = { observed: [], mix: [], rest: [], drivers: Array.from({ length: p }, () => []) };
  for (let b = 0; b < replicates; b++) {
    let point: ChangePoint;
    try {
      point = replicate();
    } catch (error) {
      if (error instanceof StatisticsError) continue;
      throw error;
    }
    samples.observed.push(point.observed);
    samples.mix.push(point.mix);
    samples.rest.push(point.rest);
    point.drivers.forEach((d, j) => samples.drivers[j].push(d.contribution));
  }
  return samples;
}

/** Percentile intervals of the replicates; null with fewer than half of them valid. */
function intervalsOf(samples: ReplicateSamples, replicates: number, level: number): Pick<ChangeDecomposition, 'intervals'> {
  const usable = replicates > 0 && samples.observed.length >= replicates / 2;
  const interval = (values: number[]) => (usable ? percentileInterval(values, level) : null);
  return {
    intervals: { observed: interval(samples.observed), mix: interval(samples.mix), drivers: samples.drivers.map(interval), rest: interval(samples.rest) },
  };
}

/**
 * The sums of one resampling unit's responses in one (period, segment): the cell sums, and the pooled
 * fit's sums over its listwise-complete responses (fitProducts: the upper triangle of Σv·vᵀ row by row).
 */
export interface ChangeUnitCell extends ChangeCellSums {
  /** The resampling unit within its period (a response, or a random group of responses). */
  unit: string;
  fitN: number;
  fitSums: readonly number[];
  fitProducts: readonly number[];
}

/**
 * The decomposition with bootstrap intervals over resampling units instead of single responses: each
 * replicate draws, per period, as many units as the period has, with replacement, and recomputes
 * everything from the units' sums. With one response per unit this is the response-level bootstrap of
 * changeDecomposition (the same draws for the same seed); with random groups of responses it is the
 * random-group bootstrap (docs/statistics.md#why-a-figure-moved), whose cost does not grow with n.
 */
export function changeDecompositionByUnits(cells: readonly ChangeUnitCell[], p: number, options: ChangeOptions = {}): ChangeDecomposition {
  const replicates = options.replicates ?? CHANGE_BOOTSTRAP_REPLICATES;
  const seed = options.seed ?? CHANGE_BOOTSTRAP_SEED;
  const level = options.level ?? 0.95;
  const size = p + 1;
  const triangle = (size * (size + 1)) / 2;
  for (const cell of cells) {
    if (cell.xSum.length !== p || cell.xN.length !== p || cell.fitSums.length !== size || cell.fitProducts.length !== triangle) {
      throw new RangeError(`every cell needs ${p} driver sums and the fit sums of ${size} variables`);
    }
  }
  // Units per period in order of first appearance; each cell knows its unit's index.
  const strata = (['previous', 'current'] as const).map((period) => ({ period, units: new Map<string, number>(), responses: 0 }));
  const unitOf = new Int32Array(cells.length);
  const fits: ChangeFitSums[] = [];
  cells.forEach((cell, i) => {
    const stratum = strata[cell.period === 'previous' ? 0 : 1];
    stratum.responses += cell.n;
    let unit = stratum.units.get(cell.unit);
    if (unit === undefined) {
      unit = fits.length;
      stratum.units.set(cell.unit, unit);
      fits.push(emptyFit(size));
    }
    unitOf[i] = unit;
    // The fit is pooled over periods and segments: summed per unit once, weighted per replicate.
    const fit = fits[unit];
    fit.n += cell.fitN;
    let k = 0;
    for (let a = 0; a < size; a++) {
      fit.sums[a] += cell.fitSums[a];
      for (let b = a; b < size; b++) fit.cross[a][b] += cell.fitProducts[k++];
    }
  });
  const unitIndexes = strata.map((stratum) => [...stratum.units.values()]);

  const weighted = (unitCounts: ArrayLike<number>): ChangePoint => {
    const weights = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) weights[i] = unitCounts[unitOf[i]];
    const fit = emptyFit(size);
    for (let u = 0; u < fits.length; u++) {
      const w = unitCounts[u];
      if (w === 0) continue;
      const unitFit = fits[u];
      fit.n += w * unitFit.n;
      for (let a = 0; a < size; a++) {
        fit.sums[a] += w * unitFit.sums[a];
        const line = fit.cross[a];
        const from = unitFit.cross[a];
        for (let b = a; b < size; b++) line[b] += w * from[b];
      }
    }
    return decomposeChangeSums(cells, p, weights, fit);
  };

  const point = weighted(new Float64Array(fits.length).fill(1));
  const random = createRandom(seed);
  const unitCounts = new Float64Array(fits.length);
  const samples = collectReplicates(p, replicates, () => {
    unitCounts.fill(0);
    for (const units of unitIndexes) {
      for (let k = 0; k < units.length; k++) unitCounts[units[Math.floor(random.next() * units.length)]] += 1;
    }
    return weighted(unitCounts);
  });
  return {
    ...point,
    n: { previous: strata[0].responses, current: strata[1].responses },
    ...intervalsOf(samples, replicates, level),
    bootstrap: { replicates, valid: samples.observed.length, seed, level },
    explanation: explainChange(point),
  };
}
