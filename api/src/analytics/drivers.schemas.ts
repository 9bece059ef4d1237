import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo, resultPeriodFields } from './engine/filters.schemas.ts';

export const DRIVER_METHODS = ['relative_weights', 'shapley', 'correlation', 'beta'] as const;
/** Driver sets chosen by name; anything else in `drivers` is a list of ids. */
export const DRIVER_SETS = ['dimensions', 'items'] as const;
export type DriverSet = (typeof DRIVER_SETS)[number];
/** A dimension id, a question id, or `question.item`. */
const DRIVER_ID = /^[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63})?$/;
/** Default driver sets leave out drivers answered by fewer than this share of the filtered responses. */
export const MIN_DRIVER_COVERAGE = 0.5;

export const driversQuerySchema = z
  .object({
    ...filterFields,
    outcome: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/)
      .optional()
      .openapi({ description: "Outcome question id (0–10 or rating); default the survey's likelihood-to-recommend question" }),
    drivers: z
      .string()
      .trim()
      .max(2000)
      .default('dimensions')
      .refine((v) => DRIVER_SETS.includes(v as DriverSet) || v.split(',').every((id) => DRIVER_ID.test(id)), {
        message: 'dimensions, items, or a comma-separated list of dimension ids or of item ids (question or question.item)',
      })
      .openapi({
        description:
          'dimensions (default): per-respondent dimension scores; items: every dimension item; or the drivers by id, comma-separated ' +
          '(dimension ids, or item ids `question` / `question.item`, not both). dimensions and items leave out drivers answered by fewer ' +
          'than half of the filtered responses (see `excluded`); a list is analysed as given.',
        example: 'pickup,vehicle,staff',
      }),
    method: z
      .enum(DRIVER_METHODS)
      .default('relative_weights')
      .openapi({
        description:
          'relative_weights (Johnson 2000) and shapley (exact LMG, at most 15 drivers) split R²; correlation and beta rank by r² or β² ' +
          '(share = 100 · value² / Σ value²)',
      }),
  })
  .refine(...fromBeforeTo);
export type DriversQuery = z.infer<typeof driversQuerySchema>;

export const driversResultSchema = z
  .object({
    ...resultPeriodFields,
    method: z.enum(DRIVER_METHODS),
    outcome: z.string(),
    outcomeLabel: z.string().openapi({ description: 'The outcome question as the survey words it, in `lang`' }),
    driverSet: z.enum([...DRIVER_SETS, 'chosen']).openapi({ description: 'chosen: the drivers were listed by id' }),
    n: z.number().int().openapi({ description: 'Responses with the outcome and every driver (listwise deletion)' }),
    responsesWithOutcome: z.number().int(),
    r2: z.number().nullable(),
    shareCut: z.number().openapi({ description: 'Importance cut line of the quadrants: 100 / p' }),
    performanceCut: z.number().nullable().openapi({ description: 'Performance cut line: mean performance of the drivers' }),
    drivers: z.array(
      z
        .object({
          id: z.string(),
          label: z.string(),
          dimension: z.string().nullable(),
          weight: z.number().openapi({ description: 'Raw relative weight or LMG (parts of R²); r or β for those methods' }),
          share: z.number().nullable().openapi({ description: 'Percent of the importance' }),
          sign: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
          r: z.number(),
          beta: z.number().nullable(),
          performance: z.number().nullable().openapi({ description: 'Dimension or item score, 0–100, over all filtered responses' }),
          coverage: z
            .number()
            .nullable()
            .openapi({ description: 'Share (0–1) of the filtered responses with a value for this driver; null without responses' }),
          quadrant: z.enum(['concentrate_here', 'keep_up', 'low_priority', 'possible_overkill']).nullable(),
        })
        .openapi('Driver'),
    ),
    minCoverage: z.number().openapi({ description: 'Default driver sets leave out drivers whose coverage is below this share' }),
    excluded: z
      .array(z.object({ id: z.string(), label: z.string(), coverage: z.number() }).openapi('ExcludedDriver'))
      .openapi({ description: 'Drivers of the default set left out for coverage below minCoverage (empty when the drivers were listed)' }),
    available: z
      .array(z.object({ id: z.string(), label: z.string(), coverage: z.number().nullable() }).openapi('AvailableDriver'))
      .openapi({ description: 'Every driver of this kind (dimensions, or items) the caller may list, with its coverage' }),
    warnings: z
      .array(z.string())
      .openapi({ description: 'small_sample (n < 50 + 8p), many_incomplete (n < half of the answers to the outcome), collinear_drivers' }),
  })
  .openapi('Drivers');
