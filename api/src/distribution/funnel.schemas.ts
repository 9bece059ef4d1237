import { z } from '@hono/zod-openapi';

export const funnelQuerySchema = z
  .object({
    survey: z.uuid().openapi({ description: 'Survey id' }),
    from: z.iso.date().optional().openapi({ description: 'First day (company time zone), by when the rental was decided on / invited' }),
    to: z.iso.date().optional().openapi({ description: 'Last day, inclusive' }),
    groupBy: z.enum(['none', 'branch', 'day', 'week', 'month']).default('none'),
    branch: z.string().max(32).optional().openapi({ description: 'Only this branch (code)' }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: '"to" is before "from"' });

export const funnelCountsSchema = z.object({
  eligible: z.number().int().openapi({ description: 'Rentals that passed the eligibility rules (branch, vehicle class, channel)' }),
  invited: z.number().int().openapi({ description: 'Invitations created (after sampling, consent, contact data and fatigue)' }),
  sent: z.number().int().openapi({ description: 'Invitations handed to a provider (or the outbox)' }),
  failed: z.number().int().openapi({ description: 'Invitations that bounced, were refused or ran out of retries' }),
  opened: z.number().int(),
  started: z.number().int(),
  finished: z.number().int(),
  optedOut: z.number().int(),
  responseRate: z.number().min(0).max(1).nullable().openapi({ description: 'finished / sent, a fraction 0–1 (null when nothing was sent)' }),
  emailQuestion: z
    .object({
      with: z.object({
        sent: z.number().int(),
        finished: z.number().int(),
        answeredInEmail: z.number().int().openapi({ description: 'Invitations whose score was clicked in the email' }),
        responseRate: z.number().min(0).max(1).nullable(),
      }),
      without: z.object({ sent: z.number().int(), finished: z.number().int(), responseRate: z.number().min(0).max(1).nullable() }),
    })
    .openapi({
      description: 'Sent invitations whose email carried the first question (0–10 as links) against the others (SMS, other surveys, earlier emails)',
    }),
});

export const funnelSchema = z
  .object({
    surveyId: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    groupBy: z.string(),
    total: funnelCountsSchema,
    groups: z.array(funnelCountsSchema.extend({ key: z.string(), label: z.string() })),
  })
  .openapi('DeliveryFunnel');
