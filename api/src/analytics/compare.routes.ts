import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { compareQuerySchema, compareResultSchema } from './compare.schemas.ts';

export const compare = createRoute({
  method: 'get',
  path: '/analytics/compare',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Significance of each group against the rest, or against the previous period',
  description:
    'NPS difference with z and p (statistics.md), CSAT top-2-box two-proportion z-test, CSI Welch t-test on the per-respondent ' +
    'index; p-values Holm-adjusted across the groups per metric; `significant` at 95 %. Groups or references under minN are not tested.',
  request: { query: compareQuerySchema },
  responses: {
    200: { description: 'One comparison per group', content: { 'application/json': { schema: compareResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type CompareRoute = typeof compare;
