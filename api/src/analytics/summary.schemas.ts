import { z } from '@hono/zod-openapi';
import { GROUP_BY, filterFields, fromBeforeTo, groupByField, resultPeriodFields } from './engine/filters.schemas.ts';

export { GROUP_BY };

export const summaryQuerySchema = z
  .object({
    ...filterFields,
    groupBy: groupByField,
    weight: z
      .enum(['none', 'branchVolume'])
      .default('none')
      .openapi({ description: 'branchVolume: post-stratify by branch to its finished rentals in the period (adds nEffective)' }),
  })
  .refine(...fromBeforeTo);

const interval = z.tuple([z.number(), z.number()]);
const nEffective = z.number().nullable().optional().openapi({ description: 'Kish effective n; only with weight=branchVolume' });

export const npsBlockSchema = z
  .object({
    n: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    score: z.number().nullable().openapi({ description: 'NPS in points, −100…100' }),
    se: z.number().nullable(),
    ci95: interval.nullable().openapi({ description: 'Adjusted-Wald 95 % interval' }),
    nEffective,
  })
  .openapi('NpsBlock');

export const csatBlockSchema = z
  .object({
    n: z.number().int(),
    top2: z.number().nullable().openapi({ description: 'Top-2-box share in percent' }),
    mean: z.number().nullable(),
    ci95: interval.nullable().openapi({ description: 'Wilson 95 % interval of the top-2-box share, percent' }),
    topBox: z.number().nullable().openapi({ description: "Top-box share (answers at the scale's highest point) in percent" }),
    topBoxCi95: interval.nullable().openapi({ description: 'Wilson 95 % interval of the top-box share, percent' }),
    nEffective,
  })
  .openapi('CsatBlock');

export const csiBlockSchema = z
  .object({
    n: z.number().int().openapi({ description: 'Respondents with at least one dimension item answered' }),
    score: z.number().nullable(),
    dimensions: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        score: z.number().nullable(),
        weight: z.number().openapi({ description: 'Design weight renormalised over the dimensions with data' }),
        n: z.number().int(),
      }),
    ),
  })
  .openapi('CsiBlock');

export const pp100BlockSchema = z
  .object({
    n: z.number().int(),
    value: z.number().nullable(),
    incidence: z.number().nullable(),
    se: z.number().nullable(),
    nEffective,
  })
  .openapi('Pp100Block');

export const summaryGroupSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    responses: z.number().int(),
    suppressed: z.boolean().openapi({ description: 'Fewer responses than minN: counts only, scores null' }),
    nEffective,
    nps: npsBlockSchema,
    csat: csatBlockSchema,
    csi: csiBlockSchema,
    pp100: pp100BlockSchema,
  })
  .openapi('SummaryGroup');

export const summaryResultSchema = z
  .object({
    ...resultPeriodFields,
    groupBy: z.enum(GROUP_BY),
    weight: z.enum(['none', 'branchVolume']),
    minN: z.number().int(),
    groups: z.array(summaryGroupSchema),
    total: summaryGroupSchema,
  })
  .openapi('Summary');

export type SummaryQuery = z.infer<typeof summaryQuerySchema>;
