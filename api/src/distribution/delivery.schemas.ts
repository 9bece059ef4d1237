import { z } from '@hono/zod-openapi';

export const DELIVERY_STATUSES = ['scheduled', 'queued', 'sent', 'failed', 'dead', 'skipped', 'cancelled'] as const;

export const deliveriesQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().openapi({ description: 'dead = the dead letters (every retry failed)' }),
  outcome: z.string().max(40).optional().openapi({ description: 'e.g. unconfirmed, bounced, bad_address' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const deliverySchema = z
  .object({
    id: z.uuid(),
    invitationId: z.uuid(),
    step: z.number().int().openapi({ description: '0 = the invitation, 1–2 = reminders' }),
    kind: z.string(),
    channel: z.enum(['email', 'sms']),
    status: z.enum(DELIVERY_STATUSES),
    outcome: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    updatedAt: z.string(),
    branchCode: z.string(),
    surveyName: z.string(),
    to: z.string().nullable().openapi({ description: 'The address, masked' }),
  })
  .openapi('Delivery');

export const deliveriesSchema = z
  .object({
    total: z.number().int(),
    counts: z.record(z.string(), z.number().int()).openapi({ description: 'Deliveries per status' }),
    items: z.array(deliverySchema),
  })
  .openapi('Deliveries');

export const bounceSchema = z
  .object({
    channel: z.enum(['email', 'sms']),
    address: z.string().min(3).max(254),
    reason: z.string().min(1).max(300).default('bounced'),
  })
  .openapi('Bounce');

export const bounceResultSchema = z
  .object({ channel: z.string(), customers: z.number().int().openapi({ description: 'Customers with that address, now skipped' }) })
  .openapi('BounceResult');
