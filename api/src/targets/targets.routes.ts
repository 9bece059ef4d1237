import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import {
  statusQuerySchema,
  statusResultSchema,
  targetIdParamSchema,
  targetImportResultSchema,
  targetInputSchema,
  targetListQuerySchema,
  targetSchema,
  targetTrendSchema,
  trendQuerySchema,
} from './targets.schemas.ts';

const tags = ['Targets'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
const STATUS =
  'Status per docs/statistics.md#targets: met / not_met when the whole 95 % interval lies on one side of the target, ' +
  'indistinguishable when the target lies inside it (or there is no interval), no_data without a figure; null without a target.';

export const listTargets = createRoute({
  method: 'get',
  path: '/targets',
  ...guard('analytics:read'),
  tags,
  summary: 'Targets (branch-scoped roles: their branches’ targets)',
  request: { query: targetListQuerySchema },
  responses: { 200: json(z.array(targetSchema), 'Targets'), ...problemResponses(400, 401, 403) },
});
export type ListTargetsRoute = typeof listTargets;

export const putTarget = createRoute({
  method: 'put',
  path: '/targets',
  ...guard('rules:write'),
  tags,
  summary: 'Set a target (replaces the value of the same metric, level, scope and period)',
  request: { body: { required: true, content: { 'application/json': { schema: targetInputSchema } } } },
  responses: { 200: json(targetSchema, 'Set'), ...problemResponses(400, 401, 403, 422) },
});
export type PutTargetRoute = typeof putTarget;

export const deleteTarget = createRoute({
  method: 'delete',
  path: '/targets/{id}',
  ...guard('rules:write'),
  tags,
  summary: 'Remove a target',
  request: { params: targetIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404) },
});
export type DeleteTargetRoute = typeof deleteTarget;

export const importTargets = createRoute({
  method: 'post',
  path: '/targets/import',
  ...guard('rules:write'),
  tags,
  summary: 'Set targets from a CSV file (the request body)',
  description:
    'Columns (header row, any order): metric (nps, csi, csat_top2, csat_top_box, pp100, response_rate, sla_hit_rate), level (company, region, branch), ' +
    'scope (region or branch code; empty for the company), period (2026, 2026-Q3 or 2026-07), target. ' +
    'All rows are checked first: when any row is bad, the answer is 422 naming every bad row (`errors[].row`, the header being row 1) and nothing is written.',
  request: { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } } },
  responses: { 200: json(targetImportResultSchema, 'Imported'), ...problemResponses(400, 401, 403, 413, 422) },
});
export type ImportTargetsRoute = typeof importTargets;

export const targetStatus = createRoute({
  method: 'get',
  path: '/targets/status',
  ...guard('analytics:read'),
  tags,
  summary: 'Every metric of the company, each region or each branch against its target, for a survey and period',
  description: `${STATUS} Branch-scoped roles get branch rows only (their branches).`,
  request: { query: statusQuerySchema },
  responses: { 200: json(statusResultSchema, 'Status'), ...problemResponses(400, 401, 403, 404) },
});
export type TargetStatusRoute = typeof targetStatus;

export const targetTrend = createRoute({
  method: 'get',
  path: '/targets/trend',
  ...guard('analytics:read'),
  tags,
  summary: 'One metric per period against the target of each period',
  description: STATUS,
  request: { query: trendQuerySchema },
  responses: { 200: json(targetTrendSchema, 'Trend'), ...problemResponses(400, 401, 403, 404) },
});
export type TargetTrendRoute = typeof targetTrend;
