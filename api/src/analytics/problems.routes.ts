import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { problemsQuerySchema, problemsResultSchema } from './problems.schemas.ts';

export const problems = createRoute({
  method: 'get',
  path: '/analytics/problems',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Checklist problems per group as a Pareto',
  description:
    'Counts of each problem ticked by the filtered finished responses, most frequent first, with the share of the responses that answered the checklist and the cumulative share of all problems. "No problem" is counted apart.',
  request: { query: problemsQuerySchema },
  responses: {
    200: { description: 'Checklist problems per group as a Pareto', content: { 'application/json': { schema: problemsResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type ProblemsRoute = typeof problems;
