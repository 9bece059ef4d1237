import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { auditPageSchema, auditQuerySchema } from './audit.schemas.ts';
import { guard } from './guard.ts';

export const listAudit = createRoute({
  method: 'get',
  path: '/audit',
  ...guard('audit:read'),
  tags: ['Accounts'],
  summary: 'Audit log, newest first: who changed what (surveys, rules, users, cases, exports, privacy)',
  request: { query: auditQuerySchema },
  responses: { 200: { description: 'A page of entries', content: { 'application/json': { schema: auditPageSchema } } }, ...problemResponses(400, 401, 403) },
});
export type ListAuditRoute = typeof listAudit;
