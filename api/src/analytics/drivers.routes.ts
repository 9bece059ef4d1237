import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { driversQuerySchema, driversResultSchema } from './drivers.schemas.ts';

export const drivers = createRoute({
  method: 'get',
  path: '/analytics/drivers',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Key-driver analysis with the importance–performance quadrant',
  description:
    'One SQL pass gives n, Σx and Σx·x over the responses with the outcome and every driver (listwise deletion); correlations, ' +
    'betas and weights follow statistics.md. 422 when n < p + 2, for shapley with more than 15 drivers, for collinear or constant variables.',
  request: { query: driversQuerySchema },
  responses: {
    200: { description: 'Drivers with weights, shares and quadrants', content: { 'application/json': { schema: driversResultSchema } } },
    ...problemResponses(400, 404, 422),
  },
});
export type DriversRoute = typeof drivers;
