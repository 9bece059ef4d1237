import { z } from '@hono/zod-openapi';
import { GROUP_BY, PERIODS, filterFields, fromBeforeTo, groupByField, resultPeriodFields } from './engine/filters.schemas.ts';

export const TREND_METRICS = ['nps', 'csat', 'csatTopBox', 'csatMean', 'csi', 'pp100', 'incidence', 'responses'] as const;

export const trendQuerySchema = z
  .object({
    ...filterFields,
    interval: z.enum(PERIODS).default('month'),
    metric: z
      .string()
      .regex(/^(nps|csat|csatTopBox|csatMean|csi|pp100|incidence|responses|dimension\.[a-z][a-z0-9_]{0,63})$/, {
        message: `expected one of ${TREND_METRICS.join(', ')} or dimension.<id>`,
      })
      .default('nps')
      .openapi({ description: `${TREND_METRICS.join(' | ')} | dimension.<dimension id>` }),
    groupBy: groupByField.openapi({ description: 'One series per group (not a time grouping; none = one series)' }),
  })
  .refine(...fromBeforeTo);
export type TrendQuery = z.infer<typeof trendQuerySchema>;

const pointSchema = z
  .object({
    period: z.string().openapi({ description: 'First day of the period, YYYY-MM-DD' }),
    label: z.string().openapi({ description: '2026-05-31, 2026-W22, 2026-05 or 2026-Q2' }),
    n: z.number().int(),
    value: z.number().nullable(),
    se: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    suppressed: z.boolean(),
  })
  .openapi('TrendPoint');

export const trendResultSchema = z
  .object({
    ...resultPeriodFields,
    interval: z.enum(PERIODS),
    metric: z.string(),
    groupBy: z.enum(GROUP_BY),
    minN: z.number().int(),
    series: z.array(z.object({ key: z.string(), label: z.string(), points: z.array(pointSchema) })),
  })
  .openapi('Trend');
