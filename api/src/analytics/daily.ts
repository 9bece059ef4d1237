// The daily rollup (analytics_daily, see db/schema.ts): the cell sums of the facts per survey, branch and
// day of the company time zone. Every headline block is a sum of these, so a summary, compare or trend
// that neither filters nor groups by a customer or rental segment reads one row per branch and day. It is
// rebuilt from the facts when its signature (metric slots, scales, time zone) changes and otherwise kept
// current day by day as facts rows change (facts.ts calls rebuildDailyDays with the days touched, in the
// same transaction).
import type { Sql } from '../db/client.ts';
import { DAILY_SOURCE, analyticsRead, ordinals, scopeSql, type AnalyticsFilters, type Fragment } from './filters.queries.ts';
import type { GroupBy } from './filters.schemas.ts';
import { cellAggregates, cellOf, factColumns, type CellQuery, type CellRow, type CellSums, type MetricPlan } from './metrics.queries.ts';

const DAILY_COLUMNS = [
  'responses',
  'nps_n',
  'promoters',
  'detractors',
  'csat_n',
  'csat_top2',
  'csat_sum',
  'item_n',
  'item_sum',
  'dim_n',
  'csi_n',
  'csi_sum',
  'csi_sumsq',
  'pp_n',
  'pp_sum',
  'pp_sumsq',
  'pp_any',
];

/** What the rollup's numbers depend on besides the facts: which slots feed which sum, and the days' time zone. */
export function dailySignature(plan: MetricPlan, timeZone: string): string {
  return JSON.stringify({
    version: 2,
    timeZone,
    nps: plan.nps,
    csat: plan.csat,
    csatMax: plan.csatMax,
    problems: plan.problems,
    items: plan.items.map((i) => i.source),
    dimensions: plan.dimensions.map((d) => d.source),
  });
}

export interface DayKey {
  branchId: string | null;
  /** YYYY-MM-DD in the company time zone. */
  day: string;
}

/** insert … select of the rollup rows over the facts rows matching `condition` (on f). */
function insertDays(tx: Sql, surveyId: string, plan: MetricPlan, timeZone: string, condition: Fragment) {
  const day = tx`(f.finished_at at time zone ${timeZone})::date`;
  const drivers = driverVariables(plan);
  return tx`
    insert into analytics_daily (survey_id, branch_id, day, ${tx.unsafe(DAILY_COLUMNS.join(', '))}, driver_n, driver_sums, driver_products)
    select ${surveyId}, branch_id, day, ${tx.unsafe([...cellAggregates(plan), ...drivers.aggregates].join(', '))}
    from (
      select t0.*, ${tx.unsafe(drivers.columns.join(', '))}
      from (
        select f.branch_id, ${day} as day, ${tx.unsafe(factColumns(plan).join(', '))}
        from analytics_response_facts f
        where f.survey_id = ${surveyId} and ${condition}
      ) t0
    ) t
    group by branch_id, day`;
}

/** The whole rollup of a survey from its facts: two halves of the period at once (an insert … select runs on one core). */
export async function rebuildDaily(sql: Sql, surveyId: string, plan: MetricPlan, timeZone: string) {
  await sql`delete from analytics_daily where survey_id = ${surveyId}`;
  // Split at the start of a day, so that no branch-day is summed in two parts.
  const [range] = await sql<{ middle: string | null }[]>`
    select ((min(finished_at) + (max(finished_at) - min(finished_at)) / 2) at time zone ${timeZone})::date::text as middle
    from analytics_response_facts where survey_id = ${surveyId}`;
  if (!range.middle) return;
  const split = sql`((${range.middle}::date)::timestamp at time zone ${timeZone})`;
  await Promise.all([
    sql.begin((tx) => insertDays(tx as unknown as Sql, surveyId, plan, timeZone, sql`f.finished_at < ${split}`)),
    sql.begin((tx) => insertDays(tx as unknown as Sql, surveyId, plan, timeZone, sql`f.finished_at >= ${split}`)),
  ]);
}

/** Sums the given branch-days again (inside the caller's transaction, the one that changed their facts). */
export async function rebuildDailyDays(tx: Sql, surveyId: string, plan: MetricPlan, timeZone: string, keys: DayKey[]) {
  if (keys.length === 0) return;
  const unique = [...new Map(keys.map((k) => [`${k.branchId}|${k.day}`, k])).values()];
  const branches = unique.map((k) => k.branchId) as string[];
  const days = unique.map((k) => k.day);
  const first = days.reduce((a, b) => (a < b ? a : b));
  const last = days.reduce((a, b) => (a > b ? a : b));
  await tx`
    delete from analytics_daily d using unnest(${branches}::uuid[], ${days}::text[]::date[]) k(branch_id, day)
    where d.survey_id = ${surveyId} and d.day = k.day and d.branch_id is not distinct from k.branch_id`;
  await insertDays(
    tx,
    surveyId,
    plan,
    timeZone,
    tx`f.finished_at >= ((${first}::date)::timestamp at time zone ${timeZone})
       and f.finished_at < ((${last}::date + 1)::timestamp at time zone ${timeZone})
       and exists (select 1 from unnest(${branches}::uuid[], ${days}::text[]::date[]) k(branch_id, day)
                   where k.day = (f.finished_at at time zone ${timeZone})::date and k.branch_id is not distinct from f.branch_id)`,
  );
}

/**
 * The default driver analysis (the recommend question on the dimensions that have items, listwise
 * complete): per branch-day n, Σx and the upper triangle of Σx·x, in the order drivers.queries uses.
 */
export function driverVariables(plan: MetricPlan) {
  if (!plan.nps) return { columns: ['null::float8 as c_none'], aggregates: ['0', `'{}'::float8[]`, `'{}'::float8[]`] };
  const vars = ['nps', ...plan.dimensions.filter((d) => d.items.length > 0).map((d) => d.column)];
  const complete = vars.map((v) => `${v} is not null`).join(' and ');
  const columns = vars.map((v) => `case when ${complete} then ${v} end as c_${v}`);
  const products: string[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(`coalesce(sum(c_${vars[i]} * c_${vars[j]}), 0)`);
  return {
    columns,
    aggregates: [
      'count(c_nps)::int',
      `array[${vars.map((v) => `coalesce(sum(c_${v}), 0)`).join(', ')}]::float8[]`,
      `array[${products.join(', ')}]::float8[]`,
    ],
  };
}

/** Whether the rollup can answer: keys and filters only by branch, region and period. */
export function dailyServes(filters: AnalyticsFilters, keys: readonly GroupBy[]): boolean {
  const segmentFilter = filters.tiers || filters.customerTypes || filters.vehicleClasses || filters.channels;
  const rollupKeys: readonly string[] = ['none', 'branch', 'region', 'day', 'week', 'month', 'quarter'];
  return !segmentFilter && keys.every((k) => rollupKeys.includes(k));
}

/** metricCells from the rollup: one GROUP BY over branch-days, arrays summed position by position. */
export async function dailyCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[]> {
  const scope = scopeSql(sql, DAILY_SOURCE, filters, query.keys, { lang: query.lang, period: query.period });
  const keyCount = scope.keyCount;
  const keyColumns = Array.from({ length: keyCount }, (_, i) => `k${i}, l${i}`);
  const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const sumArray = (column: string, n: number, type: 'int' | 'float8') =>
    n === 0 ? `'{}'::${type}[]` : `array[${positions(n).map((i) => `sum(${column}[${i}])`).join(', ')}]::${type}[] as ${column}`;
  const sums = DAILY_COLUMNS.map((c) => {
    if (c === 'item_n') return sumArray('item_n', plan.items.length, 'int');
    if (c === 'item_sum') return sumArray('item_sum', plan.items.length, 'float8');
    if (c === 'dim_n') return sumArray('dim_n', plan.dimensions.length, 'int');
    return `sum(${c})::${c.endsWith('_sum') || c.endsWith('sumsq') ? 'float8' : 'int'} as ${c}`;
  });
  const rows = await analyticsRead(sql, (tx) => tx<CellRow[]>`
    select ${keyColumns.length > 0 ? tx.unsafe(`${keyColumns.join(', ')}, `) : tx``}wb, ${tx.unsafe(sums.join(', '))}
    from (
      select ${scope.keys ? sql`${scope.keys}, ` : sql``}${sql.unsafe(query.byBranch ? 'd.branch_id as wb' : 'null::uuid as wb')},
             ${sql.unsafe(DAILY_COLUMNS.map((c) => `d.${c}`).join(', '))}
      from analytics_daily d ${scope.joins}
      where d.survey_id = ${filters.surveyId} and ${scope.where}
    ) t
    group by ${tx.unsafe(ordinals(keyCount * 2 + 1))}`);
  return rows.map((row) => cellOf(row, keyCount));
}

/** The driver sums over the rollup (branch, region and period filters only): one row, like the facts pass. */
export async function dailyDriverSums(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, variables: number) {
  const scope = scopeSql(sql, DAILY_SOURCE, filters, []);
  const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const sumArray = (column: string, n: number, type: 'int' | 'float8') =>
    n === 0 ? `'{}'::${type}[]` : `array[${positions(n).map((i) => `coalesce(sum(${column}[${i}]), 0)`).join(', ')}]::${type}[]`;
  const [row] = await analyticsRead(sql, (tx) => tx<{ n: number; with_outcome: number; sums: number[]; products: number[]; item_n: number[]; item_sum: number[] }[]>`
    select coalesce(sum(driver_n), 0)::int as n, coalesce(sum(nps_n), 0)::int as with_outcome,
           ${tx.unsafe(sumArray('driver_sums', variables, 'float8'))} as sums,
           ${tx.unsafe(sumArray('driver_products', (variables * (variables + 1)) / 2, 'float8'))} as products,
           ${tx.unsafe(sumArray('item_n', plan.items.length, 'int'))} as item_n,
           ${tx.unsafe(sumArray('item_sum', plan.items.length, 'float8'))} as item_sum
    from analytics_daily d ${scope.joins}
    where d.survey_id = ${filters.surveyId} and ${scope.where}`);
  return row;
}
