import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo, resultPeriodFields } from './engine/filters.schemas.ts';
import { repeatedValues } from '../lib/query-params.ts';

const intList = (description: string, fallback: number[], max: number) =>
  z
    .preprocess((v) => repeatedValues(v)?.map(Number), z.array(z.number().int().min(1).max(max)).min(1).max(10).default(fallback))
    .openapi({ description, param: { style: 'form', explode: true } });

export const loyaltyQuerySchema = z
  .object({
    ...filterFields,
    windows: intList('Days after answering (repeatable); default 90, 180, 365', [90, 180, 365], 1095),
    bands: intList("Limits of the bands of the respondent's own index (0–100); default 60, 75, 90", [60, 75, 90], 99),
  })
  .refine(...fromBeforeTo);
export type LoyaltyQuery = z.infer<typeof loyaltyQuerySchema>;

const cellSchema = {
  n: z.number().int().openapi({ description: 'Responses whose whole window has passed' }),
  returned: z.number().int().openapi({ description: 'Of those, customers who picked up another rental within the window' }),
  share: z.number().nullable().openapi({ description: 'Percent; null under minN' }),
  ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Wilson 95 % interval, percent' }),
  suppressed: z.boolean(),
};

export const loyaltyResultSchema = z
  .object({
    ...resultPeriodFields,
    asOf: z.string(),
    minN: z.number().int(),
    windows: z.array(
      z.object({
        days: z.number().int(),
        overall: z.object(cellSchema),
        byNps: z.array(z.object({ category: z.enum(['promoter', 'passive', 'detractor']), ...cellSchema })),
        byCsi: z.array(z.object({ band: z.string(), from: z.number(), to: z.number(), ...cellSchema })),
        difference: z
          .object({
            difference: z.number().nullable().openapi({ description: 'Promoters minus detractors, percentage points' }),
            ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Unpooled (Wald) 95 % interval' }),
            z: z.number().nullable().openapi({ description: 'Pooled two-proportion z-test' }),
            p: z.number().nullable(),
            significant: z.boolean(),
          })
          .openapi({ description: 'Does NPS predict return? Promoters against detractors' }),
      }),
    ),
  })
  .openapi('Loyalty');
