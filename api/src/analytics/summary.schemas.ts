import { z } from '@hono/zod-openapi';

export const GROUP_BY = ['none', 'branch', 'region'] as const;

export const summaryQuerySchema = z.object({
  survey: z.uuid().openapi({ description: 'Survey id (all its versions; questions matched by id)' }),
  from: z.iso.date().optional().openapi({ description: 'First day, company time zone' }),
  to: z.iso.date().optional().openapi({ description: 'Last day (inclusive), company time zone' }),
  groupBy: z.enum(GROUP_BY).default('none'),
});

const npsBlockSchema = z
  .object({
    n: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    score: z.number().nullable(),
    se: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
  })
  .openapi('NpsBlock');

const groupSchema = z.object({
  key: z.string(),
  label: z.string(),
  responses: z.number().int(),
  suppressed: z.boolean(),
  nps: npsBlockSchema,
});

export const summaryResultSchema = z
  .object({
    survey: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    groupBy: z.enum(GROUP_BY),
    minN: z.number().int(),
    groups: z.array(groupSchema),
    total: groupSchema,
  })
  .openapi('Summary');

export type SummaryQuery = z.infer<typeof summaryQuerySchema>;
