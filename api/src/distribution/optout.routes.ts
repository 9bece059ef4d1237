import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { optOutResultSchema } from './optout.schemas.ts';

export const optOut = createRoute({
  method: 'post',
  path: '/respond/{token}/opt-out',
  ...guard('public'),
  tags: ['Answering'],
  summary: 'The customer asks for no more survey invitations (the link in the message, RFC 8058 one-click unsubscribe)',
  description: 'Works for any link the customer received, also expired or answered ones. Unknown links get the same polite 404 as everywhere.',
  request: {
    params: z.object({
      token: z
        .string()
        .max(64)
        .openapi({ param: { name: 'token', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'Recorded', content: { 'application/json': { schema: optOutResultSchema } } },
    ...problemResponses(404),
  },
});
export type OptOutRoute = typeof optOut;
