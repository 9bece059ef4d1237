import { z } from '@hono/zod-openapi';

export const outboxQuerySchema = z.object({
  channel: z.enum(['email', 'sms']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().optional().openapi({ description: 'Only messages with a smaller id (paging)' }),
});

export const outboxMessageSchema = z
  .object({
    id: z.number().int(),
    deliveryId: z.uuid(),
    invitationId: z.uuid(),
    kind: z.string(),
    channel: z.enum(['email', 'sms']),
    to: z.string(),
    subject: z.string().nullable(),
    text: z.string(),
    html: z.string().nullable(),
    link: z.string().openapi({ description: 'The survey link inside the message; masked unless revealed' }),
    masked: z.boolean().openapi({ description: 'true: the link token is masked here and in text and html' }),
    createdAt: z.string(),
  })
  .openapi('OutboxMessage');

export const outboxSchema = z.object({ items: z.array(outboxMessageSchema), nextBefore: z.number().int().nullable() }).openapi('Outbox');

export const outboxIdParamSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
