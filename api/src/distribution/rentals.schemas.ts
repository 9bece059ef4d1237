import { z } from '@hono/zod-openapi';

export const branchRefSchema = z.union([
  z.string().min(1).max(32).openapi({ description: 'Code of an existing branch', example: 'SH01' }),
  z.object({
    code: z.string().min(1).max(32),
    name: z.string().min(1).max(200),
    nameEn: z.string().max(200).optional(),
    city: z.string().min(1).max(100),
    region: z.string().min(1).max(100),
    timeZone: z.string().max(64).optional(),
  }),
]);

export const customerInputSchema = z.object({
  externalId: z.string().min(1).max(100),
  name: z.string().max(200).optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/, 'not a phone number')
    .optional(),
  preferredLanguage: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
  consentEmail: z.boolean().optional(),
  consentSms: z.boolean().optional(),
  customerType: z.enum(['business', 'leisure']).optional(),
  memberLevel: z.string().max(50).optional(),
});

export const rentalInputSchema = z
  .object({
    externalId: z.string().min(1).max(100).openapi({ example: 'RA-2026-000123' }),
    customer: customerInputSchema,
    pickupBranch: branchRefSchema,
    returnBranch: branchRefSchema,
    vehicleClass: z.string().min(1).max(50).openapi({ example: 'SUV' }),
    pickedUpAt: z.iso.datetime({ offset: true }),
    returnedAt: z.iso.datetime({ offset: true }),
    amount: z.number().min(0).max(10_000_000).default(0),
    bookingChannel: z.enum(['app', 'web', 'phone', 'store']),
  })
  .refine((r) => Date.parse(r.returnedAt) >= Date.parse(r.pickedUpAt), {
    path: ['returnedAt'],
    message: 'returnedAt is before pickedUpAt',
  })
  .openapi('RentalInput');

export type RentalInput = z.infer<typeof rentalInputSchema>;

export const rentalResultSchema = z
  .object({
    rentalId: z.uuid(),
    created: z.boolean().openapi({ description: 'false when this external id was already known' }),
    invitation: z
      .object({
        id: z.uuid(),
        status: z.string(),
        expiresAt: z.string(),
        channel: z.string().optional().openapi({ description: 'email or sms' }),
        link: z.url().optional().openapi({ description: 'Only returned when the invitation is created' }),
      })
      .nullable(),
    reason: z.string().optional().openapi({
      description:
        'Why no invitation was made: no_active_post_rental_survey, not_targeted (no active post-rental survey targets this rental), invitations_disabled, too_old, not_eligible, sampled_out, opted_out, no_contact, fatigue',
    }),
  })
  .openapi('RentalResult');

export const MAX_BATCH = 1000;

export const rentalBatchSchema = z
  .object({
    rentals: z
      .array(z.unknown().openapi({ description: 'A RentalInput' }))
      .min(1)
      .max(MAX_BATCH)
      .openapi({ description: `Up to ${MAX_BATCH} rentals; each is validated on its own` }),
  })
  .openapi('RentalBatch');

export const batchItemResultSchema = z.object({
  index: z.number().int(),
  externalId: z.string().nullable(),
  status: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  rentalId: z.uuid().optional(),
  invitation: rentalResultSchema.shape.invitation.optional(),
  reason: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const rentalBatchResultSchema = z
  .object({
    summary: z.object({
      received: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
      invited: z.number().int(),
    }),
    results: z.array(batchItemResultSchema),
  })
  .openapi('RentalBatchResult');
