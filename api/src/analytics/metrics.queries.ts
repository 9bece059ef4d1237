// One GROUP BY pass over the facts rollup that returns, per group (and per branch when weighting),
// the sums every headline block is computed from: NPS counts, CSAT counts, each CSI item's n and Σx,
// each dimension's respondent count, the per-respondent index (for Welch's test) and PP100 sums.
import type { Sql } from '../db/client.ts';
import type { DimensionItem, Locale } from '../surveys/definition/index.ts';
import type { FactsLayout } from './facts.ts';
import type { AnalyticsFilters } from './filters.queries.ts';
import { dailyCells, dailyServes } from './daily.ts';
import { FACTS_SOURCE, analyticsRead, ordinals, scopeSql } from './filters.queries.ts';
import type { GroupBy } from './filters.schemas.ts';
import type { SurveyContext } from './survey-context.ts';

export interface PlanItem extends DimensionItem {
  /** Column of the item in the level-1 rows ("i3"). */
  column: string;
  /** Facts expression, e.g. f.values[7]::float8. */
  source: string;
}

export interface PlanDimension {
  id: string;
  weight: number;
  /** Indexes into plan.items. */
  items: number[];
  column: string;
  /** Facts expression of the respondent's score, e.g. f.dimensions[2]. */
  source: string;
}

/** Which fact slots feed which metric, from the newest definition. */
export interface MetricPlan {
  nps: string | null;
  csat: string | null;
  /** Scale of the CSAT question (top-2-box = the two highest points). */
  csatMax: number;
  problems: string | null;
  items: PlanItem[];
  dimensions: PlanDimension[];
}

export function metricPlan(survey: SurveyContext, layout: FactsLayout): MetricPlan {
  const { metrics, latest } = survey;
  const items: PlanItem[] = survey.dimensionItems.map((item, i) => ({ ...item, column: `i${i}`, source: layout.column('f', item.questionId, item.itemId) }));
  const dimensions = latest.dimensions.map((d, k) => ({
    id: d.id,
    weight: d.weight,
    items: items.flatMap((item, i) => (item.dimensionId === d.id ? [i] : [])),
    column: `d${k}`,
    source: layout.dimensionColumn('f', d.id),
  }));
  const csatQuestion = metrics.csat ? latest.pages.flatMap((p) => p.questions).find((q) => q.id === metrics.csat) : undefined;
  return {
    nps: metrics.nps ? layout.column('f', metrics.nps) : null,
    csat: metrics.csat ? layout.column('f', metrics.csat) : null,
    csatMax: csatQuestion?.type === 'rating' ? csatQuestion.max : 5,
    problems: metrics.problems ? layout.column('f', metrics.problems) : null,
    items,
    dimensions,
  };
}

export interface CellSums {
  keys: string[];
  labels: string[];
  branchId: string | null;
  responses: number;
  nps: { n: number; promoters: number; detractors: number };
  csat: { n: number; top2: number; sum: number };
  items: { n: number[]; sum: number[] };
  dimensions: { n: number[] };
  csi: { n: number; sum: number; sumSquares: number };
  problems: { n: number; sum: number; sumSquares: number; any: number };
}

export interface CellRow {
  [key: string]: unknown;
  wb: string | null;
  responses: number;
  nps_n: number;
  promoters: number;
  detractors: number;
  csat_n: number;
  csat_top2: number;
  csat_sum: number;
  item_n: number[];
  item_sum: number[];
  dim_n: number[];
  csi_n: number;
  csi_sum: number;
  csi_sumsq: number;
  pp_n: number;
  pp_sum: number;
  pp_sumsq: number;
  pp_any: number;
}

const intArray = (parts: string[]) => (parts.length === 0 ? `'{}'::int[]` : `array[${parts.join(', ')}]::int[]`);
const floatArray = (parts: string[]) => (parts.length === 0 ? `'{}'::float8[]` : `array[${parts.join(', ')}]::float8[]`);

export interface CellQuery {
  keys: GroupBy[];
  /** Also group by branch (for post-stratification weights). */
  byBranch?: boolean;
  lang?: Locale;
  period?: { from: string | null; to: string | null };
}

/** The per-response columns the cell sums are taken over, read from the facts row `f`. */
export function factColumns(plan: MetricPlan): string[] {
  return [
    `${plan.nps ?? 'null::float8'} as nps`,
    `${plan.csat ?? 'null::float8'} as csat`,
    `${plan.problems ?? 'null::float8'} as pp`,
    'f.csi as csi',
    ...plan.items.map((item) => `${item.source} as ${item.column}`),
    ...plan.dimensions.map((d) => `${d.source} as ${d.column}`),
  ];
}

/** The sums of a cell over those columns, in the order of the analytics_daily columns. */
export function cellAggregates(plan: MetricPlan): string[] {
  return [
    'count(*)::int as responses',
    'count(nps)::int as nps_n',
    'count(*) filter (where nps >= 9)::int as promoters',
    'count(*) filter (where nps <= 6)::int as detractors',
    'count(csat)::int as csat_n',
    `count(*) filter (where csat >= ${plan.csatMax - 1})::int as csat_top2`,
    'coalesce(sum(csat), 0)::float8 as csat_sum',
    `${intArray(plan.items.map((i) => `count(${i.column})`))} as item_n`,
    `${floatArray(plan.items.map((i) => `coalesce(sum(${i.column}), 0)`))} as item_sum`,
    `${intArray(plan.dimensions.map((d) => `count(${d.column})`))} as dim_n`,
    'count(csi)::int as csi_n',
    'coalesce(sum(csi), 0)::float8 as csi_sum',
    'coalesce(sum(csi * csi), 0)::float8 as csi_sumsq',
    'count(pp)::int as pp_n',
    'coalesce(sum(pp), 0)::float8 as pp_sum',
    'coalesce(sum(pp * pp), 0)::float8 as pp_sumsq',
    'count(*) filter (where pp > 0)::int as pp_any',
  ];
}

/**
 * One CellSums per group (× branch). Without segment filters or segment groupings the daily rollup
 * has every number needed (branch and day are its keys); otherwise one pass over the facts.
 */
export async function metricCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[]> {
  if (dailyServes(filters, query.keys)) return dailyCells(sql, filters, plan, query);
  const scope = scopeSql(sql, FACTS_SOURCE, filters, query.keys, { lang: query.lang, period: query.period });
  const keyCount = scope.keyCount;
  const columns = [query.byBranch ? 'f.branch_id as wb' : 'null::uuid as wb', ...factColumns(plan)];
  const keyColumns = Array.from({ length: keyCount }, (_, i) => `k${i}, l${i}`);
  const groupCount = keyCount * 2 + 1;
  const rows = await analyticsRead(sql, (tx) => tx<CellRow[]>`
    select ${sql.unsafe([...keyColumns, 'wb', ...cellAggregates(plan)].join(', '))}
    from (
      select ${scope.keys ? sql`${scope.keys}, ` : sql``}${sql.unsafe(columns.join(', '))}
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where}
    ) t
    group by ${sql.unsafe(ordinals(groupCount))}`);
  return rows.map((row) => cellOf(row, keyCount));
}

/** A result row (k0, l0, …, wb and the sums) as CellSums. */
export function cellOf(row: CellRow, keyCount: number): CellSums {
  return {
    keys: Array.from({ length: keyCount }, (_, i) => String(row[`k${i}`])),
    labels: Array.from({ length: keyCount }, (_, i) => String(row[`l${i}`])),
    branchId: row.wb,
    responses: row.responses,
    nps: { n: row.nps_n, promoters: row.promoters, detractors: row.detractors },
    csat: { n: row.csat_n, top2: row.csat_top2, sum: row.csat_sum },
    items: { n: row.item_n, sum: row.item_sum },
    dimensions: { n: row.dim_n },
    csi: { n: row.csi_n, sum: row.csi_sum, sumSquares: row.csi_sumsq },
    problems: { n: row.pp_n, sum: row.pp_sum, sumSquares: row.pp_sumsq, any: row.pp_any },
  };
}

/** Sums of several cells (a group over its branches, the total over the groups). */
export function addCells(cells: readonly CellSums[], template: { items: number; dimensions: number }): CellSums {
  const out: CellSums = {
    keys: [],
    labels: [],
    branchId: null,
    responses: 0,
    nps: { n: 0, promoters: 0, detractors: 0 },
    csat: { n: 0, top2: 0, sum: 0 },
    items: { n: new Array(template.items).fill(0), sum: new Array(template.items).fill(0) },
    dimensions: { n: new Array(template.dimensions).fill(0) },
    csi: { n: 0, sum: 0, sumSquares: 0 },
    problems: { n: 0, sum: 0, sumSquares: 0, any: 0 },
  };
  for (const c of cells) {
    out.responses += c.responses;
    out.nps.n += c.nps.n;
    out.nps.promoters += c.nps.promoters;
    out.nps.detractors += c.nps.detractors;
    out.csat.n += c.csat.n;
    out.csat.top2 += c.csat.top2;
    out.csat.sum += c.csat.sum;
    c.items.n.forEach((v, i) => (out.items.n[i] += v));
    c.items.sum.forEach((v, i) => (out.items.sum[i] += v));
    c.dimensions.n.forEach((v, i) => (out.dimensions.n[i] += v));
    out.csi.n += c.csi.n;
    out.csi.sum += c.csi.sum;
    out.csi.sumSquares += c.csi.sumSquares;
    out.problems.n += c.problems.n;
    out.problems.sum += c.problems.sum;
    out.problems.sumSquares += c.problems.sumSquares;
    out.problems.any += c.problems.any;
  }
  return out;
}

/** The difference of two sums (a group's complement: total − group). */
export function subtractCells(a: CellSums, b: CellSums): CellSums {
  const neg = addCells([b], { items: b.items.n.length, dimensions: b.dimensions.n.length });
  const flip = (x: number) => -x;
  const negated: CellSums = {
    ...neg,
    responses: -neg.responses,
    nps: { n: -neg.nps.n, promoters: -neg.nps.promoters, detractors: -neg.nps.detractors },
    csat: { n: -neg.csat.n, top2: -neg.csat.top2, sum: -neg.csat.sum },
    items: { n: neg.items.n.map(flip), sum: neg.items.sum.map(flip) },
    dimensions: { n: neg.dimensions.n.map(flip) },
    csi: { n: -neg.csi.n, sum: -neg.csi.sum, sumSquares: -neg.csi.sumSquares },
    problems: { n: -neg.problems.n, sum: -neg.problems.sum, sumSquares: -neg.problems.sumSquares, any: -neg.problems.any },
  };
  return addCells([a, negated], { items: a.items.n.length, dimensions: a.dimensions.n.length });
}
