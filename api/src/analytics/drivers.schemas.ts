import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo } from './filters.schemas.ts';

export const DRIVER_METHODS = ['relative_weights', 'shapley', 'correlation', 'beta'] as const;

export const driversQuerySchema = z
  .object({
    ...filterFields,
    outcome: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/)
      .optional()
      .openapi({ description: "Outcome question id (0–10 or rating); default the survey's likelihood-to-recommend question" }),
    drivers: z
      .enum(['dimensions', 'items'])
      .default('dimensions')
      .openapi({ description: 'dimensions: per-respondent dimension scores; items: every dimension item' }),
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
    survey: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    method: z.enum(DRIVER_METHODS),
    outcome: z.string(),
    driverSet: z.enum(['dimensions', 'items']),
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
          quadrant: z.enum(['concentrate_here', 'keep_up', 'low_priority', 'possible_overkill']).nullable(),
        })
        .openapi('Driver'),
    ),
    warnings: z.array(z.string()).openapi({ description: 'small_sample (n < 50 + 8p), many_incomplete (n < half of the answers to the outcome), collinear_drivers' }),
  })
  .openapi('Drivers');
