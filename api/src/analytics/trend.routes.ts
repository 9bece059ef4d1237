import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { trendQuerySchema, trendResultSchema } from './trend.schemas.ts';

export const trend = createRoute({
  method: 'get',
  path: '/analytics/trend',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Any metric by day, week, month or quarter, one series per group',
  description:
    "Every period between from and to (or the data's first and last) is present, empty ones with n = 0 and null values. Metrics: nps, csat (top-2-box), csatMean, csi, pp100, incidence, responses, dimension.<id>.",
  request: { query: trendQuerySchema },
  responses: {
    200: { description: 'Any metric by day, week, month or quarter, one series per group', content: { 'application/json': { schema: trendResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type TrendRoute = typeof trend;
