import { z } from '@hono/zod-openapi';
import { storedDefinitionSchema } from '../surveys/surveys.schemas.ts';
import { pipingFactsSchema } from '../responses/piping-facts.ts';
import { answersSchema } from '../responses/respond.schemas.ts';

/** A vehicle or counter tag: printed under the QR code and kept with every answer of the link. */
const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} _.\-#/]+$/u, 'letters, digits, spaces and _ . - # / only')
  .openapi({ description: 'Vehicle plate or counter tag (optional)', example: '沪A·12345' });

const limits = {
  maxPerDevice: z.number().int().min(1).max(50).openapi({ description: 'Answers one device (browser cookie) may give per day through this link' }),
  maxPerAddress: z.number().int().min(1).max(10_000).openapi({ description: 'Answers one client address may give per day through this link' }),
  minSeconds: z
    .number()
    .int()
    .min(0)
    .max(600)
    .openapi({ description: 'Answers sent sooner than this after the page opened are refused (no person answers that fast)' }),
};

export const openLinkSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    url: z.string().openapi({ description: 'The public address the QR code holds' }),
    surveyId: z.uuid(),
    surveyName: z.string(),
    branch: z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
    tag: z.string().nullable(),
    active: z.boolean(),
    maxPerDevice: z.number().int(),
    maxPerAddress: z.number().int(),
    minSeconds: z.number().int(),
    answers: z.number().int().openapi({ description: 'Finished answers through this link' }),
    answers30d: z.number().int().openapi({ description: 'Finished answers in the last 30 days' }),
    linkedToRental: z.number().int().openapi({ description: 'Answers linked to a rental (rental number or phone verified)' }),
    lastAnswerAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('OpenLink');
export type OpenLink = z.infer<typeof openLinkSchema>;

export const openLinkListQuerySchema = z.object({
  survey: z.uuid().optional().openapi({ description: 'Only links of this survey' }),
  branch: z.string().max(32).optional().openapi({ description: 'Only links of this branch (code)' }),
});

export const openLinkCreateSchema = z
  .object({
    surveyId: z.uuid(),
    branch: z.string().trim().min(1).max(32).openapi({ description: 'Branch code' }),
    tag: tagSchema.nullable().optional(),
    maxPerDevice: limits.maxPerDevice.default(1),
    maxPerAddress: limits.maxPerAddress.default(20),
    minSeconds: limits.minSeconds.default(5),
  })
  .openapi('OpenLinkCreate');
export type OpenLinkCreate = z.infer<typeof openLinkCreateSchema>;

export const openLinkUpdateSchema = z
  .object({ active: z.boolean(), tag: tagSchema.nullable(), ...limits })
  .partial()
  .openapi('OpenLinkUpdate');
export type OpenLinkUpdate = z.infer<typeof openLinkUpdateSchema>;

export const PRINT_FORMATS = ['a4', 'a5', 'card'] as const;
export const printQuerySchema = z.object({
  format: z.enum(PRINT_FORMATS).default('a4').openapi({ description: 'a4 / a5 poster, or a table card (A6, folded tent)' }),
});

export const slugParamSchema = z.object({
  slug: z
    .string()
    .min(1)
    .max(32)
    .openapi({ param: { name: 'slug', in: 'path' }, example: 'Xb3kP9qLm2Ta' }),
});

export const openSessionQuerySchema = z.object({
  locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
});

export const openSessionSchema = z
  .object({
    slug: z.string(),
    survey: z.object({ id: z.uuid(), versionId: z.uuid(), version: z.number().int(), definition: storedDefinitionSchema() }),
    locale: z.string(),
    facts: pipingFactsSchema,
    branch: z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
    tag: z.string().nullable(),
    ticket: z.string().openapi({ description: 'Sent back with the answers: when the page was opened (signed), for the time-on-page check' }),
  })
  .openapi('OpenSession');
export type OpenSession = z.infer<typeof openSessionSchema>;

export const openSubmitSchema = z
  .object({
    answers: answersSchema,
    locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
    ticket: z.string().min(1).max(200),
    website: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: 'Left empty by people (a field hidden from them); anything in it drops the answer silently' }),
    rentalRef: z
      .string()
      .trim()
      .max(40)
      .optional()
      .openapi({ description: 'Optional rental number or phone: links the answer to the rental when it matches one of this branch (never shown back)' }),
  })
  .openapi('OpenSubmit');
export type OpenSubmit = z.infer<typeof openSubmitSchema>;

export const openSubmitResultSchema = z
  .object({
    status: z.literal('finished'),
    npsCategory: z.enum(['promoter', 'passive', 'detractor']).nullable(),
    shareUrl: z.string().nullable(),
  })
  .openapi('OpenSubmitResult');
export type OpenSubmitResult = z.infer<typeof openSubmitResultSchema>;

// ── The in-email first question ───────────────────────────────────────────────────────────────────────
export const tokenParamSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'token', in: 'path' } }),
});
export const emailScoreBodySchema = z.object({ score: z.number().int().min(0).max(10) }).openapi('EmailScore');
export const emailScoreResultSchema = z
  .object({
    questionId: z.string(),
    score: z.number().int(),
    page: z.number().int().openapi({ description: "Index (in the definition's pages) where the survey continues" }),
  })
  .openapi('EmailScoreResult');
export type EmailScoreResult = z.infer<typeof emailScoreResultSchema>;
