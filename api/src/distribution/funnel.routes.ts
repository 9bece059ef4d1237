import { guard } from '../access/guard.ts';
import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { funnelQuerySchema, funnelSchema } from './funnel.schemas.ts';

export const getFunnel = createRoute({
  method: 'get',
  path: '/distribution/funnel',
  ...guard('distribution:read'),
  tags: ['Distribution'],
  summary: 'Delivery funnel of a survey per branch or period: eligible, invited, sent, failed, opened, started, finished, opted out',
  request: { query: funnelQuerySchema },
  responses: { 200: { description: 'Funnel', content: { 'application/json': { schema: funnelSchema } } }, ...problemResponses(400) },
});
export type GetFunnelRoute = typeof getFunnel;
