import { z } from '@hono/zod-openapi';
import { pipingFactsSchema } from './piping-facts.ts';
import { filterFields } from '../analytics/engine/filters.schemas.ts';
import { NPS_CATEGORIES } from '../analytics/engine/statistics/nps.ts';
import { repeatable } from '../lib/query-params.ts';

const code = z.string().min(1).max(100);

export const RESPONSE_SORTS = ['-finishedAt', 'finishedAt', '-nps', 'nps'] as const;

/** Filters shared by the list and the CSV export (the analytics filters plus explorer-only ones). */
export const explorerFilterSchema = z.object({
  survey: z.uuid().openapi({ description: 'Survey id (all its versions)' }),
  from: z.iso.date().optional().openapi({ description: 'First day (company time zone) of the finished time, or of the start for partial responses' }),
  to: z.iso.date().optional().openapi({ description: 'Last day (inclusive), company time zone' }),
  // The segment filters are the analytics ones, so a dashboard figure opens the same responses here.
  branch: filterFields.branch,
  region: filterFields.region,
  tier: filterFields.tier,
  customerType: filterFields.customerType,
  vehicleClass: filterFields.vehicleClass,
  channel: filterFields.channel,
  status: z.enum(['finished', 'partial']).optional().openapi({ description: 'Only finished or only partial responses (default both)' }),
  npsCategory: repeatable(z.enum(NPS_CATEGORIES), 'Promoters (9–10), passives (7–8), detractors (0–6).'),
  problem: repeatable(code, 'Responses that checked this problem (choice id of the problem checklist).'),
  hasComment: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ description: 'Only responses with (true) or without (false) a text answer' }),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Text contained in a text answer (case-insensitive)' }),
  topic: repeatable(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), 'Responses whose comments mention this topic of the text lexicon.'),
});

export const listQuerySchema = explorerFilterSchema.extend({
  sort: z.enum(RESPONSE_SORTS).default('-finishedAt'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const exportQuerySchema = explorerFilterSchema.extend({
  lang: z.enum(['zh-CN', 'en']).default('zh-CN').openapi({ description: 'Language of choice labels in the file' }),
});

const branchRefSchema = z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable(), region: z.string() });

/** What the list and the detail both say about a response. */
const responseHeaderFields = {
  id: z.uuid(),
  status: z.enum(['finished', 'partial']),
  source: z.enum(['web', 'import']),
  locale: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
};

export const responseListItemSchema = z
  .object({
    ...responseHeaderFields,
    branch: branchRefSchema.nullable(),
    customer: z.object({ externalId: z.string(), name: z.string().nullable(), customerType: z.string(), valueTier: z.string().nullable() }).nullable(),
    rental: z.object({ externalId: z.string(), vehicleClass: z.string(), channel: z.string(), returnedAt: z.string() }).nullable(),
    nps: z.number().nullable(),
    npsCategory: z.enum(NPS_CATEGORIES).nullable(),
    csat: z.number().nullable(),
    problems: z.number().int().nullable().openapi({ description: 'Problems checked (PP100 counting), null when the checklist was not answered' }),
    comment: z.string().nullable().openapi({ description: 'The first text answer, cut at 280 characters' }),
  })
  .openapi('ResponseListItem');

export const responseListSchema = z
  .object({
    items: z.array(responseListItemSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .openapi('ResponseList');

const localizedSchema = z.record(z.string(), z.string());

export const answerViewSchema = z
  .object({
    questionId: z.string(),
    pageId: z.string(),
    type: z.string(),
    question: localizedSchema,
    answered: z.boolean(),
    number: z.number().nullable(),
    scale: z.object({ min: z.number(), max: z.number() }).nullable(),
    choices: z.array(z.object({ id: z.string(), text: localizedSchema, role: z.enum(['choice', 'other', 'noProblem']) })),
    otherText: z.string().nullable(),
    text: z.string().nullable(),
    items: z.array(z.object({ id: z.string(), text: localizedSchema, value: z.number().nullable() })),
  })
  .openapi('AnswerView');

export const responseDetailSchema = z
  .object({
    ...responseHeaderFields,
    durationMs: z.number().int().nullable(),
    survey: z.object({ id: z.uuid(), name: z.string(), version: z.number().int(), defaultLocale: z.string() }),
    branch: branchRefSchema.extend({ city: z.string() }).nullable(),
    customer: z
      .object({
        externalId: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        preferredLanguage: z.string().nullable(),
        customerType: z.string(),
        valueTier: z.string().nullable(),
        memberLevel: z.string().nullable(),
        erased: z.boolean(),
      })
      .nullable(),
    rental: z
      .object({
        externalId: z.string(),
        vehicleClass: z.string(),
        channel: z.string(),
        pickedUpAt: z.string(),
        returnedAt: z.string(),
        amount: z.number(),
        pickupBranch: z.object({ code: z.string(), name: z.string() }),
        returnBranch: z.object({ code: z.string(), name: z.string() }),
      })
      .nullable(),
    invitation: z.object({ channel: z.string(), sentAt: z.string().nullable(), openedAt: z.string().nullable() }).nullable(),
    nps: z.number().nullable(),
    npsCategory: z.enum(NPS_CATEGORIES).nullable(),
    csat: z.number().nullable(),
    problems: z.number().int().nullable(),
    answers: z.array(answerViewSchema),
    facts: pipingFactsSchema,
  })
  .openapi('ResponseDetail');

export type ExplorerFilters = z.infer<typeof explorerFilterSchema>;
export type ListQuery = z.infer<typeof listQuerySchema>;
export type ResponseListItem = z.infer<typeof responseListItemSchema>;
export type ResponseDetail = z.infer<typeof responseDetailSchema>;
export type AnswerView = z.infer<typeof answerViewSchema>;
