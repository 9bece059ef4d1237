// The start of every analytics query (survey, filters, rollups) and the grouped headline blocks that
// summary, compare and the regions roll-up read: one GROUP BY pass over the daily rollup or the per-response
// facts (metrics.queries.ts), plus, with weight=branchVolume, one over the rentals for the branch volumes.
import type { Locale } from '@rs/survey-definition';
import type { Sql } from '../../db/client.ts';
import { blocksOf, branchWeights, weightedBlocksOf, type MetricBlocks } from './blocks.ts';
import { ensureFacts, type FactsLayout } from './facts.queries.ts';
import { RENTALS_SOURCE, ordinals, resolveFilters, scopeSql, type AnalyticsFilters } from './filters.queries.ts';
import { isPeriod, type GroupBy } from './filters.schemas.ts';
import { groupLabel, periodsBetween, totalLabel } from './groups.ts';
import { addCells, metricCells, metricPlan, type CellSums, type MetricPlan } from './metrics.queries.ts';
import { loadSurveyContext, localeOf, type SurveyContext } from './survey-context.ts';

export interface GroupResult extends MetricBlocks {
  key: string;
  label: string;
  responses: number;
  suppressed: boolean;
  nEffective?: number | null;
}

export interface AnalyticsRequest {
  survey: SurveyContext;
  filters: AnalyticsFilters;
  plan: MetricPlan;
  layout: FactsLayout;
  locale: Locale;
}

/** Loads the survey, checks the filters and brings the rollups up to date: the start of every analytics query. */
export async function prepare(
  sql: Sql,
  query: Parameters<typeof resolveFilters>[1],
  options: { timeZone: string; branchScope: string[] | null; primary?: Sql },
): Promise<AnalyticsRequest> {
  const survey = await loadSurveyContext(sql, query.survey);
  const filters = await resolveFilters(sql, query, options);
  // Writes (the facts of changed responses): on the primary when `sql` is a replica.
  const layout = await ensureFacts(options.primary ?? sql, survey, { timeZone: options.timeZone });
  return { survey, filters, plan: metricPlan(survey, layout), layout, locale: localeOf(survey, query.lang) };
}

/** Finished rentals (returned in the period) per group and pickup branch: the N_h of post-stratification. */
async function branchVolumes(sql: Sql, filters: AnalyticsFilters, groupBy: GroupBy, period?: { from: string | null; to: string | null }) {
  const scope = scopeSql(sql, RENTALS_SOURCE, filters, [groupBy], { period });
  const rows = await sql<{ k0?: string; branch_id: string; volume: number }[]>`
    select ${scope.keys ? sql`${scope.keys}, ` : sql``}x.pickup_branch_id as branch_id, count(*)::int as volume
    from rentals x ${scope.joins}
    where ${scope.where}
    group by ${sql.unsafe(ordinals(scope.keyCount * 2 + 1))}`;
  const byGroup = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const key = row.k0 ?? 'all';
    const map = byGroup.get(key) ?? new Map<string, number>();
    map.set(row.branch_id, row.volume);
    byGroup.set(key, map);
  }
  return byGroup;
}

function groupResult(
  req: AnalyticsRequest,
  key: string,
  label: string,
  cells: CellSums[],
  volumes: Map<string, number> | null,
): GroupResult & { cell: CellSums } {
  const ctx = { plan: req.plan, survey: req.survey, locale: req.locale, minN: req.survey.minN };
  const cell = addCells(cells, { items: req.plan.items.length, dimensions: req.plan.dimensions.length });
  const suppressed = cell.responses < req.survey.minN;
  if (volumes) {
    const { nEffective, ...blocks } = weightedBlocksOf(branchWeights(cells, volumes), cell, ctx);
    return { key, label, responses: cell.responses, suppressed, nEffective, ...blocks, cell };
  }
  return { key, label, responses: cell.responses, suppressed, ...blocksOf(cell, ctx), cell };
}

export interface GroupedResult {
  groups: (GroupResult & { cell: CellSums })[];
  total: GroupResult & { cell: CellSums };
}

/**
 * Blocks per group and in total. Time groupings list every period between the bounds (the filter's,
 * else the data's), empty ones with n = 0.
 */
export async function groupedBlocks(
  sql: Sql,
  req: AnalyticsRequest,
  groupBy: GroupBy,
  options: { weight?: 'none' | 'branchVolume'; period?: { from: string | null; to: string | null } } = {},
): Promise<GroupedResult> {
  const weighted = options.weight === 'branchVolume';
  const period = options.period ?? { from: req.filters.from, to: req.filters.to };
  const cells = await metricCells(sql, req.filters, req.plan, { keys: [groupBy], byBranch: weighted, lang: req.locale, period });
  const groupVolumes = weighted ? await branchVolumes(sql, req.filters, groupBy, period) : null;
  // Every rental is in exactly one group, so the total's volume of a branch is the sum over the groups.
  let totalVolumes: Map<string, Map<string, number>> | null = null;
  if (groupVolumes) {
    const all = new Map<string, number>();
    for (const volumes of groupVolumes.values()) for (const [branch, n] of volumes) all.set(branch, (all.get(branch) ?? 0) + n);
    totalVolumes = new Map([['all', all]]);
  }

  const byKey = new Map<string, { label: string; cells: CellSums[] }>();
  for (const cell of cells) {
    const key = cell.keys[0] ?? 'all';
    const entry = byKey.get(key) ?? { label: cell.labels[0] ?? key, cells: [] };
    entry.cells.push(cell);
    byKey.set(key, entry);
  }
  if (isPeriod(groupBy)) {
    const present = [...byKey.keys()].sort();
    const from = period.from ?? present[0];
    const to = period.to ?? present[present.length - 1];
    if (from && to) for (const key of periodsBetween(groupBy, from, to)) if (!byKey.has(key)) byKey.set(key, { label: key, cells: [] });
  }
  const keys = [...byKey.keys()].sort();
  const groups =
    groupBy === 'none'
      ? []
      : keys.map((key) => {
          const entry = byKey.get(key)!;
          return groupResult(req, key, groupLabel(groupBy, key, entry.label, req.locale), entry.cells, groupVolumes?.get(key) ?? (weighted ? new Map() : null));
        });
  // The total's strata are the branches: merge each branch's cells over the groups first.
  const totalCells = weighted ? mergeByBranch(cells, req.plan) : cells;
  const total = groupResult(req, 'total', totalLabel(req.locale), totalCells, totalVolumes?.get('all') ?? (weighted ? new Map() : null));
  return { groups, total };
}

function mergeByBranch(cells: readonly CellSums[], plan: MetricPlan): CellSums[] {
  const byBranch = new Map<string | null, CellSums[]>();
  for (const cell of cells) byBranch.set(cell.branchId, [...(byBranch.get(cell.branchId) ?? []), cell]);
  return [...byBranch.entries()].map(([branchId, list]) => ({
    ...addCells(list, { items: plan.items.length, dimensions: plan.dimensions.length }),
    branchId,
  }));
}
