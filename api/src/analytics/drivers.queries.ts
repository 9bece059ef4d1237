// /api/analytics/drivers: key-driver analysis (statistics.md, "Driver analysis"). ONE pass over the
// facts rollup gives n, Σx and Σx·x of [y, x₁ … x_p] over the listwise-complete responses (drivers =
// per-respondent dimension scores, or items) and, over all filtered responses, each driver's item sums
// for its performance. Correlations and weights are computed from those sums.
import type { Sql } from '../db/client.ts';
import { ProblemError, badRequest } from '../lib/problem.ts';
import type { DriversQuery } from './drivers.schemas.ts';
import { dailyDriverSums, dailyServes } from './daily.ts';
import { FACTS_SOURCE, analyticsRead, scopeSql } from './filters.queries.ts';
import type { MetricPlan, PlanItem } from './metrics.queries.ts';
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
} from './statistics/index.ts';
import { prepare, type AnalyticsRequest } from './summary.queries.ts';
import { dimensionLabel, itemLabel, questionById } from './survey-context.ts';

interface Driver {
  id: string;
  label: string;
  /** The respondent's value: a facts expression (dimension score or item answer). */
  source: string;
  /** Items behind the driver's performance (indexes into plan.items). */
  items: number[];
  dimensionId: string | null;
}

const unprocessableDrivers = (detail: string, code: string, extensions: Record<string, unknown> = {}) =>
  new ProblemError(422, 'Unprocessable Entity', detail, undefined, { code, ...extensions });

function driversOf(req: AnalyticsRequest, kind: DriversQuery['drivers'], outcome: string): Driver[] {
  const { plan, survey, locale } = req;
  if (kind === 'dimensions') {
    return plan.dimensions
      .filter((d) => d.items.length > 0)
      .map((d) => ({ id: d.id, label: dimensionLabel(survey, d.id, locale), source: d.source, items: d.items, dimensionId: d.id }));
  }
  const seen = new Set<string>();
  return plan.items.flatMap((item, i) => {
    const id = item.itemId ? `${item.questionId}.${item.itemId}` : item.questionId;
    if (seen.has(id) || (item.questionId === outcome && !item.itemId)) return [];
    seen.add(id);
    return [{ id, label: itemLabel(survey, item, locale), source: item.source, items: [i], dimensionId: item.dimensionId }];
  });
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

interface DriverSums {
  n: number;
  with_outcome: number;
  sums: number[];
  products: number[];
  item_n: number[];
  item_sum: number[];
}

/**
 * One pass over the facts' listwise-complete rows gives n, Σx and Σx·x (each driver read once per row);
 * a second, lighter one over all filtered rows gives the item sums behind each driver's performance.
 */
async function factsDriverSums(sql: Sql, req: AnalyticsRequest, outcomeColumn: string, drivers: Driver[]): Promise<DriverSums> {
  const { plan, filters } = req;
  const scope = scopeSql(sql, FACTS_SOURCE, filters, []);
  const vars = ['y', ...drivers.map((_, j) => `x${j}`)];
  const columns = [`${outcomeColumn} as y`, ...drivers.map((d, j) => `${d.source} as x${j}`)];
  const complete = [outcomeColumn, ...drivers.map((d) => d.source)].map((v) => `${v} is not null`).join(' and ');
  const products: string[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(`coalesce(sum(${vars[i]} * ${vars[j]}), 0)`);
  const list = (parts: string[], type: string) => (parts.length === 0 ? `'{}'::${type}[]` : `array[${parts.join(', ')}]::${type}[]`);
  return analyticsRead(sql, async (tx) => {
    const [sums] = await tx<{ n: number; sums: number[]; products: number[] }[]>`
      select count(*)::int as n,
             ${sql.unsafe(list(vars.map((v) => `coalesce(sum(${v}), 0)`), 'float8'))} as sums,
             ${sql.unsafe(list(products, 'float8'))} as products
      from (
        select ${sql.unsafe(columns.join(', '))}
        from analytics_response_facts f ${scope.joins}
        where f.survey_id = ${filters.surveyId} and ${scope.where} and ${sql.unsafe(complete)}
      ) t`;
    const [items] = await tx<{ with_outcome: number; item_n: number[]; item_sum: number[] }[]>`
      select count(${sql.unsafe(outcomeColumn)})::int as with_outcome,
             ${sql.unsafe(list(plan.items.map((i) => `count(${i.source})`), 'int'))} as item_n,
             ${sql.unsafe(list(plan.items.map((i) => `coalesce(sum(${i.source}), 0)`), 'float8'))} as item_sum
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where}`;
    return { ...sums, ...items };
  });
}

const sign = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

export async function buildDrivers(sql: Sql, query: DriversQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const req = await prepare(sql, query, options);
  const { plan, survey, filters } = req;
  const outcomeId = query.outcome ?? survey.metrics.nps ?? survey.metrics.csat;
  if (!outcomeId) throw badRequest('Invalid query', [{ path: 'outcome', message: 'the survey has no recommend or satisfaction question; name one' }]);
  const outcomeQuestion = questionById(survey, outcomeId);
  if (!outcomeQuestion || !['nps', 'csat', 'rating'].includes(outcomeQuestion.type)) {
    throw badRequest('Invalid query', [{ path: 'outcome', message: `"${outcomeId}" is not a 0–10 or rating question of this survey` }]);
  }
  const { layout } = req;
  const outcomeColumn = layout.column('f', outcomeId);

  const drivers = driversOf(req, query.drivers, outcomeId);
  const p = drivers.length;
  if (p === 0) throw unprocessableDrivers('The survey has no dimension items to analyse.', 'no_drivers');
  if (query.method === 'shapley' && p > MAX_SHAPLEY_DRIVERS) {
    throw unprocessableDrivers(
      `Shapley (LMG) is computed exactly for at most ${MAX_SHAPLEY_DRIVERS} drivers; this analysis has ${p}. Use method=relative_weights, or drivers=dimensions.`,
      'too_many_drivers',
      { drivers: p, maxDrivers: MAX_SHAPLEY_DRIVERS },
    );
  }

  // The default analysis without segment filters is summed from the daily rollup; anything else is one
  // pass over the facts.
  const fromDaily = outcomeId === survey.metrics.nps && query.drivers === 'dimensions' && dailyServes(filters, []);
  const row = fromDaily ? await dailyDriverSums(sql, filters, plan, drivers.length + 1) : await factsDriverSums(sql, req, outcomeColumn, drivers);

  const n = row.n;
  if (n < p + 2) {
    throw unprocessableDrivers(
      `Driver analysis needs at least ${p + 2} responses that answered the outcome and every driver (p + 2 for ${p} drivers); ${n} did.`,
      'insufficient_sample',
      { n, required: p + 2 },
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
  const performance = drivers.map((d) => performanceOf(plan, d, row.item_n, row.item_sum));

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
  if (n < 0.5 * row.with_outcome) warnings.push('many_incomplete');

  const known = performance.filter((v): v is number => v !== null);
  const performanceCut = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
  const shareCut = 100 / p;
  const result = drivers.map((d, j) => {
    const share = rows[j].share;
    const perf = performance[j];
    const quadrant: Quadrant | null = share !== null && perf !== null && performanceCut !== null ? quadrantOf(share, perf, shareCut, performanceCut) : null;
    return { id: d.id, label: d.label, dimension: d.dimensionId, ...rows[j], performance: perf, quadrant };
  });

  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    method: query.method,
    outcome: outcomeId,
    driverSet: query.drivers,
    n,
    responsesWithOutcome: row.with_outcome,
    r2,
    shareCut,
    performanceCut,
    drivers: result,
    warnings,
  };
}
