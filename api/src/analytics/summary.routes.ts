import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { summaryQuerySchema, summaryResultSchema } from './summary.schemas.ts';

export const summary = createRoute({
  method: 'get',
  path: '/analytics/summary',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'NPS, CSAT, CSI and PP100 per group and in total (statistics.md definitions, unrounded)',
  description:
    'Finished responses of the survey (all versions) in the period, filtered and grouped. Groups with fewer responses than the ' +
    "survey's minN keep their counts but have null scores (`suppressed`). Time groupings list every period, empty ones with n = 0.",
  request: { query: summaryQuerySchema },
  responses: {
    200: { description: 'Per-group and total blocks', content: { 'application/json': { schema: summaryResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type SummaryRoute = typeof summary;
