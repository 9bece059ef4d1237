// Reports in the inbox: a user's digest subscription, the PDF download's query, and what the subscription
// page shows (the choices the user has: surveys, regions and branches within their own scope).
import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo } from '../analytics/engine/filters.schemas.ts';

export const REPORT_LOCALES = ['zh-CN', 'en'] as const;
export const FREQUENCIES = ['weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const code = z.string().min(1).max(100);

export const subscriptionScopeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('region'), codes: z.array(code).min(1).max(50) }),
    z.object({ kind: z.literal('branches'), codes: z.array(code).min(1).max(200) }),
  ])
  .openapi('ReportScope', {
    description: "all: everything the user sees (a branch manager's own branches); region / branches: these codes, within what the user sees",
  });

export const subscriptionInputSchema = z
  .object({
    survey: z.uuid().openapi({ description: 'The survey the digest is about' }),
    frequency: z.enum(FREQUENCIES),
    weekday: z.number().int().min(1).max(7).default(1).openapi({ description: 'Weekly: ISO weekday it goes out (1 = Monday)' }),
    sendHour: z.number().int().min(0).max(23).default(8).openapi({ description: 'Local hour in the company time zone' }),
    locale: z.enum(REPORT_LOCALES),
    scope: subscriptionScopeSchema,
    attachPdf: z.boolean().default(false).openapi({ description: 'Attach the report as a PDF' }),
    active: z.boolean().default(true),
  })
  .openapi('ReportSubscriptionInput');
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const subscriptionSchema = z
  .object({
    survey: z.uuid(),
    frequency: z.enum(FREQUENCIES),
    weekday: z.number().int(),
    sendHour: z.number().int(),
    locale: z.enum(REPORT_LOCALES),
    scope: subscriptionScopeSchema,
    attachPdf: z.boolean(),
    active: z.boolean(),
    timeZone: z.string().openapi({ description: 'The company time zone the hour is in' }),
    nextSendAt: z.string().nullable().openapi({ description: 'When the next digest goes out (ISO instant); null when paused' }),
    updatedAt: z.string(),
  })
  .openapi('ReportSubscription');
export type ReportSubscription = z.infer<typeof subscriptionSchema>;

export const subscriptionPageSchema = z
  .object({
    subscription: subscriptionSchema.nullable(),
    timeZone: z.string(),
    surveys: z.array(z.object({ id: z.uuid(), name: z.string() })),
    regions: z.array(z.object({ code: z.string(), label: z.string() })),
    branches: z.array(z.object({ code: z.string(), label: z.string(), region: z.string() })),
    /** Whether the server can send e-mail at all (SMTP_URL set). */
    mailConfigured: z.boolean(),
    deliveries: z.array(z.object({ period: z.string(), kind: z.enum(['scheduled', 'test']), status: z.enum(['pending', 'sent', 'failed']), at: z.string() })),
  })
  .openapi('ReportSubscriptionPage');
export type ReportSubscriptionPage = z.infer<typeof subscriptionPageSchema>;

export const testSendResultSchema = z
  .object({
    sentTo: z.string(),
    subject: z.string(),
    from: z.string(),
    to: z.string(),
    attachments: z.array(z.string()).openapi({ description: 'File names: the chart images and, when wanted, the PDF' }),
  })
  .openapi('ReportTestSend');
export type ReportTestSend = z.infer<typeof testSendResultSchema>;

export const pdfQuerySchema = z
  .object({
    ...filterFields,
    lang: z.enum(REPORT_LOCALES).optional().openapi({ description: 'Language of the report (default zh-CN)' }),
  })
  .refine(...fromBeforeTo)
  .openapi('ReportPdfQuery');
export type PdfQuery = z.infer<typeof pdfQuerySchema>;
