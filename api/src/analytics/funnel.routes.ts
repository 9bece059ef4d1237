import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { funnelQuerySchema, funnelResultSchema } from './funnel.schemas.ts';

export const funnel = createRoute({
  method: 'get',
  path: '/analytics/funnel',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Delivery funnel per group',
  description:
    'Invitations created in the period and what became of them (sent, failed, opened, started, finished, opted out, expired), with the finished rentals of the period as eligible; response rate = finished / sent.',
  request: { query: funnelQuerySchema },
  responses: {
    200: { description: 'Delivery funnel per group', content: { 'application/json': { schema: funnelResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type FunnelRoute = typeof funnel;
