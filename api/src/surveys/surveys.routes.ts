import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { idParamSchema, jsonBody, jsonResponse, problemResponses } from '../lib/openapi.ts';
import {
  createSurveyBodySchema,
  draftSchema,
  duplicateBodySchema,
  fromTemplateBodySchema,
  listQuerySchema,
  publishPreviewSchema,
  publishResultSchema,
  surveyDetailSchema,
  surveySummarySchema,
  templateDetailSchema,
  templateIdParamSchema,
  templateSummarySchema,
  updateDraftBodySchema,
  versionDetailSchema,
  versionParamSchema,
  versionSummarySchema,
} from './surveys.schemas.ts';

const tags = ['Surveys'];

export const listSurveys = createRoute({
  method: 'get',
  path: '/surveys',
  ...guard('surveys:read'),
  tags,
  summary: 'All surveys with status, latest version and finished-response count',
  description: 'With `unpublished=true`: the drafts waiting to be published.',
  request: { query: listQuerySchema },
  responses: {
    200: jsonResponse(z.array(surveySummarySchema), 'Surveys'),
    ...problemResponses(400),
  },
});
export type ListSurveysRoute = typeof listSurveys;

export const createSurvey = createRoute({
  method: 'post',
  path: '/surveys',
  ...guard('surveys:write'),
  tags,
  summary: 'Create a survey (status draft): blank, from a template or from a definition',
  request: jsonBody(createSurveyBodySchema),
  responses: {
    201: jsonResponse(surveyDetailSchema, 'Created'),
    ...problemResponses(400),
  },
});
export type CreateSurveyRoute = typeof createSurvey;

export const getSurvey = createRoute({
  method: 'get',
  path: '/surveys/{id}',
  ...guard('surveys:read'),
  tags,
  summary: 'One survey: its draft and a summary of its published versions',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(surveyDetailSchema, 'The survey'),
    ...problemResponses(400, 404),
  },
});
export type GetSurveyRoute = typeof getSurvey;

export const getDraft = createRoute({
  method: 'get',
  path: '/surveys/{id}/draft',
  ...guard('surveys:read'),
  tags,
  summary: 'The editable draft of a survey',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(draftSchema, 'The draft'),
    ...problemResponses(400, 404),
  },
});
export type GetDraftRoute = typeof getDraft;

export const updateDraft = createRoute({
  method: 'put',
  path: '/surveys/{id}/draft',
  ...guard('surveys:write'),
  tags,
  summary: 'Replace the draft with a complete definition (and optionally rename the survey)',
  description:
    'The definition is validated as a whole; on any fault nothing is stored and the 400 problem lists every fault with its path ' +
    '(relative to the definition, e.g. `pages.0.questions.2.choices.1.id`). Published versions never change: publish the draft to make the next version.',
  request: { params: idParamSchema, ...jsonBody(updateDraftBodySchema) },
  responses: {
    200: jsonResponse(surveyDetailSchema, 'Saved'),
    ...problemResponses(400, 404, 409),
  },
});
export type UpdateDraftRoute = typeof updateDraft;

export const previewPublish = createRoute({
  method: 'get',
  path: '/surveys/{id}/draft/changes',
  ...guard('surveys:read'),
  tags,
  summary: 'What publishing the draft would change since the latest version (nothing is published)',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(publishPreviewSchema, 'The changes'),
    ...problemResponses(400, 404),
  },
});
export type PreviewPublishRoute = typeof previewPublish;

export const publish = createRoute({
  method: 'post',
  path: '/surveys/{id}/publish',
  ...guard('surveys:write'),
  tags,
  summary: 'Publish the draft as the next immutable version (the survey becomes active)',
  description:
    'Invitations made from now on use the new version; earlier invitations and responses keep the version they were made with. ' +
    "`breaksComparability` is true when a question, item or choice was removed or a question's type or scale changed.",
  request: { params: idParamSchema },
  responses: {
    201: jsonResponse(publishResultSchema, 'Published'),
    ...problemResponses(400, 404, 409),
  },
});
export type PublishRoute = typeof publish;

export const listVersions = createRoute({
  method: 'get',
  path: '/surveys/{id}/versions',
  ...guard('surveys:read'),
  tags,
  summary: 'The published versions of a survey, oldest first',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(z.array(versionSummarySchema), 'Versions'),
    ...problemResponses(400, 404),
  },
});
export type ListVersionsRoute = typeof listVersions;

export const getVersion = createRoute({
  method: 'get',
  path: '/surveys/{id}/versions/{version}',
  ...guard('surveys:read'),
  tags,
  summary: 'One published version: its definition and what changed since the version before',
  request: { params: versionParamSchema },
  responses: {
    200: jsonResponse(versionDetailSchema, 'The version'),
    ...problemResponses(400, 404),
  },
});
export type GetVersionRoute = typeof getVersion;

export const archive = createRoute({
  method: 'post',
  path: '/surveys/{id}/archive',
  ...guard('surveys:write'),
  tags,
  summary: 'Archive: no new invitations to this survey; responses and versions are kept',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(surveyDetailSchema, 'Archived'),
    ...problemResponses(400, 404),
  },
});
export type ArchiveRoute = typeof archive;

export const unarchive = createRoute({
  method: 'post',
  path: '/surveys/{id}/unarchive',
  ...guard('surveys:write'),
  tags,
  summary: 'Unarchive: active again when it has a published version, else draft',
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(surveyDetailSchema, 'Unarchived'),
    ...problemResponses(400, 404),
  },
});
export type UnarchiveRoute = typeof unarchive;

export const duplicate = createRoute({
  method: 'post',
  path: '/surveys/{id}/duplicate',
  ...guard('surveys:write'),
  tags,
  summary: "A new draft survey with a copy of this survey's draft (no versions, no responses)",
  request: { params: idParamSchema, ...jsonBody(duplicateBodySchema, false) },
  responses: {
    201: jsonResponse(surveyDetailSchema, 'Created'),
    ...problemResponses(400, 404),
  },
});
export type DuplicateRoute = typeof duplicate;

const templateTags = ['Survey templates'];

export const listTemplates = createRoute({
  method: 'get',
  path: '/survey-templates',
  ...guard('surveys:read'),
  tags: templateTags,
  summary: 'The ready-made survey templates',
  responses: {
    200: jsonResponse(z.array(templateSummarySchema), 'Templates'),
  },
});
export type ListTemplatesRoute = typeof listTemplates;

export const getTemplate = createRoute({
  method: 'get',
  path: '/survey-templates/{id}',
  ...guard('surveys:read'),
  tags: templateTags,
  summary: 'One template with its definition',
  request: { params: templateIdParamSchema },
  responses: {
    200: jsonResponse(templateDetailSchema, 'The template'),
    ...problemResponses(404),
  },
});
export type GetTemplateRoute = typeof getTemplate;

export const createFromTemplate = createRoute({
  method: 'post',
  path: '/survey-templates/{id}/surveys',
  ...guard('surveys:write'),
  tags: templateTags,
  summary: 'Create a draft survey from a template',
  request: { params: templateIdParamSchema, ...jsonBody(fromTemplateBodySchema, false) },
  responses: {
    201: jsonResponse(surveyDetailSchema, 'Created'),
    ...problemResponses(400, 404),
  },
});
export type CreateFromTemplateRoute = typeof createFromTemplate;
