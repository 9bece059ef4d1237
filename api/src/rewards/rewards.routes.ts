import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import {
  codesAddedSchema,
  generateCodesSchema,
  programmeIdParamSchema,
  redemptionsBodySchema,
  redemptionsResultSchema,
  rewardProgrammeCreateSchema,
  rewardProgrammeSchema,
  rewardProgrammeUpdateSchema,
  uptakeQuerySchema,
  uptakeReportSchema,
} from './rewards.schemas.ts';

const tags = ['Rewards'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const csvBody = { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } } };

export const listProgrammes = createRoute({
  method: 'get',
  path: '/rewards/programmes',
  ...guard('distribution:read'),
  tags,
  summary: 'Reward programmes with the state of their code pools',
  responses: { 200: json(z.array(rewardProgrammeSchema), 'Programmes'), ...problemResponses(401, 403) },
});
export type ListProgrammesRoute = typeof listProgrammes;

export const getProgramme = createRoute({
  method: 'get',
  path: '/rewards/programmes/{id}',
  ...guard('distribution:read'),
  tags,
  summary: 'One reward programme',
  request: { params: programmeIdParamSchema },
  responses: { 200: json(rewardProgrammeSchema, 'Programme'), ...problemResponses(400, 401, 403, 404) },
});
export type GetProgrammeRoute = typeof getProgramme;

export const createProgramme = createRoute({
  method: 'post',
  path: '/rewards/programmes',
  ...guard('distribution:write'),
  tags,
  summary: 'Start a reward programme for a survey (one per survey): every finished response gets a code of its pool',
  request: body(rewardProgrammeCreateSchema),
  responses: { 201: json(rewardProgrammeSchema, 'Created'), ...problemResponses(400, 401, 403, 409, 422) },
});
export type CreateProgrammeRoute = typeof createProgramme;

export const updateProgramme = createRoute({
  method: 'patch',
  path: '/rewards/programmes/{id}',
  ...guard('distribution:write'),
  tags,
  summary: 'Change a programme (name, period, alert threshold) or pause it (`active: false`)',
  request: { params: programmeIdParamSchema, ...body(rewardProgrammeUpdateSchema) },
  responses: { 200: json(rewardProgrammeSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type UpdateProgrammeRoute = typeof updateProgramme;

export const importCodes = createRoute({
  method: 'post',
  path: '/rewards/programmes/{id}/codes/import',
  ...guard('distribution:write'),
  tags,
  summary: 'Add codes to the pool from a CSV file (the request body, a `code` column)',
  description:
    'Every row is checked first: a bad code, a code twice in the file or a code the pool has already makes the answer 422 ' +
    'naming every such row (`errors[].row`, the header being row 1), and nothing is added.',
  request: { params: programmeIdParamSchema, ...csvBody },
  responses: { 200: json(codesAddedSchema, 'Added'), ...problemResponses(400, 401, 403, 404, 413, 422) },
});
export type ImportCodesRoute = typeof importCodes;

export const generateCodes = createRoute({
  method: 'post',
  path: '/rewards/programmes/{id}/codes/generate',
  ...guard('distribution:write'),
  tags,
  summary: 'Add generated codes to the pool: the prefix and 8 random letters and digits (no 0/O, 1/I)',
  request: { params: programmeIdParamSchema, ...body(generateCodesSchema) },
  responses: { 200: json(codesAddedSchema, 'Added'), ...problemResponses(400, 401, 403, 404) },
});
export type GenerateCodesRoute = typeof generateCodes;

const redemptionDescription =
  'Codes the rental system took, matched in this programme. A code that is unknown, not issued yet, redeemed before its issue or in the future, ' +
  'or recorded redeemed at another time makes the answer 422 naming every such row, and nothing is recorded. ' +
  'A redemption sent again with the same time counts as unchanged.';

export const importRedemptions = createRoute({
  method: 'post',
  path: '/rewards/programmes/{id}/redemptions/import',
  ...guard('rentals:write'),
  tags,
  summary: 'Record redemptions from a CSV file (columns code, redeemed_at, branch)',
  description: `${redemptionDescription} Rows are numbered as a spreadsheet shows them (the header is row 1).`,
  request: { params: programmeIdParamSchema, ...csvBody },
  responses: { 200: json(redemptionsResultSchema, 'Recorded'), ...problemResponses(400, 401, 403, 404, 413, 422) },
});
export type ImportRedemptionsRoute = typeof importRedemptions;

export const postRedemptions = createRoute({
  method: 'post',
  path: '/rewards/programmes/{id}/redemptions',
  ...guard('rentals:write'),
  tags,
  summary: 'Record redemptions sent by the rental system (JSON)',
  description: `${redemptionDescription} Rows are numbered from 1 in the order sent.`,
  request: { params: programmeIdParamSchema, ...body(redemptionsBodySchema) },
  responses: { 200: json(redemptionsResultSchema, 'Recorded'), ...problemResponses(400, 401, 403, 404, 422) },
});
export type PostRedemptionsRoute = typeof postRedemptions;

export const uptake = createRoute({
  method: 'get',
  path: '/rewards/programmes/{id}/uptake',
  ...guard('analytics:read'),
  tags,
  summary: 'Uptake of the codes issued in a period: redeemed / issued per issuing branch and customer value tier',
  description: 'Branch-scoped roles see their branches only. Defined in docs/statistics.md (Reward uptake).',
  request: { params: programmeIdParamSchema, query: uptakeQuerySchema },
  responses: { 200: json(uptakeReportSchema, 'Uptake'), ...problemResponses(400, 401, 403, 404) },
});
export type UptakeRoute = typeof uptake;
