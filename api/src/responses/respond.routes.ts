import { guard } from '../access/guard.ts';
import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { respondSessionSchema, saveBodySchema, savedResultSchema, submitBodySchema, submitResultSchema, tokenParamSchema } from './respond.schemas.ts';

const tags = ['Answering (public)'];
const access = guard('public');

export const openSession = createRoute({
  method: 'get',
  path: '/respond/{token}',
  tags,
  ...access,
  summary: 'The survey behind an invitation link, with piped facts and any answers saved so far',
  description:
    'An unknown (or opted-out) link answers 404. A link answered already or expired answers 410 with `reason` ' +
    "(`finished` with `answeredAt`, or `expired`) and `locale`, the customer's language.",
  request: { params: tokenParamSchema },
  responses: {
    200: { description: 'The survey to answer', content: { 'application/json': { schema: respondSessionSchema } } },
    ...problemResponses(404, 410, 429),
  },
});

export const saveAnswers = createRoute({
  method: 'put',
  path: '/respond/{token}',
  tags,
  ...access,
  summary: 'Save partial answers (merged into what was saved before; null clears an answer) and the page the customer is on',
  request: { params: tokenParamSchema, body: { required: true, content: { 'application/json': { schema: saveBodySchema } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: savedResultSchema } } },
    ...problemResponses(400, 404, 409, 410, 429),
  },
});

export const submitAnswers = createRoute({
  method: 'post',
  path: '/respond/{token}/submit',
  tags,
  ...access,
  summary: 'Finish the response with exactly these answers (they replace the saved draft); repeating it returns the same response',
  request: { params: tokenParamSchema, body: { required: true, content: { 'application/json': { schema: submitBodySchema } } } },
  responses: {
    200: { description: 'Finished', content: { 'application/json': { schema: submitResultSchema } } },
    ...problemResponses(400, 404, 410, 429),
  },
});

export type OpenSessionRoute = typeof openSession;
export type SaveAnswersRoute = typeof saveAnswers;
export type SubmitAnswersRoute = typeof submitAnswers;
