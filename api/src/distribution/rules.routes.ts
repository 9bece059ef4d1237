import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { invitationRulesSchema, rulesResponseSchema, surveyIdParamSchema } from './rules.schemas.ts';

const tags = ['Distribution'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const getRules = createRoute({
  method: 'get',
  path: '/surveys/{surveyId}/invitation-rules',
  ...guard('distribution:read'),
  tags,
  summary: "A survey's invitation rules (the defaults when none were saved) and the built-in message texts",
  request: { params: surveyIdParamSchema },
  responses: { 200: json(rulesResponseSchema, 'Rules'), ...problemResponses(404) },
});
export type GetRulesRoute = typeof getRules;

export const putRules = createRoute({
  method: 'put',
  path: '/surveys/{surveyId}/invitation-rules',
  ...guard('distribution:write'),
  tags,
  summary: "Replace a survey's invitation rules (fields left out take their defaults)",
  request: { params: surveyIdParamSchema, body: { required: true, content: { 'application/json': { schema: invitationRulesSchema } } } },
  responses: { 200: json(rulesResponseSchema, 'Saved'), ...problemResponses(400, 404, 422) },
});
export type PutRulesRoute = typeof putRules;
