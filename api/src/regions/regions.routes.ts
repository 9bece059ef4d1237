import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import {
  regionCodeParamSchema,
  regionCreateSchema,
  regionIdParamSchema,
  regionImportResultSchema,
  regionRollupQuerySchema,
  regionRollupSchema,
  regionSchema,
  regionUpdateSchema,
} from './regions.schemas.ts';

const tags = ['Regions'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const listRegions = createRoute({
  method: 'get',
  path: '/regions',
  ...guard('account'),
  tags,
  summary: 'Regions the signed-in user may see (branch-scoped roles: those holding their branches), in code order',
  responses: { 200: json(z.array(regionSchema), 'Regions'), ...problemResponses(401) },
});
export type ListRegionsRoute = typeof listRegions;

export const createRegion = createRoute({
  method: 'post',
  path: '/regions',
  ...guard('branches:admin'),
  tags,
  summary: 'Add a region',
  request: { body: { required: true, content: { 'application/json': { schema: regionCreateSchema } } } },
  responses: { 201: json(regionSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateRegionRoute = typeof createRegion;

export const updateRegion = createRoute({
  method: 'patch',
  path: '/regions/{id}',
  ...guard('branches:admin'),
  tags,
  summary: 'Rename a region, or (`active: false`) deactivate it',
  request: { params: regionIdParamSchema, body: { required: true, content: { 'application/json': { schema: regionUpdateSchema } } } },
  responses: { 200: json(regionSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type UpdateRegionRoute = typeof updateRegion;

export const deleteRegion = createRoute({
  method: 'delete',
  path: '/regions/{id}',
  ...guard('branches:admin'),
  tags,
  summary: 'Delete a region without branches (409 while branches belong to it)',
  request: { params: regionIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
export type DeleteRegionRoute = typeof deleteRegion;

export const importRegions = createRoute({
  method: 'post',
  path: '/regions/import',
  ...guard('branches:admin'),
  tags,
  summary: 'Create or update regions from a CSV file (the request body), matched by code',
  description:
    'Columns (header row, any order): code, name, name_en, active (true/false, default true). ' +
    'All rows are checked first: when any row is bad, the answer is 422 naming every bad row (`errors[].row`, the header being row 1) and nothing is written.',
  request: { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } } },
  responses: { 200: json(regionImportResultSchema, 'Imported'), ...problemResponses(400, 401, 403, 413, 422) },
});
export type ImportRegionsRoute = typeof importRegions;

export const regionRollup = createRoute({
  method: 'get',
  path: '/regions/{code}/rollup',
  ...guard('analytics:read'),
  tags,
  summary: 'A region against the company: the league table of its branches, the region’s totals and the company’s totals',
  description:
    'For callers who see every branch of the region (regional managers of the region, and unscoped roles); others get 404. ' +
    'The company figures are totals only, with the same survey, period and segment filters. Figures as in /analytics/summary.',
  request: { params: regionCodeParamSchema, query: regionRollupQuerySchema },
  responses: { 200: json(regionRollupSchema, 'Roll-up'), ...problemResponses(400, 401, 403, 404) },
});
export type RegionRollupRoute = typeof regionRollup;
