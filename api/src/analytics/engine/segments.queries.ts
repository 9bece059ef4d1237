// The segment rollup (analytics_segments, see db/schema.ts) and the reads of both rollups. Its rows hold the
// cell and driver sums of the facts per survey, branch, day or month, for one customer or rental segment at a
// time: one row per kind (tier, customerType, vehicleClass, channel, newReturning) and value, not their cross
// product, plus kind 'all' by month. A request that filters or groups by at most one segment kind sums the
// whole months of its period from month rows and the days at its edges from day rows (analytics_daily for
// kind 'all'); two kinds or more need the cross product and are read from the facts. Segment values are the
// facts path's own key expressions (scopeSql), so both paths put a response in the same group. Kept current
// like analytics_daily: rebuilt when its signature changes, the branch-days and branch-months of changed facts
// summed again in the same transaction (facts.queries.ts; changes to a customer's or rental's segment list
// their responses as changed, migration 0025_segment_rollup).
import type { Sql } from '../../db/client.ts';
import { DAILY_COLUMNS, DRIVER_COLUMNS, dailySignature, driverVariables, itemDriverVariables, type DayKey, type DriverSets } from './daily.queries.ts';
import { FACTS_SOURCE, ROLLUP_SOURCE, analyticsRead, joinFragments, ordinals, scopeSql, type AnalyticsFilters, type Fragment } from './filters.queries.ts';
import { OPEN_LINK_CHANNEL, type GroupBy } from './filters.schemas.ts';
import { addDays, nextPeriod, periodStart, periodsBetween } from './groups.ts';
import { cellAggregates, cellOf, factColumns, type CellQuery, type CellRow, type CellSums, type MetricPlan } from './metrics.queries.ts';

export const SEGMENT_KINDS = ['tier', 'customerType', 'vehicleClass', 'channel', 'newReturning'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];
type RollupKind = SegmentKind | 'all';
const isSegmentKind = (key: string): key is SegmentKind => (SEGMENT_KINDS as readonly string[]).includes(key);

/** What the segment rollup's numbers depend on: those of the daily rollup, and how segments are keyed. */
export function segmentsSignature(plan: MetricPlan, timeZone: string): string {
  return JSON.stringify({ version: 1, kinds: SEGMENT_KINDS, daily: dailySignature(plan, timeZone) });
}

const noFilters = (surveyId: string, timeZone: string): AnalyticsFilters => ({
  surveyId,
  from: null,
  to: null,
  timeZone,
  branchIds: null,
  regions: null,
  brands: null,
  tiers: null,
  customerTypes: null,
  vehicleClasses: null,
  channels: null,
  openLinks: 'include',
  branchScope: null,
});

/** insert … select of the rows of one grain over the facts rows matching `condition` (on f): every kind in one pass. */
function insertSegments(tx: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string, grain: 'day' | 'month', condition: Fragment) {
  const scope = scopeSql(tx, FACTS_SOURCE, noFilters(surveyId, timeZone), [...SEGMENT_KINDS]);
  const local = tx`(f.finished_at at time zone ${timeZone})`;
  const day = grain === 'day' ? tx`${local}::date` : tx`date_trunc('month', ${local})::date`;
  const drivers = driverVariables(plan, sets);
  // Item driver sums by month only: by day and segment they would be most of the table's size.
  const items = grain === 'month' ? itemDriverVariables(plan, sets) : { columns: [], aggregates: ['0', `'{}'::float8[]`, `'{}'::float8[]`] };
  const kinds = [...(grain === 'month' ? [`('all', 'all')`] : []), ...SEGMENT_KINDS.map((kind, i) => `('${kind}', k${i})`)];
  return tx`
    insert into analytics_segments (survey_id, kind, grain, day, branch_id, value, ${tx.unsafe([...DAILY_COLUMNS, ...DRIVER_COLUMNS].join(', '))})
    select ${surveyId}, v.kind, ${grain}, t.day, t.branch_id, v.value, ${tx.unsafe([...cellAggregates(plan), ...drivers.aggregates, ...items.aggregates].join(', '))}
    -- offset 0 (twice): every answer is read from the facts row's arrays once, not once per use (each
    -- driver product uses its variables, and their listwise condition every one).
    from (
      select t0.*, ${tx.unsafe([...drivers.columns, ...items.columns].join(', '))}
      from (
        select f.branch_id, ${day} as day, ${scope.keys!}, ${tx.unsafe(factColumns(plan).join(', '))}
        from analytics_response_facts f ${scope.joins}
        where f.survey_id = ${surveyId} and ${condition}
        offset 0
      ) t0
      offset 0
    ) t
    cross join lateral (values ${tx.unsafe(kinds.join(', '))}) v(kind, value)
    group by v.kind, t.day, t.branch_id, v.value`;
}

/**
 * The whole segment rollup of a survey from its facts, one month of answers per statement (its days and the
 * month), two at once (an insert … select runs on one core; no statement runs for long at a national size).
 */
export async function rebuildSegments(sql: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string) {
  await sql`delete from analytics_segments where survey_id = ${surveyId}`;
  const [range] = await sql<{ first: string | null; last: string | null }[]>`
    select (min(finished_at) at time zone ${timeZone})::date::text as first, (max(finished_at) at time zone ${timeZone})::date::text as last
    from analytics_response_facts where survey_id = ${surveyId}`;
  if (!range.first || !range.last) return;
  const months = periodsBetween('month', range.first, range.last);
  let next = 0;
  const worker = async () => {
    while (next < months.length) {
      const month = months[next++];
      await sql.begin(async (transaction) => {
        const tx = transaction as unknown as Sql;
        // Many groups with wide sums: room for the hash aggregation, so that it does not spill.
        await tx.unsafe(`set local work_mem = '256MB'; set local jit = off`);
        const inMonth = tx`f.finished_at >= ((${month}::date)::timestamp at time zone ${timeZone})
                           and f.finished_at < ((${nextPeriod('month', month)}::date)::timestamp at time zone ${timeZone})`;
        await insertSegments(tx, surveyId, plan, sets, timeZone, 'day', inMonth);
        await insertSegments(tx, surveyId, plan, sets, timeZone, 'month', inMonth);
      });
    }
  };
  await Promise.all([worker(), worker()]);
}

/** Sums the given branch-days and their branch-months again (inside the caller's transaction, the one that changed their facts). */
export async function rebuildSegmentDays(tx: Sql, surveyId: string, plan: MetricPlan, sets: DriverSets, timeZone: string, keys: DayKey[]) {
  if (keys.length === 0) return;
  for (const grain of ['day', 'month'] as const) {
    const start = (day: string) => (grain === 'day' ? day : periodStart('month', day));
    const unique = [...new Map(keys.map((k) => [`${k.branchId}|${start(k.day)}`, { branchId: k.branchId, day: start(k.day) }])).values()];
    const branches = unique.map((k) => k.branchId) as string[];
    const days = unique.map((k) => k.day);
    const first = days.reduce((a, b) => (a < b ? a : b));
    const last = days.reduce((a, b) => (a > b ? a : b));
    const end = grain === 'day' ? addDays(last, 1) : nextPeriod('month', last);
    const rowDay = grain === 'day' ? tx`(f.finished_at at time zone ${timeZone})::date` : tx`date_trunc('month', f.finished_at at time zone ${timeZone})::date`;
    await tx`
      delete from analytics_segments s using unnest(${branches}::uuid[], ${days}::text[]::date[]) k(branch_id, day)
      where s.survey_id = ${surveyId} and s.grain = ${grain} and s.day = k.day and s.branch_id is not distinct from k.branch_id`;
    await insertSegments(
      tx,
      surveyId,
      plan,
      sets,
      timeZone,
      grain,
      tx`f.finished_at >= ((${first}::date)::timestamp at time zone ${timeZone})
         and f.finished_at < ((${end}::date)::timestamp at time zone ${timeZone})
         and exists (select 1 from unnest(${branches}::uuid[], ${days}::text[]::date[]) k(branch_id, day)
                     where k.day = ${rowDay} and k.branch_id is not distinct from f.branch_id)`,
    );
  }
}

/**
 * The one segment kind a request filters or groups by ('all' for none), or null when the rollups cannot
 * answer: two kinds or more, or a filter value that the stored values cannot tell apart ('unknown' is both
 * the value of a response without customer or rental and a possible vehicle class).
 */
export function rollupKind(filters: AnalyticsFilters, keys: readonly GroupBy[]): RollupKind | null {
  const kinds = new Set<SegmentKind>(keys.filter(isSegmentKind));
  const filtered: [SegmentKind, string[] | null][] = [
    ['tier', filters.tiers],
    ['customerType', filters.customerTypes],
    ['vehicleClass', filters.vehicleClasses],
    ['channel', filters.channels],
  ];
  for (const [kind, values] of filtered) {
    if (!values) continue;
    if (values.includes('unknown')) return null;
    kinds.add(kind);
  }
  if (filters.openLinks === 'exclude') kinds.add('channel');
  if (kinds.size > 1) return null;
  return [...kinds][0] ?? 'all';
}

/** The segment filters as conditions on the rows' value (d.value). */
function valueConditions(sql: Sql, filters: AnalyticsFilters): Fragment[] {
  const conditions: Fragment[] = [];
  for (const values of [filters.tiers, filters.customerTypes, filters.vehicleClasses, filters.channels]) {
    if (values) conditions.push(sql`d.value = any(${values}::text[])`);
  }
  if (filters.openLinks === 'exclude') conditions.push(sql`d.value <> ${OPEN_LINK_CHANNEL}`);
  return conditions;
}

/** The filters without the segment ones (applied to the value instead). */
const withoutSegments = (filters: AnalyticsFilters): AnalyticsFilters => ({
  ...filters,
  tiers: null,
  customerTypes: null,
  vehicleClasses: null,
  channels: null,
  openLinks: 'include',
});

/**
 * The rows a request sums, as a subquery `d` (branch_id, day, value and `columns`): the whole months of the
 * period from month rows (unless the keys need days or weeks), the other days from day rows.
 * `segmentDays`: whether segment day rows are among them (they carry no item driver sums).
 */
function rollupRows(
  sql: Sql,
  surveyId: string,
  kind: RollupKind,
  keys: readonly GroupBy[],
  period: { from: string | null; to: string | null },
  columns: readonly string[],
): { rows: Fragment; segmentDays: boolean } {
  const { from, to } = period;
  const byMonth = !keys.some((k) => k === 'day' || k === 'week');
  // Whole months: [monthsFrom, monthsTo) (null = unbounded).
  const monthsFrom = from === null ? null : from.endsWith('-01') ? from : nextPeriod('month', periodStart('month', from));
  const monthsTo = to === null ? null : addDays(to, 1).endsWith('-01') ? addDays(to, 1) : periodStart('month', to);
  const months = byMonth && (monthsFrom === null || monthsTo === null || monthsFrom < monthsTo);
  const list = columns.map((c) => `x.${c}`).join(', ');
  const dayConditions: Fragment[] = [sql`true`];
  if (from) dayConditions.push(sql`x.day >= ${from}::date`);
  if (to) dayConditions.push(sql`x.day <= ${to}::date`);
  let daysNeeded = true;
  if (months) {
    // The days outside the whole months (none when the period is whole months).
    const outside: Fragment[] = [];
    if (monthsFrom !== null) outside.push(sql`x.day < ${monthsFrom}::date`);
    if (monthsTo !== null) outside.push(sql`x.day >= ${monthsTo}::date`);
    daysNeeded = (monthsFrom !== null && from !== monthsFrom) || (monthsTo !== null && to !== null && addDays(to, 1) !== monthsTo);
    dayConditions.push(outside.length > 0 ? sql`(${joinFragments(sql, outside, ' or ')})` : sql`false`);
  }
  const parts: Fragment[] = [];
  if (daysNeeded) {
    parts.push(
      kind === 'all'
        ? sql`select x.branch_id, x.day, 'all'::text as value, ${sql.unsafe(list)} from analytics_daily x
              where x.survey_id = ${surveyId} and ${joinFragments(sql, dayConditions, ' and ')}`
        : sql`select x.branch_id, x.day, x.value, ${sql.unsafe(list)} from analytics_segments x
              where x.survey_id = ${surveyId} and x.kind = ${kind} and x.grain = 'day' and ${joinFragments(sql, dayConditions, ' and ')}`,
    );
  }
  if (months) {
    const monthConditions: Fragment[] = [sql`true`];
    if (monthsFrom !== null) monthConditions.push(sql`x.day >= ${monthsFrom}::date`);
    if (monthsTo !== null) monthConditions.push(sql`x.day < ${monthsTo}::date`);
    parts.push(sql`select x.branch_id, x.day, x.value, ${sql.unsafe(list)} from analytics_segments x
                   where x.survey_id = ${surveyId} and x.kind = ${kind} and x.grain = 'month' and ${joinFragments(sql, monthConditions, ' and ')}`);
  }
  return { rows: sql`(${joinFragments(sql, parts, ' union all ')})`, segmentDays: daysNeeded && kind !== 'all' };
}

const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Σ of an array column position by position (n positions). */
const sumArray = (column: string, n: number, type: 'int' | 'float8') =>
  n === 0
    ? `'{}'::${type}[]`
    : `array[${positions(n)
        .map((i) => `coalesce(sum(${column}[${i}]), 0)`)
        .join(', ')}]::${type}[]`;

/** metricCells from the rollups (null when they cannot answer): one GROUP BY over their rows, arrays summed position by position. */
export async function rollupCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[] | null> {
  const kind = rollupKind(filters, query.keys);
  if (kind === null) return null;
  const period = query.period ?? { from: filters.from, to: filters.to };
  const { rows } = rollupRows(sql, filters.surveyId, kind, query.keys, period, DAILY_COLUMNS);
  const scope = scopeSql(sql, ROLLUP_SOURCE, withoutSegments(filters), query.keys, { lang: query.lang, period: { from: null, to: null } });
  const keyCount = scope.keyCount;
  const keyColumns = Array.from({ length: keyCount }, (_, i) => `k${i}, l${i}`);
  const sums = DAILY_COLUMNS.map((c) => {
    if (c === 'item_n') return `${sumArray('item_n', plan.items.length, 'int')} as item_n`;
    if (c === 'item_sum') return `${sumArray('item_sum', plan.items.length, 'float8')} as item_sum`;
    if (c === 'dim_n') return `${sumArray('dim_n', plan.dimensions.length, 'int')} as dim_n`;
    return `sum(${c})::${c.endsWith('_sum') || c.endsWith('sumsq') ? 'float8' : 'int'} as ${c}`;
  });
  const result = await analyticsRead(
    sql,
    (tx) => tx<CellRow[]>`
    select ${keyColumns.length > 0 ? tx.unsafe(`${keyColumns.join(', ')}, `) : tx``}wb, ${tx.unsafe(sums.join(', '))}
    from (
      select ${scope.keys ? sql`${scope.keys}, ` : sql``}${sql.unsafe(query.byBranch ? 'd.branch_id as wb' : 'null::uuid as wb')},
             ${sql.unsafe(DAILY_COLUMNS.map((c) => `d.${c}`).join(', '))}
      from ${rows} d ${scope.joins}
      where ${joinFragments(sql, [scope.where, ...valueConditions(sql, filters)], ' and ')}
    ) t
    group by ${tx.unsafe(ordinals(keyCount * 2 + 1))}`,
  );
  return result.map((row) => cellOf(row, keyCount));
}

export interface RollupDriverSums {
  n: number;
  responses: number;
  with_outcome: number;
  sums: number[];
  products: number[];
  item_n: number[];
  item_sum: number[];
  dim_n: number[];
}

/**
 * The driver sums of the recommend question from the rollups: one row, like the facts pass, with each
 * driver's answer counts. `set`: the kept dimensions (driverVariables) or items (itemDriverVariables).
 * Null when the rollups cannot answer (see rollupKind; items by segment only over whole months).
 */
export async function rollupDriverSums(
  sql: Sql,
  filters: AnalyticsFilters,
  plan: MetricPlan,
  sets: DriverSets,
  set: 'dimensions' | 'items',
): Promise<RollupDriverSums | null> {
  const kind = rollupKind(filters, []);
  if (kind === null) return null;
  const prefix = set === 'items' ? 'item_driver' : 'driver';
  const columns = [...DAILY_COLUMNS, `${prefix}_n`, `${prefix}_sums`, `${prefix}_products`];
  const { rows, segmentDays } = rollupRows(sql, filters.surveyId, kind, [], { from: filters.from, to: filters.to }, columns);
  if (set === 'items' && segmentDays) return null;
  const variables = 1 + (set === 'items' ? sets.items.length : sets.dimensions.length);
  const scope = scopeSql(sql, ROLLUP_SOURCE, withoutSegments(filters), [], { period: { from: null, to: null } });
  const [row] = await analyticsRead(
    sql,
    (tx) => tx<RollupDriverSums[]>`
    select coalesce(sum(${tx.unsafe(`${prefix}_n`)}), 0)::int as n, coalesce(sum(responses), 0)::int as responses, coalesce(sum(nps_n), 0)::int as with_outcome,
           ${tx.unsafe(sumArray(`${prefix}_sums`, variables, 'float8'))} as sums,
           ${tx.unsafe(sumArray(`${prefix}_products`, (variables * (variables + 1)) / 2, 'float8'))} as products,
           ${tx.unsafe(sumArray('item_n', plan.items.length, 'int'))} as item_n,
           ${tx.unsafe(sumArray('item_sum', plan.items.length, 'float8'))} as item_sum,
           ${tx.unsafe(sumArray('dim_n', plan.dimensions.length, 'int'))} as dim_n
    from ${rows} d ${scope.joins}
    where ${joinFragments(sql, [scope.where, ...valueConditions(sql, filters)], ' and ')}`,
  );
  return row;
}
