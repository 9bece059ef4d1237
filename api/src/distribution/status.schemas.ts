import { z } from '@hono/zod-openapi';

const providerHealthSchema = z
  .object({
    transport: z.enum(['smtp', 'sms_webhook', 'outbox']),
    state: z
      .enum(['ok', 'degraded', 'down'])
      .openapi({ description: 'down: failing with no success shortly before; degraded: failing after recent successes' }),
    lastSuccessAt: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastError: z.string().nullable().openapi({ description: 'A short reason (e.g. "connection refused"), never the message or the address' }),
    failuresSinceSuccess: z.number().int(),
    queued: z.number().int().openapi({ description: 'Messages of this channel waiting to be handed over' }),
    retrying: z.number().int().openapi({ description: 'Of those, how many failed at least once and wait for a retry' }),
  })
  .openapi('ProviderHealth');

export const statusSchema = z
  .object({
    transports: z.object({ email: z.enum(['smtp', 'outbox']), sms: z.enum(['sms_webhook', 'outbox']) }),
    ratePerSecond: z.object({ email: z.number(), sms: z.number() }),
    deliveries: z.record(z.string(), z.number().int()),
    unconfirmed: z.number().int().openapi({ description: 'Hand-overs cut off before the provider answered (not sent again)' }),
    badAddresses: z.number().int(),
    segmentsRefreshedAt: z.string().nullable(),
    nextDueAt: z.string().nullable().openapi({ description: 'When the next scheduled message is due' }),
    providers: z.object({ email: providerHealthSchema, sms: providerHealthSchema }).openapi({ description: "Health of each channel's provider" }),
  })
  .openapi('DistributionStatus');
