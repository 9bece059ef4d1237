import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { importBodyDescription, importQuerySchema, importResultSchema } from './import.schemas.ts';

export const importResponses = createRoute({
  method: 'post',
  path: '/responses/import',
  // Bringing a survey's history in is survey administration (quality managers, administrators).
  ...guard('surveys:write'),
  tags: ['Analytics'],
  summary: 'Import past survey answers from a CSV file (streamed)',
  description:
    'Each row becomes a finished response (source "import") of the chosen version, checked like a submitted answer. Good rows are ' +
    'written, each with all its answers or not at all; rejected rows are reported by row number. A rental answers a survey once.',
  request: {
    query: importQuerySchema,
    body: { required: true, description: importBodyDescription, content: { 'text/csv': { schema: z.string() } } },
  },
  responses: {
    200: { description: 'What was imported and what was rejected', content: { 'application/json': { schema: importResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type ImportResponsesRoute = typeof importResponses;
