import { z } from '@hono/zod-openapi';

export const auditQuerySchema = z.object({
  action: z.string().max(100).optional().openapi({ description: 'Exact action, or a prefix ending in a dot: `user.`' }),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  actorId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional().openapi({ description: 'Inclusive, in the company time zone' }),
  before: z.coerce.number().int().positive().optional().openapi({ description: 'Page cursor: entries older than this id' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');

export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), nextBefore: z.number().int().nullable() }).openapi('AuditPage');

export type AuditQuery = z.infer<typeof auditQuerySchema>;
