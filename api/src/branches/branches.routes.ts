import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { idParamSchema, jsonResponse, problemResponses } from '../lib/openapi.ts';
import { branchCreateSchema, branchImportResultSchema, branchListQuerySchema, branchSchema, branchUpdateSchema } from './branches.schemas.ts';

const tags = ['Branches'];

export const listBranches = createRoute({
  method: 'get',
  path: '/branches',
  ...guard('account'),
  tags,
  summary: 'Branches the signed-in user may see (branch managers: their own), in code order',
  request: { query: branchListQuerySchema },
  responses: { 200: jsonResponse(z.array(branchSchema), 'Branches'), ...problemResponses(400, 401) },
});
export type ListBranchesRoute = typeof listBranches;

export const createBranch = createRoute({
  method: 'post',
  path: '/branches',
  ...guard('branches:admin'),
  tags,
  summary: 'Add a branch',
  request: { body: { required: true, content: { 'application/json': { schema: branchCreateSchema } } } },
  responses: { 201: jsonResponse(branchSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateBranchRoute = typeof createBranch;

export const updateBranch = createRoute({
  method: 'patch',
  path: '/branches/{id}',
  ...guard('branches:admin'),
  tags,
  summary: 'Change a branch: names, city, region, time zone; `active: false` deactivates it',
  request: { params: idParamSchema, body: { required: true, content: { 'application/json': { schema: branchUpdateSchema } } } },
  responses: { 200: jsonResponse(branchSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type UpdateBranchRoute = typeof updateBranch;

export const importBranches = createRoute({
  method: 'post',
  path: '/branches/import',
  ...guard('branches:admin'),
  tags,
  summary: 'Create or update branches from a CSV file (the request body), matched by code',
  description:
    'Columns (header row, any order): code, name, name_en, city, region, time_zone (IANA, default Asia/Shanghai), active (true/false, default true). ' +
    'All rows are checked first: when any row is bad, the answer is 422 naming every bad row (`errors[].row`, the header being row 1) and nothing is written.',
  request: { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } } },
  responses: { 200: jsonResponse(branchImportResultSchema, 'Imported'), ...problemResponses(400, 401, 403, 413, 422) },
});
export type ImportBranchesRoute = typeof importBranches;
