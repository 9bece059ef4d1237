// /api/analytics/drivers: key-driver analysis (docs/statistics.md#driver-analysis). Over all filtered
// responses: their count and each item's and dimension's answer count (the coverage that decides which
// drivers a default set keeps) and item sums (performance); then ONE pass over the listwise-complete
// responses gives n, Σx and Σx·x of [y, x₁ … x_p]. Both come from the rollups when they can answer (at
// most one segment; their driver sums are those of the recommend question on every dimension, and on every
// item), otherwise from the facts. Correlations and weights are computed from those sums.
import type { Sql } from '../db/client.ts';
import { ProblemError, badRequest } from '../lib/problem.ts';
import { MIN_DRIVER_COVERAGE, type DriverSet, type DriversQuery } from './drivers.schemas.ts';
import { rollupDriverSums } from './engine/segments.queries.ts';
import { FACTS_SOURCE, analyticsRead, scopeSql } from './engine/filters.queries.ts';
import type { MetricPlan, PlanItem } from './engine/metrics.queries.ts';
import {
  ConstantVariableError,
  InsufficientSampleError,
  MAX_SHAPLEY_DRIVERS,
  SingularMatrixError,
  TooManyDriversError,
  correlationFromSums,
  driverAnalysis,
  quadrantOf,
  rSquared,
  rescaleTo100,
  standardisedBetas,
  type Quadrant,
} from './engine/statistics/index.ts';
import { prepare, type AnalyticsRequest } from './engine/request.queries.ts';
import { dimensionLabel, itemLabel, questionById } from './engine/survey-context.ts';

interface Driver {
  id: string;
  label: string;
  /** The respondent's value: a facts expression (dimension score or item answer). */
  source: string;
  /** Items behind the driver's performance (indexes into plan.items). */
  items: number[];
  dimensionId: string | null;
  /** Responses with a value for the driver, from the totals (dimension or item answer counts). */
  answered: (totals: DriverTotals) => number;
}

const unprocessableDrivers = (detail: string, code: string, extensions: Record<string, unknown> = {}) =>
  new ProblemError(422, 'Unprocessable Entity', detail, undefined, { code, ...extensions });

/** Every dimension with items, in the order of the definition (the order of the daily rollup's driver sums). */
function dimensionDrivers(req: AnalyticsRequest): Driver[] {
  const { plan, survey, locale } = req;
  return plan.dimensions.flatMap((d, k) =>
    d.items.length === 0
      ? []
      : [
          {
            id: d.id,
            label: dimensionLabel(survey, d.id, locale),
            source: d.source,
            items: d.items,
            dimensionId: d.id,
            answered: (t: DriverTotals) => t.dim_n[k],
          },
        ],
  );
}

/** Every dimension item (the outcome question itself left out). */
function itemDrivers(req: AnalyticsRequest, outcome: string): Driver[] {
  const { plan, survey, locale } = req;
  const seen = new Set<string>();
  return plan.items.flatMap((item, i) => {
    const id = item.itemId ? `${item.questionId}.${item.itemId}` : item.questionId;
    if (seen.has(id) || (item.questionId === outcome && !item.itemId)) return [];
    seen.add(id);
    return [
      {
        id,
        label: itemLabel(survey, item, locale),
        source: item.source,
        items: [i],
        dimensionId: item.dimensionId,
        answered: (t: DriverTotals) => t.item_n[i],
      },
    ];
  });
}

/**
 * The candidate drivers and the ones the caller chose: `dimensions` / `items` take every candidate
 * (the coverage rule trims them later); a list takes those ids, kept in the candidates' order.
 */
function chooseDrivers(
  req: AnalyticsRequest,
  drivers: string,
  outcome: string,
): { set: DriverSet | 'chosen'; kind: DriverSet; candidates: Driver[]; chosen: Driver[] } {
  if (drivers === 'dimensions' || drivers === 'items') {
    const candidates = drivers === 'dimensions' ? dimensionDrivers(req) : itemDrivers(req, outcome);
    return { set: drivers, kind: drivers, candidates, chosen: candidates };
  }
  const ids = [...new Set(drivers.split(','))];
  const dimensions = dimensionDrivers(req);
  const items = itemDrivers(req, outcome);
  const kind = ids.every((id) => dimensions.some((d) => d.id === id)) ? 'dimensions' : 'items';
  const candidates = kind === 'dimensions' ? dimensions : items;
  const unknown = ids.filter((id) => !candidates.some((d) => d.id === id));
  if (unknown.length > 0) {
    const isDimension = (id: string) => dimensions.some((d) => d.id === id);
    const message =
      unknown.some(isDimension) || ids.some(isDimension)
        ? 'list dimensions or items, not both'
        : `no dimension or item ${unknown.map((id) => `"${id}"`).join(', ')} in this survey`;
    throw badRequest('Invalid query', [{ path: 'drivers', message }]);
  }
  return { set: 'chosen', kind, candidates, chosen: candidates.filter((d) => ids.includes(d.id)) };
}

/** Performance 0–100 of a driver: its dimension score (mean of item scores, item-weighted) or item score. */
function performanceOf(plan: MetricPlan, driver: Driver, itemN: number[], itemSum: number[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const i of driver.items) {
    const item: PlanItem = plan.items[i];
    if (itemN[i] === 0) continue;
    weighted += item.itemWeight * rescaleTo100(itemSum[i] / itemN[i], item.min, item.max);
    weights += item.itemWeight;
  }
  return weights > 0 ? weighted / weights : null;
}

/** Over all filtered responses: their count, the answers to the outcome, and each item's and dimension's n (and item Σx). */
interface DriverTotals {
  responses: number;
  with_outcome: number;
  item_n: number[];
  item_sum: number[];
  dim_n: number[];
}

/** Over the listwise-complete responses: n, Σx and the upper triangle of Σx·x of [y, x₁ … x_p]. */
interface ListwiseSums {
  n: number;
  sums: number[];
  products: number[];
}

const sqlArray = (parts: string[], type: string) => (parts.length === 0 ? `'{}'::${type}[]` : `array[${parts.join(', ')}]::${type}[]`);

/** The totals from one pass over the filtered facts rows. */
async function factsTotals(sql: Sql, req: AnalyticsRequest, outcomeColumn: string): Promise<DriverTotals> {
  const { plan, filters } = req;
  const scope = scopeSql(sql, FACTS_SOURCE, filters, []);
  return analyticsRead(sql, async (tx) => {
    const [totals] = await tx<DriverTotals[]>`
      select count(*)::int as responses,
             count(${sql.unsafe(outcomeColumn)})::int as with_outcome,
             ${sql.unsafe(
               sqlArray(
                 plan.items.map((i) => `count(${i.source})`),
                 'int',
               ),
             )} as item_n,
             ${sql.unsafe(
               sqlArray(
                 plan.items.map((i) => `coalesce(sum(${i.source}), 0)`),
                 'float8',
               ),
             )} as item_sum,
             ${sql.unsafe(
               sqlArray(
                 plan.dimensions.map((d) => `count(${d.source})`),
                 'int',
               ),
             )} as dim_n
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where}`;
    return totals;
  });
}

/** One pass over the facts' listwise-complete rows gives n, Σx and Σx·x (each driver read once per row). */
async function factsListwiseSums(sql: Sql, req: AnalyticsRequest, outcomeColumn: string, drivers: Driver[]): Promise<ListwiseSums> {
  const { filters } = req;
  const scope = scopeSql(sql, FACTS_SOURCE, filters, []);
  const vars = ['y', ...drivers.map((_, j) => `x${j}`)];
  const columns = [`${outcomeColumn} as y`, ...drivers.map((d, j) => `${d.source} as x${j}`)];
  const complete = [outcomeColumn, ...drivers.map((d) => d.source)].map((v) => `${v} is not null`).join(' and ');
  const products: string[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(`coalesce(sum(${vars[i]} * ${vars[j]}), 0)`);
  return analyticsRead(sql, async (tx) => {
    const [sums] = await tx<ListwiseSums[]>`
      select count(*)::int as n,
             ${sql.unsafe(
               sqlArray(
                 vars.map((v) => `coalesce(sum(${v}), 0)`),
                 'float8',
               ),
             )} as sums,
             ${sql.unsafe(sqlArray(products, 'float8'))} as products
      from (
        select ${sql.unsafe(columns.join(', '))}
        from analytics_response_facts f ${scope.joins}
        where f.survey_id = ${filters.surveyId} and ${scope.where} and ${sql.unsafe(complete)}
      ) t`;
    return sums;
  });
}

/** Share of the filtered responses with a value for the driver; null without responses. */
const coverageOf = (driver: Driver, totals: DriverTotals): number | null => (totals.responses > 0 ? driver.answered(totals) / totals.responses : null);

const sign = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

export async function buildDrivers(sql: Sql, query: DriversQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const req = await prepare(sql, query, options);
  const { plan, survey, filters, locale } = req;
  const outcomeId = query.outcome ?? survey.metrics.nps ?? survey.metrics.csat;
  if (!outcomeId) throw badRequest('Invalid query', [{ path: 'outcome', message: 'the survey has no recommend or satisfaction question; name one' }]);
  const outcomeQuestion = questionById(survey, outcomeId);
  if (!outcomeQuestion || !['nps', 'csat', 'rating'].includes(outcomeQuestion.type)) {
    throw badRequest('Invalid query', [{ path: 'outcome', message: `"${outcomeId}" is not a 0–10 or rating question of this survey` }]);
  }
  const { layout } = req;
  const outcomeColumn = layout.column('f', outcomeId);
  const { set, kind, candidates, chosen } = chooseDrivers(req, query.drivers, outcomeId);
  if (candidates.length === 0) throw unprocessableDrivers('The survey has no dimension items to analyse.', 'no_drivers');

  // The answer counts and item sums of the recommend question's analysis come from the rollups when they can
  // answer (at most one segment); anything else is read from the facts.
  const sets = layout.driverSets;
  const rollupRow = outcomeId === survey.metrics.nps ? await rollupDriverSums(sql, filters, plan, sets, kind) : null;
  const totals: DriverTotals = rollupRow ?? (await factsTotals(sql, req, outcomeColumn));

  // The coverage rule (docs/statistics.md#driver-analysis): a default set leaves out drivers that fewer than
  // half of the responses answered (a dimension shown to some customers only), which listwise deletion
  // would otherwise turn into a tiny or empty sample. A list named by the caller is taken as it is.
  const available = candidates.map((d) => ({ id: d.id, label: d.label, coverage: coverageOf(d, totals) }));
  const excluded =
    set === 'chosen' ? [] : available.filter((d): d is typeof d & { coverage: number } => d.coverage !== null && d.coverage < MIN_DRIVER_COVERAGE);
  const drivers = chosen.filter((d) => !excluded.some((e) => e.id === d.id));
  const p = drivers.length;
  if (p === 0) {
    throw unprocessableDrivers(
      `Every ${set === 'items' ? 'item' : 'dimension'} was answered by fewer than ${100 * MIN_DRIVER_COVERAGE}% of the responses; list the drivers to analyse.`,
      'no_drivers',
      { excluded },
    );
  }
  if (query.method === 'shapley' && p > MAX_SHAPLEY_DRIVERS) {
    throw unprocessableDrivers(
      `Shapley (LMG) is computed exactly for at most ${MAX_SHAPLEY_DRIVERS} drivers; this analysis has ${p}. Use method=relative_weights, or drivers=dimensions.`,
      'too_many_drivers',
      { drivers: p, maxDrivers: MAX_SHAPLEY_DRIVERS },
    );
  }

  // The rollups' listwise sums are those of the drivers the default analysis keeps over all answers: usable
  // when this analysis has exactly those.
  const rollupMatches =
    rollupRow !== null &&
    (kind === 'dimensions'
      ? drivers.length === sets.dimensions.length && drivers.every((d, j) => d.dimensionId === d.id && d.id === plan.dimensions[sets.dimensions[j]].id)
      : drivers.length === sets.items.length &&
        drivers.every((d, j) => d.items.length === 1 && d.items[0] === sets.items[j] && d.source === plan.items[sets.items[j]].source));
  const row: ListwiseSums = rollupMatches ? rollupRow : await factsListwiseSums(sql, req, outcomeColumn, drivers);

  const n = row.n;
  if (n < p + 2) {
    throw unprocessableDrivers(
      `Driver analysis needs at least ${p + 2} responses that answered the outcome and every driver (p + 2 for ${p} drivers); ${n} did.`,
      'insufficient_sample',
      { n, required: p + 2, excluded },
    );
  }
  const size = p + 1;
  const crossProducts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  let k = 0;
  for (let i = 0; i < size; i++) for (let j = i; j < size; j++) crossProducts[i][j] = row.products[k++];

  let correlations;
  try {
    correlations = correlationFromSums({ n, sums: row.sums, crossProducts });
  } catch (error) {
    if (error instanceof ConstantVariableError) {
      const names = error.indexes.map((i) => (i === 0 ? `outcome ${outcomeId}` : drivers[i - 1].id));
      throw unprocessableDrivers(`No variation in ${names.join(', ')}: correlations are undefined.`, 'constant_variable', { variables: names });
    }
    throw error;
  }
  const { R, r } = correlations;
  const performance = drivers.map((d) => performanceOf(plan, d, totals.item_n, totals.item_sum));

  let r2: number | null;
  let rows: { weight: number; share: number | null; sign: -1 | 0 | 1; r: number; beta: number | null }[];
  const warnings: string[] = [];
  try {
    if (query.method === 'relative_weights' || query.method === 'shapley') {
      const result = driverAnalysis({ R, r, n, method: query.method, performance });
      r2 = result.r2;
      rows = result.drivers.map((d) => ({ weight: d.weight, share: d.share, sign: d.sign, r: d.r, beta: d.beta }));
      warnings.push(...result.warnings);
    } else {
      if (n < 50 + 8 * p) warnings.push('small_sample');
      let betas: number[] | null = null;
      try {
        betas = standardisedBetas(R, r);
        r2 = rSquared(R, r);
      } catch (error) {
        if (!(error instanceof SingularMatrixError) || query.method === 'beta') throw error;
        r2 = null;
        warnings.push('collinear_drivers');
      }
      // Importance of a correlation or beta: its square, as a share of the sum of squares.
      const values = query.method === 'correlation' ? r : betas!;
      const total = values.reduce((acc, v) => acc + v * v, 0);
      rows = values.map((value, j) => ({
        weight: value,
        share: total > 0 ? (100 * value * value) / total : null,
        sign: sign(value),
        r: r[j],
        beta: betas ? betas[j] : null,
      }));
    }
  } catch (error) {
    if (error instanceof SingularMatrixError) {
      throw unprocessableDrivers('The drivers are collinear (one is a combination of the others); choose fewer drivers.', 'singular_matrix');
    }
    if (error instanceof InsufficientSampleError || error instanceof TooManyDriversError) {
      throw unprocessableDrivers(error.message, error.code);
    }
    throw error;
  }
  if (n < 0.5 * totals.with_outcome) warnings.push('many_incomplete');

  const known = performance.filter((v): v is number => v !== null);
  const performanceCut = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
  const shareCut = 100 / p;
  const result = drivers.map((d, j) => {
    const share = rows[j].share;
    const perf = performance[j];
    const quadrant: Quadrant | null = share !== null && perf !== null && performanceCut !== null ? quadrantOf(share, perf, shareCut, performanceCut) : null;
    return { id: d.id, label: d.label, dimension: d.dimensionId, ...rows[j], performance: perf, coverage: coverageOf(d, totals), quadrant };
  });

  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    method: query.method,
    outcome: outcomeId,
    outcomeLabel: itemLabel(survey, { questionId: outcomeId, itemId: null }, locale),
    driverSet: set,
    n,
    responsesWithOutcome: totals.with_outcome,
    r2,
    shareCut,
    performanceCut,
    drivers: result,
    minCoverage: MIN_DRIVER_COVERAGE,
    excluded,
    available,
    warnings,
  };
}
