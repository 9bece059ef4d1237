import { guard } from '../access/guard.ts';
import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { summaryQuerySchema, summaryResultSchema } from './summary.schemas.ts';

export const summary = createRoute({
  method: 'get',
  path: '/analytics/summary',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'NPS per group (statistics.md definitions, unrounded)',
  request: { query: summaryQuerySchema },
  responses: {
    200: { description: 'Per-group and total blocks', content: { 'application/json': { schema: summaryResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type SummaryRoute = typeof summary;
