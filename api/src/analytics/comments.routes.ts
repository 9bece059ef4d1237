import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { commentsQuerySchema, commentsResultSchema } from './comments.schemas.ts';

export const comments = createRoute({
  method: 'get',
  path: '/analytics/comments',
  ...guard('analytics:read'),
  tags: ['Analytics'],
  summary: 'Comment themes per group and per NPS category',
  description:
    'The most frequent words and two-word phrases (Intl.Segmenter word segmentation for Chinese and English, stop words removed) of the newest 20,000 comments, each with example comments; groups under minN respondents show no terms or quotes.',
  request: { query: commentsQuerySchema },
  responses: {
    200: { description: 'Comment themes per group and per NPS category', content: { 'application/json': { schema: commentsResultSchema } } },
    ...problemResponses(400, 404),
  },
});
export type CommentsRoute = typeof comments;
