import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { jsonResponse, problemResponses } from '../lib/openapi.ts';
import { outboxIdParamSchema, outboxMessageSchema, outboxQuerySchema, outboxSchema } from './outbox.schemas.ts';

const tags = ['Distribution'];

export const listOutbox = createRoute({
  method: 'get',
  path: '/outbox',
  ...guard('distribution:read'),
  tags,
  summary: 'Messages kept in the database because no SMTP server or SMS provider is configured, newest first; survey links masked',
  request: { query: outboxQuerySchema },
  responses: { 200: jsonResponse(outboxSchema, 'Messages'), ...problemResponses(400) },
});
export type ListOutboxRoute = typeof listOutbox;

// Whoever holds a survey link can answer as the customer: the full link is for administrators only,
// one message at a time, and each reveal is in the audit log.
export const revealOutboxMessage = createRoute({
  method: 'post',
  path: '/outbox/{id}/reveal',
  ...guard('privacy:admin'),
  tags,
  summary: 'One outbox message with its full survey link (administrators; written to the audit log)',
  request: { params: outboxIdParamSchema },
  responses: { 200: jsonResponse(outboxMessageSchema, 'The message, unmasked'), ...problemResponses(400, 404) },
});
export type RevealOutboxMessageRoute = typeof revealOutboxMessage;
