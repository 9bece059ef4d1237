import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { lexiconSchema, lexiconTopicSchema, topicParamsSchema, topicsQuerySchema, topicsResultSchema } from './text.schemas.ts';

export const topics = createRoute({
  method: 'get',
  path: '/text/topics',
  ...guard('analytics:read'),
  tags: ['Text analytics'],
  summary: 'Comment topics: volume, share, sentiment, NPS with vs without, trend, other frequent phrases',
  request: { query: topicsQuerySchema },
  responses: {
    200: { description: 'Topic figures', content: { 'application/json': { schema: topicsResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type TopicsRoute = typeof topics;

export const lexicon = createRoute({
  method: 'get',
  path: '/text/lexicon',
  ...guard('analytics:read'),
  tags: ['Text analytics'],
  summary: 'The topic lexicon: terms per topic and language',
  responses: { 200: { description: 'The lexicon', content: { 'application/json': { schema: lexiconSchema } } } },
});
export type LexiconRoute = typeof lexicon;

export const createTopic = createRoute({
  method: 'post',
  path: '/text/lexicon',
  ...guard('rules:write'),
  tags: ['Text analytics'],
  summary: 'Adds a topic; every comment is analysed again',
  request: { body: { content: { 'application/json': { schema: lexiconTopicSchema } }, required: true } },
  responses: {
    201: { description: 'The lexicon after the change', content: { 'application/json': { schema: lexiconSchema } } },
    ...problemResponses(400, 409),
  },
});
export type CreateTopicRoute = typeof createTopic;

export const updateTopic = createRoute({
  method: 'put',
  path: '/text/lexicon/{id}',
  ...guard('rules:write'),
  tags: ['Text analytics'],
  summary: "Replaces a topic's labels and terms; every comment is analysed again",
  request: { params: topicParamsSchema, body: { content: { 'application/json': { schema: lexiconTopicSchema.omit({ id: true }) } }, required: true } },
  responses: {
    200: { description: 'The lexicon after the change', content: { 'application/json': { schema: lexiconSchema } } },
    ...problemResponses(400, 404),
  },
});
export type UpdateTopicRoute = typeof updateTopic;

export const removeTopic = createRoute({
  method: 'delete',
  path: '/text/lexicon/{id}',
  ...guard('rules:write'),
  tags: ['Text analytics'],
  summary: 'Removes a topic',
  request: { params: topicParamsSchema },
  responses: {
    200: { description: 'The lexicon after the change', content: { 'application/json': { schema: lexiconSchema } } },
    ...problemResponses(404),
  },
});
export type RemoveTopicRoute = typeof removeTopic;
