import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';

export const surveySummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.string(),
    status: z.enum(['draft', 'active', 'archived']),
    latestVersion: z.number().int().nullable(),
    responses: z.number().int(),
  })
  .openapi('SurveySummary');

export const listSurveys = createRoute({
  method: 'get',
  path: '/surveys',
  ...guard('surveys:read'),
  tags: ['Surveys'],
  summary: 'All surveys with status, latest version and finished-response count',
  responses: {
    200: { description: 'Surveys', content: { 'application/json': { schema: z.array(surveySummarySchema) } } },
  },
});
export type ListSurveysRoute = typeof listSurveys;
