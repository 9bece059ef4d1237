import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses } from '../lib/openapi.ts';
import { invitationRulesSchema, rulesResponseSchema, surveyIdParamSchema, targetsPreviewSchema } from './rules.schemas.ts';

const tags = ['Distribution'];

export const getRules = createRoute({
  method: 'get',
  path: '/surveys/{surveyId}/invitation-rules',
  ...guard('distribution:read'),
  tags,
  summary: "A survey's invitation rules (the defaults when none were saved) and the built-in message texts",
  request: { params: surveyIdParamSchema },
  responses: { 200: jsonResponse(rulesResponseSchema, 'Rules'), ...problemResponses(404) },
});
export type GetRulesRoute = typeof getRules;

export const putRules = createRoute({
  method: 'put',
  path: '/surveys/{surveyId}/invitation-rules',
  ...guard('distribution:write'),
  tags,
  summary: "Replace a survey's invitation rules (fields left out take their defaults)",
  request: { params: surveyIdParamSchema, body: { required: true, content: { 'application/json': { schema: invitationRulesSchema } } } },
  responses: { 200: jsonResponse(rulesResponseSchema, 'Saved'), ...problemResponses(400, 404, 422) },
});
export type PutRulesRoute = typeof putRules;

export const previewTargets = createRoute({
  method: 'get',
  path: '/surveys/{surveyId}/invitation-targets/preview',
  ...guard('distribution:read'),
  tags,
  summary: 'What changes hands when this survey is published or reactivated: which rentals move to it from which survey',
  description:
    'Routing priority among active post-rental surveys (see InvitationTargets): the most specific targets win — branches, then regions, ' +
    'then vehicle classes, then customer types, then every rental; between equally specific surveys the one created first keeps the ' +
    'rentals. Counts are of the rentals returned in the last 30 days, routed as today and as after the change. Nothing is changed.',
  request: { params: surveyIdParamSchema },
  responses: { 200: jsonResponse(targetsPreviewSchema, 'Preview'), ...problemResponses(404) },
});
export type PreviewTargetsRoute = typeof previewTargets;
