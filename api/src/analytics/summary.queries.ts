// /api/analytics/summary: the headline blocks per group and in total (engine/request.queries.ts).
import type { Sql } from '../db/client.ts';
import type { CellSums } from './engine/metrics.queries.ts';
import { type GroupResult, groupedBlocks, prepare } from './engine/request.queries.ts';
import type { SummaryQuery } from './summary.schemas.ts';

const publicGroup = ({ cell: _cell, ...group }: GroupResult & { cell: CellSums }): GroupResult => group;

export async function buildSummary(sql: Sql, query: SummaryQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const req = await prepare(sql, query, options);
  const { groups, total } = await groupedBlocks(sql, req, query.groupBy, { weight: query.weight });
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: query.groupBy,
    weight: query.weight,
    minN: req.survey.minN,
    groups: groups.map(publicGroup),
    total: publicGroup(total),
  };
}
