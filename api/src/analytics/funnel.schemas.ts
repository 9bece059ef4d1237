import { z } from '@hono/zod-openapi';
import { GROUP_BY, filterQuerySchema, resultPeriodFields } from './engine/filters.schemas.ts';

export const funnelQuerySchema = filterQuerySchema;
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

const funnelGroupSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    eligible: z.number().int().nullable().openapi({ description: 'Finished rentals returned in the period (post-rental surveys; null for others)' }),
    invited: z.number().int().openapi({ description: 'Invitations created in the period' }),
    sent: z.number().int(),
    failed: z.number().int().openapi({ description: 'Failed or bounced' }),
    opened: z.number().int(),
    started: z.number().int().openapi({ description: 'With a response, partial or finished' }),
    finished: z.number().int(),
    optedOut: z.number().int(),
    expired: z.number().int(),
    responseRate: z.number().min(0).max(1).nullable().openapi({ description: 'finished / sent, a fraction 0–1 (null when nothing was sent)' }),
    openRate: z.number().min(0).max(1).nullable().openapi({ description: 'opened / sent, a fraction 0–1 (null when nothing was sent)' }),
  })
  .openapi('FunnelGroup');

export const funnelResultSchema = z
  .object({
    ...resultPeriodFields,
    groupBy: z.enum(GROUP_BY),
    groups: z.array(funnelGroupSchema),
    total: funnelGroupSchema,
  })
  .openapi('AnalyticsFunnel');
