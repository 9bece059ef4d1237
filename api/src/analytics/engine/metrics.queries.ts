// One GROUP BY pass over the facts rollup that returns, per group (and per branch when weighting),
// the sums every headline block is computed from: NPS counts, CSAT counts, each CSI item's n and Σx,
// each dimension's respondent count, the per-respondent index (for Welch's test) and PP100 sums.
import type { Sql } from '../../db/client.ts';
import type { DimensionItem, Locale } from '@rs/survey-definition';
import type { FactsLayout } from './facts.queries.ts';
import type { AnalyticsFilters } from './filters.queries.ts';
import { FACTS_SOURCE, analyticsRead, ordinals, scopeSql } from './filters.queries.ts';
import type { GroupBy } from './filters.schemas.ts';
import type { SurveyContext } from './survey-context.ts';
import { npsCategorySql } from './nps.queries.ts';
import { rollupCells } from './segments.queries.ts';

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
  csat: { n: number; top2: number; sum: number; topBox: number };
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
  csat_top_box: number;
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
    `count(*) filter (where ${npsCategorySql('nps')} = 'promoter')::int as promoters`,
    `count(*) filter (where ${npsCategorySql('nps')} = 'detractor')::int as detractors`,
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
    // CSAT top-box: answers at the scale's highest point (docs/statistics.md#csat).
    `count(*) filter (where csat >= ${plan.csatMax})::int as csat_top_box`,
  ];
}

/**
 * One CellSums per group (× branch). With at most one segment kind among the filters and groupings the
 * rollups have every number needed (segments.queries.ts); otherwise one pass over the facts.
 */
export async function metricCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[]> {
  return (await rollupCells(sql, filters, plan, query)) ?? factsCells(sql, filters, plan, query);
}

/** metricCells from one pass over the facts (what every request can be answered from). */
export async function factsCells(sql: Sql, filters: AnalyticsFilters, plan: MetricPlan, query: CellQuery): Promise<CellSums[]> {
  const scope = scopeSql(sql, FACTS_SOURCE, filters, query.keys, { lang: query.lang, period: query.period });
  const keyCount = scope.keyCount;
  const columns = [query.byBranch ? 'f.branch_id as wb' : 'null::uuid as wb', ...factColumns(plan)];
  const keyColumns = Array.from({ length: keyCount }, (_, i) => `k${i}, l${i}`);
  const groupCount = keyCount * 2 + 1;
  const rows = await analyticsRead(
    sql,
    (tx) => tx<CellRow[]>`
    select ${sql.unsafe([...keyColumns, 'wb', ...cellAggregates(plan)].join(', '))}
    from (
      select ${scope.keys ? sql`${scope.keys}, ` : sql``}${sql.unsafe(columns.join(', '))}
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where}
    ) t
    group by ${sql.unsafe(ordinals(groupCount))}`,
  );
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
    csat: { n: row.csat_n, top2: row.csat_top2, sum: row.csat_sum, topBox: row.csat_top_box ?? 0 },
    items: { n: row.item_n, sum: row.item_sum },
    dimensions: { n: row.dim_n },
    csi: { n: row.csi_n, sum: row.csi_sum, sumSquares: row.csi_sumsq },
    problems: { n: row.pp_n, sum: row.pp_sum, sumSquares: row.pp_sumsq, any: row.pp_any },
  };
}

/** Adds (sign 1) or takes away (sign −1) one cell's sums to `out`, in place. */
function accumulate(out: CellSums, c: CellSums, sign: 1 | -1) {
  out.responses += sign * c.responses;
  out.nps.n += sign * c.nps.n;
  out.nps.promoters += sign * c.nps.promoters;
  out.nps.detractors += sign * c.nps.detractors;
  out.csat.n += sign * c.csat.n;
  out.csat.top2 += sign * c.csat.top2;
  out.csat.sum += sign * c.csat.sum;
  out.csat.topBox += sign * c.csat.topBox;
  c.items.n.forEach((v, i) => (out.items.n[i] += sign * v));
  c.items.sum.forEach((v, i) => (out.items.sum[i] += sign * v));
  c.dimensions.n.forEach((v, i) => (out.dimensions.n[i] += sign * v));
  out.csi.n += sign * c.csi.n;
  out.csi.sum += sign * c.csi.sum;
  out.csi.sumSquares += sign * c.csi.sumSquares;
  out.problems.n += sign * c.problems.n;
  out.problems.sum += sign * c.problems.sum;
  out.problems.sumSquares += sign * c.problems.sumSquares;
  out.problems.any += sign * c.problems.any;
}

/** Sums of several cells (a group over its branches, the total over the groups). */
export function addCells(cells: readonly CellSums[], template: { items: number; dimensions: number }): CellSums {
  const out: CellSums = {
    keys: [],
    labels: [],
    branchId: null,
    responses: 0,
    nps: { n: 0, promoters: 0, detractors: 0 },
    csat: { n: 0, top2: 0, sum: 0, topBox: 0 },
    items: { n: new Array(template.items).fill(0), sum: new Array(template.items).fill(0) },
    dimensions: { n: new Array(template.dimensions).fill(0) },
    csi: { n: 0, sum: 0, sumSquares: 0 },
    problems: { n: 0, sum: 0, sumSquares: 0, any: 0 },
  };
  for (const c of cells) accumulate(out, c, 1);
  return out;
}

/** The difference of two sums (a group's complement: total − group). */
export function subtractCells(a: CellSums, b: CellSums): CellSums {
  const out = addCells([a], { items: a.items.n.length, dimensions: a.dimensions.n.length });
  accumulate(out, b, -1);
  return out;
}
