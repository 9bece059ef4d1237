import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { idParamSchema, problemResponses } from '../lib/openapi.ts';
import { exportQuerySchema, listQuerySchema, responseDetailSchema, responseListSchema } from './explorer.schemas.ts';

const tags = ['Responses'];

export const listResponses = createRoute({
  method: 'get',
  path: '/responses',
  ...guard('responses:read'),
  tags,
  summary: 'Responses with their branch, customer, rental and headline answers; filtered and paged',
  request: { query: listQuerySchema },
  responses: {
    200: { description: 'One page of responses and the total count', content: { 'application/json': { schema: responseListSchema } } },
    ...problemResponses(400, 404),
  },
});
export type ListResponsesRoute = typeof listResponses;

// Declared before /responses/{id} so "export.csv" is never taken for an id.
export const exportResponses = createRoute({
  method: 'get',
  path: '/responses/export.csv',
  ...guard('responses:export'),
  tags,
  summary: 'The filtered responses as CSV (UTF-8 with BOM, formula cells escaped), streamed',
  request: { query: exportQuerySchema },
  responses: {
    200: { description: 'CSV file, one row per response and one column per question (matrix: per item)', content: { 'text/csv': { schema: z.string() } } },
    ...problemResponses(400, 404),
  },
});
export type ExportResponsesRoute = typeof exportResponses;

export const getResponse = createRoute({
  method: 'get',
  path: '/responses/{id}',
  ...guard('responses:read'),
  tags,
  summary: 'One response with the customer, rental and branch, and every answer with its question text',
  request: { params: idParamSchema },
  responses: {
    200: { description: 'The response', content: { 'application/json': { schema: responseDetailSchema } } },
    ...problemResponses(400, 404),
  },
});
export type GetResponseRoute = typeof getResponse;
