import { z } from '@hono/zod-openapi';
import { GROUP_BY, filterFields, fromBeforeTo, groupByField, resultPeriodFields } from './engine/filters.schemas.ts';

export const compareQuerySchema = z
  .object({
    ...filterFields,
    groupBy: groupByField,
    against: z.enum(['rest', 'previous']).default('rest').openapi({
      description:
        'rest: each group against all other filtered responses; previous: against the same group in the period of equal length just before (needs from and to)',
    }),
  })
  .refine(...fromBeforeTo);
export type CompareQuery = z.infer<typeof compareQuerySchema>;

const test = {
  p: z.number().nullable().openapi({ description: 'Two-sided p-value' }),
  pAdjusted: z.number().nullable().openapi({ description: 'Holm-adjusted across the groups' }),
  significant: z.boolean().openapi({ description: 'pAdjusted < 0.05' }),
};

export const compareGroupSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    responses: z.number().int(),
    referenceResponses: z.number().int(),
    suppressed: z.boolean().openapi({ description: 'This group or its reference has fewer than minN responses: no tests' }),
    nps: z.object({
      n: z.number().int(),
      score: z.number().nullable(),
      referenceN: z.number().int(),
      reference: z.number().nullable(),
      difference: z.number().nullable().openapi({ description: 'NPS − reference NPS, points' }),
      se: z.number().nullable(),
      z: z.number().nullable(),
      ...test,
    }),
    csat: z.object({
      n: z.number().int(),
      top2: z.number().nullable(),
      referenceN: z.number().int(),
      reference: z.number().nullable(),
      difference: z.number().nullable().openapi({ description: 'Percentage points' }),
      z: z.number().nullable().openapi({ description: 'Pooled two-proportion z-test' }),
      ...test,
    }),
    csi: z.object({
      n: z.number().int(),
      score: z.number().nullable(),
      referenceN: z.number().int(),
      reference: z.number().nullable(),
      difference: z.number().nullable().openapi({ description: 'CSI − reference CSI, points' }),
      meanDifference: z.number().nullable().openapi({ description: 'Difference of the mean per-respondent indexes the test is about' }),
      t: z.number().nullable().openapi({ description: "Welch's t on the per-respondent index" }),
      df: z.number().nullable(),
      ...test,
    }),
  })
  .openapi('CompareGroup');

export const compareResultSchema = z
  .object({
    ...resultPeriodFields,
    groupBy: z.enum(GROUP_BY),
    against: z.enum(['rest', 'previous']),
    previous: z.object({ from: z.string(), to: z.string() }).nullable(),
    minN: z.number().int(),
    groups: z.array(compareGroupSchema),
    total: compareGroupSchema.nullable().openapi({ description: 'With against=previous: all filtered responses against the previous period' }),
  })
  .openapi('Compare');
