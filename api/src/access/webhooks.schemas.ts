import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENTS } from './webhooks.delivery.ts';

const httpUrl = z
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const webhookSchema = z
  .object({
    id: z.uuid(),
    description: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    createdAt: z.string(),
    pending: z.number().int(),
    failed: z.number().int(),
    lastDeliveryAt: z.string().nullable(),
    lastStatus: z.enum(['pending', 'delivered', 'failed']).nullable(),
  })
  .openapi('Webhook');

export const webhookCreateSchema = z
  .object({
    description: z.string().trim().max(200).default(''),
    url: httpUrl,
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
    active: z.boolean().default(true),
  })
  .openapi('WebhookInput');

export const webhookUpdateSchema = z
  .object({
    description: z.string().trim().max(200).optional(),
    url: httpUrl.optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
    active: z.boolean().optional(),
    rotateSecret: z.literal(true).optional().openapi({ description: 'Replace the signing secret; the new one is returned once' }),
  })
  .openapi('WebhookUpdate');

export const webhookWithSecretSchema = z
  .object({
    webhook: webhookSchema,
    secret: z.string().optional().openapi({ description: 'The signing secret (whsec_…), returned only when created or rotated' }),
  })
  .openapi('WebhookWithSecret');

export const deliverySchema = z
  .object({
    id: z.uuid(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

export const deliveriesQuerySchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const webhookIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
