// The daily rollup (analytics_daily, see db/schema.ts): the cell sums of the facts per survey, branch and
// day of the company time zone. Every headline block is a sum of these, so a summary, compare or trend
// that neither filters nor groups by a customer or rental segment reads one row per branch and day. It is
// rebuilt from the facts when its signature (metric slots, scales, time zone) changes and otherwise kept
// current day by day as facts rows change (facts.ts calls refreshDailyDays with the days touched).
import type { Sql } from '../db/client.ts';
import { DAILY_SOURCE, analyticsRead, ordinals, scopeSql, type AnalyticsFilters } from './filters.queries.ts';
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

/** Sums the facts into the rollup: every day of the survey (`null`), or just the given branch-days. */
export async function rebuildDaily(sql: Sql, surveyId: string, plan: MetricPlan, timeZone: string, keys: DayKey[] | null) {
  if (keys !== null && keys.length === 0) return;
  const unique = keys && [...new Map(keys.map((k) => [`${k.branchId}|${k.day}`, k])).values()];
  const branches = unique?.map((k) => k.branchId);
  const days = unique?.map((k) => k.day);
  const day = sql`(f.finished_at at time zone ${timeZone})::date`;
  await sql.begin(async (tx) => {
    if (!unique) {
      await tx`delete from analytics_daily where survey_id = ${surveyId}`;
    } else {
      await tx`
        delete from analytics_daily d using unnest(${branches as string[]}::uuid[], ${days as string[]}::text[]::date[]) k(branch_id, day)
        where d.survey_id = ${surveyId} and d.day = k.day and d.branch_id is not distinct from k.branch_id`;
    }
    const first = days ? days.reduce((a, b) => (a < b ? a : b)) : null;
    const last = days ? days.reduce((a, b) => (a > b ? a : b)) : null;
    await tx`
      insert into analytics_daily (survey_id, branch_id, day, ${tx.unsafe(DAILY_COLUMNS.join(', '))})
      select ${surveyId}, branch_id, day, ${tx.unsafe(cellAggregates(plan).join(', '))}
      from (
        select f.branch_id, ${day} as day, ${tx.unsafe(factColumns(plan).join(', '))}
        from analytics_response_facts f
        where f.survey_id = ${surveyId}
          ${
            unique
              ? tx`and f.finished_at >= ((${first}::date)::timestamp at time zone ${timeZone})
                   and f.finished_at < ((${last}::date + 1)::timestamp at time zone ${timeZone})
                   and exists (select 1 from unnest(${branches as string[]}::uuid[], ${days as string[]}::text[]::date[]) k(branch_id, day)
                               where k.day = ${day} and k.branch_id is not distinct from f.branch_id)`
              : tx``
          }
      ) t
      group by branch_id, day`;
  });
}

/** Whether the rollup can answer: keys and filters only by branch, region and period. */
export function dailyServes(filters: AnalyticsFilters, keys: readonly GroupBy[]): boolean {
  const segmentFilter = filters.tiers || filters.customerTypes || filters.vehicleClasses || filters.channels;
  const rollupKeys: readonly string[] = ['none', 'branch', 'region', 'day', 'week', 'month', 'quarter'];
  return !segmentFilter && keys.every((k) => rollupKeys.includes(k));
}

/** metricCells from the rollup: scalar sums in one query, the item and dimension arrays summed by position. */
export async function dailyCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[]> {
  const scope = scopeSql(sql, DAILY_SOURCE, filters, query.keys, { lang: query.lang, period: query.period });
  const keyCount = scope.keyCount;
  const keyColumns = Array.from({ length: keyCount }, (_, i) => `k${i}, l${i}`);
  const select = sql`${scope.keys ? sql`${scope.keys}, ` : sql``}${sql.unsafe(query.byBranch ? 'd.branch_id as wb' : 'null::uuid as wb')}`;
  const from = sql`from analytics_daily d ${scope.joins}`;
  const where = sql`where d.survey_id = ${filters.surveyId} and ${scope.where}`;
  const scalars = DAILY_COLUMNS.filter((c) => !['item_n', 'item_sum', 'dim_n'].includes(c));
  const group = ordinals(keyCount * 2 + 1);
  type ArrayRow = Record<string, unknown> & { wb: string | null; i: number; n: number; s: number };
  const [rows, items, dims] = await analyticsRead(sql, async (tx) => [
    await tx<Record<string, unknown>[]>`
      select ${select}, ${tx.unsafe(scalars.map((c) => `sum(${c})::${c.endsWith('_sum') || c.endsWith('sumsq') ? 'float8' : 'int'} as ${c}`).join(', '))}
      ${from} ${where}
      group by ${tx.unsafe(group)}`,
    await tx<ArrayRow[]>`
      select ${select}, u.i::int as i, sum(u.n)::int as n, sum(u.s)::float8 as s
      ${from} cross join lateral unnest(d.item_n, d.item_sum) with ordinality u(n, s, i) ${where}
      group by ${tx.unsafe(group)}, ${tx.unsafe(String(keyCount * 2 + 2))}`,
    await tx<ArrayRow[]>`
      select ${select}, u.i::int as i, sum(u.n)::int as n, 0::float8 as s
      ${from} cross join lateral unnest(d.dim_n) with ordinality u(n, i) ${where}
      group by ${tx.unsafe(group)}, ${tx.unsafe(String(keyCount * 2 + 2))}`,
  ]);
  const id = (row: Record<string, unknown>) => [...keyColumns.flatMap((c) => c.split(', ').map((k) => String(row[k]))), String(row.wb)].join('|');
  const byId = new Map<string, CellRow>();
  for (const row of rows) {
    byId.set(id(row), {
      ...row,
      item_n: new Array(plan.items.length).fill(0),
      item_sum: new Array(plan.items.length).fill(0),
      dim_n: new Array(plan.dimensions.length).fill(0),
    } as CellRow);
  }
  for (const row of items) {
    const cell = byId.get(id(row));
    if (!cell || row.i > plan.items.length) continue;
    cell.item_n[row.i - 1] = row.n;
    cell.item_sum[row.i - 1] = row.s;
  }
  for (const row of dims) {
    const cell = byId.get(id(row));
    if (cell && row.i <= plan.dimensions.length) cell.dim_n[row.i - 1] = row.n;
  }
  return [...byId.values()].map((row) => cellOf(row, keyCount));
}
