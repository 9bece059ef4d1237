import { z } from '@hono/zod-openapi';

export const customerSearchSchema = z
  .object({ query: z.string().trim().min(1).max(254).openapi({ description: 'External id, email, phone or full name (exact)' }) })
  .openapi('CustomerSearch');

export const customerMatchSchema = z
  .object({
    id: z.uuid(),
    externalId: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    erasedAt: z.string().nullable(),
    rentals: z.number().int(),
    responses: z.number().int(),
    lastRentalAt: z.string().nullable(),
  })
  .openapi('CustomerMatch');

export const customerExportSchema = z
  .object({
    exportedAt: z.string(),
    customer: z.record(z.string(), z.unknown()),
    rentals: z.array(z.record(z.string(), z.unknown())),
    invitations: z.array(z.record(z.string(), z.unknown())),
    responses: z.array(z.record(z.string(), z.unknown())),
    cases: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Complaints and cases about the customer, with notes' }),
    rewards: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Reward codes issued to the customer' }),
  })
  .openapi('CustomerExport');

export const erasureResultSchema = z
  .object({
    customerId: z.uuid(),
    erasedAt: z.string(),
    alreadyErased: z.boolean(),
    rentals: z.number().int(),
    answersRemoved: z.number().int(),
    answersCleared: z.number().int(),
    invitationsCancelled: z.number().int(),
  })
  .openapi('ErasureResult');

export const retentionStatusSchema = z
  .object({
    retentionDays: z.number().int().openapi({ description: '0 = personal data is kept until erased by hand' }),
    dueNow: z.number().int(),
    lastRun: z.object({ at: z.string(), customersErased: z.number().int() }).nullable(),
  })
  .openapi('RetentionStatus');

export const retentionRunSchema = z
  .object({
    customersErased: z.number().int(),
    loginAttempts: z.number().int(),
    accountTokens: z.number().int(),
    sessions: z.number().int(),
    webhookDeliveries: z.number().int(),
  })
  .openapi('RetentionRun');

export const customerIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
