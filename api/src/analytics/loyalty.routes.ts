import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { loyaltyQuerySchema, loyaltyResultSchema } from './loyalty.schemas.ts';

export const loyalty = createRoute({
  method: 'get',
  path: '/analytics/loyalty',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Behavioural loyalty: repeat rentals after answering, by NPS category and index band',
  description:
    'For each finished response with a customer: did the customer pick up another rental within each window after answering? Only responses whose whole window has passed count. Wilson intervals; promoters minus detractors with a two-proportion z-test.',
  request: { query: loyaltyQuerySchema },
  responses: {
    200: { description: 'Behavioural loyalty: repeat rentals after answering, by NPS category and index band', content: { 'application/json': { schema: loyaltyResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type LoyaltyRoute = typeof loyalty;
