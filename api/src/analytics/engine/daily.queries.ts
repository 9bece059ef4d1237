// The daily rollup (analytics_daily, see db/schema.ts): the cell sums of the facts per survey, branch and
// day of the company time zone. Every headline block is a sum of these, so a summary, compare or trend
// that neither filters nor groups by a customer or rental segment sums rows per branch and day (with the
// months of the segment rollup, segments.queries.ts, which also reads them). It is
// rebuilt from the facts when its signature (metric slots, scales, time zone) changes and otherwise kept
// current day by day as facts rows change (facts.queries.ts calls rebuildDailyDays with the days touched, in the
// same transaction).
import type { Sql } from '../../db/client.ts';
import { MIN_DRIVER_COVERAGE } from '../drivers.schemas.ts';
import type { Fragment } from './filters.queries.ts';
import { cellAggregates, factColumns, type MetricPlan } from './metrics.queries.ts';

/** The cell sums of a rollup row, in the order of cellAggregates. */
export const DAILY_COLUMNS = [
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
  'csat_top_box',
];

/** What the rollup's numbers depend on besides the facts: which slots feed which sum, and the days' time zone. */
export function dailySignature(plan: MetricPlan, timeZone: string): string {
  return JSON.stringify({
    // 3: csat_top_box added (a rollup written before it has 0 there and is rebuilt). 4: item driver sums.
    version: 4,
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
function insertDays(tx: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string, condition: Fragment) {
  const day = tx`(f.finished_at at time zone ${timeZone})::date`;
  const drivers = driverVariables(plan, sets);
  const items = itemDriverVariables(plan, sets);
  return tx`
    insert into analytics_daily (survey_id, branch_id, day, ${tx.unsafe(DAILY_COLUMNS.join(', '))}, ${tx.unsafe(DRIVER_COLUMNS.join(', '))})
    select ${surveyId}, branch_id, day, ${tx.unsafe([...cellAggregates(plan), ...drivers.aggregates, ...items.aggregates].join(', '))}
    -- offset 0 (twice): every answer is read from the facts row's arrays once, not once per use (each
    -- driver product uses its variables, and their listwise condition every one).
    from (
      select t0.*, ${tx.unsafe([...drivers.columns, ...items.columns].join(', '))}
      from (
        select f.branch_id, ${day} as day, ${tx.unsafe(factColumns(plan).join(', '))}
        from analytics_response_facts f
        where f.survey_id = ${surveyId} and ${condition}
        offset 0
      ) t0
      offset 0
    ) t
    group by branch_id, day`;
}

/** The whole rollup of a survey from its facts: two halves of the period at once (an insert … select runs on one core). */
export async function rebuildDaily(sql: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string) {
  await sql`delete from analytics_daily where survey_id = ${surveyId}`;
  // Split at the start of a day, so that no branch-day is summed in two parts.
  const [range] = await sql<{ middle: string | null }[]>`
    select ((min(finished_at) + (max(finished_at) - min(finished_at)) / 2) at time zone ${timeZone})::date::text as middle
    from analytics_response_facts where survey_id = ${surveyId}`;
  if (!range.middle) return;
  const split = sql`((${range.middle}::date)::timestamp at time zone ${timeZone})`;
  await Promise.all([
    sql.begin((tx) => insertDays(tx as unknown as Sql, surveyId, plan, sets, timeZone, sql`f.finished_at < ${split}`)),
    sql.begin((tx) => insertDays(tx as unknown as Sql, surveyId, plan, sets, timeZone, sql`f.finished_at >= ${split}`)),
  ]);
}

/** Sums the given branch-days again (inside the caller's transaction, the one that changed their facts). */
export async function rebuildDailyDays(tx: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string, keys: DayKey[]) {
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
    sets,
    timeZone,
    tx`f.finished_at >= ((${first}::date)::timestamp at time zone ${timeZone})
       and f.finished_at < ((${last}::date + 1)::timestamp at time zone ${timeZone})
       and exists (select 1 from unnest(${branches}::uuid[], ${days}::text[]::date[]) k(branch_id, day)
                   where k.day = (f.finished_at at time zone ${timeZone})::date and k.branch_id is not distinct from f.branch_id)`,
  );
}

/** The driver sums of a rollup row: the default analysis on the dimensions, then on the items. */
export const DRIVER_COLUMNS = ['driver_n', 'driver_sums', 'driver_products', 'item_driver_n', 'item_driver_sums', 'item_driver_products'];

/**
 * n, Σx and the upper triangle of Σx·x over the rows where every one of `vars` (columns of the level-1 rows)
 * has a value: `columns` null the incomplete rows (prefixed `prefix`), `aggregates` sum them.
 */
function listwiseVariables(vars: string[], prefix: string) {
  const complete = vars.map((v) => `${v} is not null`).join(' and ');
  const columns = vars.map((v) => `case when ${complete} then ${v} end as ${prefix}${v}`);
  const products: string[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(`coalesce(sum(${prefix}${vars[i]} * ${prefix}${vars[j]}), 0)`);
  return {
    columns,
    aggregates: [
      `count(${prefix}${vars[0]})::int`,
      `array[${vars.map((v) => `coalesce(sum(${prefix}${v}), 0)`).join(', ')}]::float8[]`,
      `array[${products.join(', ')}]::float8[]`,
    ],
  };
}

const NO_DRIVERS = (prefix: string) => ({ columns: [`null::float8 as ${prefix}none`], aggregates: ['0', `'{}'::float8[]`, `'{}'::float8[]`] });

/**
 * The drivers the rollups keep listwise sums of (indexes into plan.dimensions and plan.items): the ones the
 * default analysis keeps over all of the survey's answers (the coverage rule, drivers.queries.ts). A request
 * whose own default set is another one (a segment where a driver's coverage differs) reads the facts.
 */
export interface DriverSets {
  dimensions: number[];
  items: number[];
}

/** The driver sets of a survey from the coverage of its facts (every candidate when there are none). */
export async function driverSetsOf(sql: Sql, surveyId: string, plan: MetricPlan): Promise<DriverSets> {
  const dimensions = plan.dimensions.flatMap((d, k) => (d.items.length > 0 ? [k] : []));
  const items = itemDriverIndexes(plan);
  const counts = [...dimensions.map((k) => `count(${plan.dimensions[k].source})`), ...items.map((i) => `count(${plan.items[i].source})`)];
  const [row] = await sql<{ responses: number; answered: number[] }[]>`
    select count(*)::int as responses, array[${sql.unsafe(['0', ...counts].join(', '))}]::int[] as answered
    from analytics_response_facts f where f.survey_id = ${surveyId}`;
  const kept = (position: number) => row.responses === 0 || row.answered[position + 1] / row.responses >= MIN_DRIVER_COVERAGE;
  return { dimensions: dimensions.filter((_, j) => kept(j)), items: items.filter((_, j) => kept(dimensions.length + j)) };
}

/**
 * The default driver analysis (the recommend question on the kept dimensions, listwise complete): per row
 * n, Σx and the upper triangle of Σx·x, in the order drivers.queries uses.
 */
export function driverVariables(plan: MetricPlan, sets: DriverSets) {
  if (!plan.nps) return NO_DRIVERS('c_');
  return listwiseVariables(['nps', ...sets.dimensions.map((k) => plan.dimensions[k].column)], 'c_');
}

/** Indexes into plan.items of the item drivers of the recommend question: each item once, the question itself left out. */
export function itemDriverIndexes(plan: MetricPlan): number[] {
  const seen = new Set<string>();
  return plan.items.flatMap((item, i) => {
    if (seen.has(item.source) || item.source === plan.nps) return [];
    seen.add(item.source);
    return [i];
  });
}

/** The same sums for drivers=items: the recommend question on the kept items. */
export function itemDriverVariables(plan: MetricPlan, sets: DriverSets) {
  if (!plan.nps) return NO_DRIVERS('e_');
  return listwiseVariables(['nps', ...sets.items.map((i) => plan.items[i].column)], 'e_');
}
