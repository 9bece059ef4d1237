// Query parameters every analytics endpoint shares: the survey, the period, the segment filters
// (repeatable: ?branch=SH01&branch=BJ01, or comma-separated) and the grouping.
import { z } from '@hono/zod-openapi';
import { SUPPORTED_LOCALES } from '../surveys/definition/index.ts';

export const GROUP_BY = [
  'none',
  'branch',
  'region',
  'tier',
  'customerType',
  'vehicleClass',
  'channel',
  'newReturning',
  'day',
  'week',
  'month',
  'quarter',
] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type Period = (typeof PERIODS)[number];
export const isPeriod = (g: string): g is Period => (PERIODS as readonly string[]).includes(g);

/** A repeatable query parameter: `?x=a&x=b` or `?x=a,b`; each value checked by `item`. */
function repeatable<T extends z.ZodType<string>>(item: T, description: string) {
  return z
    .preprocess(
      (value) =>
        value === undefined
          ? undefined
          : (Array.isArray(value) ? value : [value])
              .flatMap((v) => String(v).split(','))
              .map((v) => v.trim())
              .filter((v) => v !== ''),
      z.array(item).optional(),
    )
    .openapi({ description: `${description} Repeatable (?x=a&x=b) or comma-separated.`, param: { style: 'form', explode: true } });
}

export const filterFields = {
  survey: z.uuid().openapi({ description: 'Survey id (all its versions; questions matched by id)' }),
  from: z.iso.date().optional().openapi({ description: 'First day (company time zone), by the time the response was finished' }),
  to: z.iso.date().optional().openapi({ description: 'Last day, inclusive (company time zone)' }),
  branch: repeatable(z.string().min(1).max(32), 'Branch codes.'),
  region: repeatable(z.string().min(1).max(100), 'Regions (as on the branches).'),
  tier: repeatable(z.enum(['A', 'B', 'C']), 'Customer value tiers.'),
  customerType: repeatable(z.enum(['business', 'leisure']), 'Customer types.'),
  vehicleClass: repeatable(z.string().min(1).max(50), 'Vehicle classes of the answered rental.'),
  channel: repeatable(z.enum(['app', 'web', 'phone', 'store']), 'Booking channels of the answered rental.'),
  lang: z.enum(SUPPORTED_LOCALES).optional().openapi({ description: "Language of labels; default the survey's default language" }),
};

export const groupByField = z
  .enum(GROUP_BY)
  .default('none')
  .openapi({ description: 'Grouping; newReturning = whether the customer had a rental before the answered one' });

/** The shared cross-field rule, for `.refine(...fromBeforeTo)`. */
export const fromBeforeTo: [(q: { from?: string; to?: string }) => boolean, { path: string[]; message: string }] = [
  (q) => !q.from || !q.to || q.from <= q.to,
  { path: ['to'], message: '"to" is before "from"' },
];

export const filterQuerySchema = z.object({ ...filterFields, groupBy: groupByField }).refine(...fromBeforeTo);
export type FilterQuery = z.infer<typeof filterQuerySchema>;

export const groupKeySchema = z.object({
  key: z.string().openapi({ description: 'Branch code, segment value or period start (YYYY-MM-DD)' }),
  label: z.string(),
});
