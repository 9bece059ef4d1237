// /api/analytics/change: why a figure moved between two periods (docs/statistics.md#why-a-figure-moved).
import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo } from './engine/filters.schemas.ts';
import { repeatedValues } from '../lib/query-params.ts';

export const CHANGE_METRICS = ['nps', 'csi'] as const;
/** Segment variables the customer mix can be made of (the non-period groupings). */
export const CHANGE_SEGMENTS = ['tier', 'customerType', 'vehicleClass', 'channel', 'newReturning', 'branch', 'region'] as const;
export type ChangeSegment = (typeof CHANGE_SEGMENTS)[number];
export const DEFAULT_CHANGE_SEGMENT: ChangeSegment[] = ['tier', 'customerType'];

export const changeQuerySchema = z
  .object({
    ...filterFields,
    from: z.iso.date().openapi({ description: 'First day of the current period (company time zone)' }),
    to: z.iso.date().openapi({ description: 'Last day of the current period, inclusive; the previous period is as long and ends the day before `from`' }),
    metric: z.enum(CHANGE_METRICS).default('nps').openapi({ description: 'nps, or csi (the mean per-respondent index)' }),
    segment: z
      .preprocess(
        (value) => {
          const values = repeatedValues(value);
          return values && [...new Set(values)];
        },
        z.array(z.enum(CHANGE_SEGMENTS)).min(1).max(3).default(DEFAULT_CHANGE_SEGMENT),
      )
      .openapi({
        description:
          'Segment variables whose combinations make the customer mix (default tier and customerType: tier × customer type). Repeatable or comma-separated.',
        param: { style: 'form', explode: true },
      }),
  })
  .refine(...fromBeforeTo);
export type ChangeQuery = z.infer<typeof changeQuerySchema>;

const interval = z
  .tuple([z.number(), z.number()])
  .nullable()
  .openapi({ description: 'Bootstrap 95 % percentile interval; null when too few replicates could be fitted' });
const part = z.object({ value: z.number(), ci95: interval });

export const changeDriverSchema = z
  .object({
    id: z.string().openapi({ description: 'Dimension id' }),
    label: z.string().openapi({ description: 'Dimension name from the survey definition, in `lang`' }),
    coefficient: z
      .number()
      .openapi({ description: 'Unstandardised OLS coefficient on the pooled periods: points of the figure per point of the dimension score' }),
    previousMean: z.number().openapi({ description: 'Mean dimension score (0–100) in the previous period' }),
    currentMean: z.number().openapi({ description: "Mean dimension score in the current period, at the previous period's segment mix" }),
    change: z.number().openapi({ description: 'currentMean − previousMean' }),
    contribution: z.number().openapi({ description: 'coefficient × change, points of the figure' }),
    ci95: interval,
  })
  .openapi('ChangeDriver');

export const changeExplanationSchema = z
  .object({
    kind: z.enum(['driver', 'mix', 'rest', 'steady']).openapi({ description: 'What mattered most; steady = moved less than half a point' }),
    driver: z.string().nullable().openapi({ description: 'Dimension id when kind = driver' }),
    label: z.string().nullable().openapi({ description: 'Its name in `lang`' }),
    part: z.number().openapi({ description: 'The named part, points' }),
    change: z.number().openapi({ description: 'The observed change, points' }),
  })
  .openapi('ChangeExplanation');

export const changeResultSchema = z
  .object({
    survey: z.uuid(),
    metric: z.enum(CHANGE_METRICS),
    segment: z.array(z.enum(CHANGE_SEGMENTS)),
    minN: z.number().int(),
    previous: z.object({ from: z.string(), to: z.string(), n: z.number().int(), value: z.number() }),
    current: z.object({
      from: z.string(),
      to: z.string(),
      n: z.number().int(),
      value: z.number(),
      reweighted: z.number().openapi({ description: "The current figure with its segment shares replaced by the previous period's" }),
    }),
    observed: part.openapi({ description: 'current − previous' }),
    mix: part.openapi({ description: 'current − reweighted current: who answered rather than how they were served' }),
    drivers: z.array(changeDriverSchema),
    rest: part.openapi({ description: 'observed − mix − Σ driver contributions' }),
    fit: z.object({ n: z.number().int().openapi({ description: 'Responses of both periods with the outcome and every driver' }), r2: z.number() }),
    excluded: z
      .array(z.object({ id: z.string(), label: z.string(), coverage: z.number() }))
      .openapi({ description: 'Dimensions left out: answered by fewer than half of the responses, or by none in one period' }),
    bootstrap: z.object({ replicates: z.number().int(), valid: z.number().int(), seed: z.number().int(), level: z.number() }),
    explanation: changeExplanationSchema,
  })
  .openapi('Change');
export type ChangeResult = z.infer<typeof changeResultSchema>;
export type ChangeDriver = z.infer<typeof changeDriverSchema>;
export type ChangeExplanation = z.infer<typeof changeExplanationSchema>;
