// Complaints opened by staff from a phone call, an email, the counter or social media; the customer and
// rental looked up by phone, email or rental number (in the body, never in the URL); attachments; the
// golden time to first contact and the complaint time limits per priority.
import { z } from '@hono/zod-openapi';
import { COMPLAINT_CHANNELS } from './channels.ts';
import { PRIORITIES, ROOT_CAUSES } from './rules.ts';

const isoDateTime = z.string().openapi({ format: 'date-time', example: '2026-06-01T10:00:00.000Z' });

export const complaintLookupInputSchema = z
  .object({
    phone: z.string().trim().min(4).max(40).optional().openapi({ description: 'Any spacing; matched on its digits (the last 11)' }),
    email: z.string().trim().min(3).max(254).optional().openapi({ description: 'Matched case-insensitively' }),
    rentalNumber: z.string().trim().min(1).max(100).optional().openapi({ description: 'The rental system’s rental number (external id)' }),
  })
  .refine((v) => !!(v.phone || v.email || v.rentalNumber), { path: ['phone'], message: 'give a phone number, an email address or a rental number' })
  .openapi('ComplaintLookupInput');
export type ComplaintLookupInput = z.infer<typeof complaintLookupInputSchema>;

export const complaintLookupRentalSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  vehicleClass: z.string(),
  pickedUpAt: isoDateTime,
  returnedAt: isoDateTime,
  branch: z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
});

export const complaintLookupSchema = z
  .object({
    customers: z.array(
      z.object({
        id: z.uuid(),
        name: z.string().nullable(),
        email: z.string().nullable().openapi({ description: 'Masked for branch and regional managers (access/mask.ts)' }),
        phone: z.string().nullable().openapi({ description: 'Masked for branch and regional managers' }),
        rentals: z.array(complaintLookupRentalSchema).openapi({ description: 'Newest first, at most 10, only at branches the caller may see' }),
      }),
    ),
  })
  .openapi('ComplaintLookup');

export const complaintInputSchema = z
  .object({
    key: z
      .uuid()
      .openapi({ description: 'Chosen by the form once: the same key again returns the case opened the first time (a double submit opens one case)' }),
    channel: z.enum(COMPLAINT_CHANNELS),
    customerId: z.uuid().nullable().default(null).openapi({ description: 'From the lookup; null when the customer is not in the system' }),
    rentalId: z.uuid().nullable().default(null).openapi({ description: 'From the lookup; must be this customer’s rental' }),
    branchId: z.uuid().nullable().default(null).openapi({ description: 'Required without a rental; with one, default the rental’s pickup branch' }),
    description: z.string().trim().min(1).max(10_000),
    rootCause: z.enum(ROOT_CAUSES).openapi({ description: 'The category: the same root causes cases are resolved with' }),
    priority: z.enum(PRIORITIES).default('normal'),
    followUpSurvey: z.boolean().default(true).openapi({ description: 'Send the complaint follow-up survey when the case is resolved' }),
  })
  .openapi('ComplaintInput');
export type ComplaintInput = z.infer<typeof complaintInputSchema>;

export const attachmentSchema = z
  .object({ id: z.uuid(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedBy: z.string(), createdAt: isoDateTime })
  .openapi('CaseAttachment');

export const attachmentParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  attachmentId: z.uuid().openapi({ param: { name: 'attachmentId', in: 'path' } }),
});

export const prioritySettingSchema = z.object({
  priority: z.enum(PRIORITIES),
  goldenFirstContactMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .openapi({ description: 'The golden time to first contact (case metrics: hit rate)' }),
  firstResponseHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .openapi({ description: 'First-response time limit of complaints opened by staff' }),
  resolutionHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .openapi({ description: 'Resolution time limit of complaints opened by staff' }),
});

export const prioritySettingsSchema = z.array(prioritySettingSchema).openapi('CasePrioritySettings');
export const prioritySettingsInputSchema = z
  .array(prioritySettingSchema)
  .min(1)
  .max(4)
  .refine((rows) => new Set(rows.map((r) => r.priority)).size === rows.length, { message: 'each priority once' })
  .refine((rows) => rows.every((r) => r.resolutionHours >= r.firstResponseHours), { message: 'a resolution time limit is shorter than its first-response one' })
  .openapi('CasePrioritySettingsInput');
export type PrioritySettingsInput = z.infer<typeof prioritySettingsInputSchema>;
