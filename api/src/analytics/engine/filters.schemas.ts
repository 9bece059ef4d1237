// Query parameters every analytics endpoint shares: the survey, the period, the segment filters
// (repeatable: ?branch=SH01&branch=BJ01, or comma-separated) and the grouping.
import { z } from '@hono/zod-openapi';
import { SUPPORTED_LOCALES } from '@rs/survey-definition';
import { repeatable } from '../../lib/query-params.ts';

/** Booking channels of the answered rental, and `open_link`: answers given through an open link (QR code), a channel of their own. */
export const RESPONSE_CHANNELS = ['app', 'web', 'phone', 'store', 'open_link'] as const;
export const OPEN_LINK_CHANNEL = 'open_link';

export const GROUP_BY = [
  'none',
  'branch',
  'region',
  'tier',
  'customerType',
  'vehicleClass',
  'channel',
  'newReturning',
  'brand',
  'day',
  'week',
  'month',
  'quarter',
] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type Period = (typeof PERIODS)[number];
export const isPeriod = (g: string): g is Period => (PERIODS as readonly string[]).includes(g);

export const filterFields = {
  survey: z.uuid().openapi({ description: 'Survey id (all its versions; questions matched by id)' }),
  from: z.iso.date().optional().openapi({ description: 'First day (company time zone), by the time the response was finished' }),
  to: z.iso.date().optional().openapi({ description: 'Last day, inclusive (company time zone)' }),
  branch: repeatable(z.string().min(1).max(32), 'Branch codes.'),
  region: repeatable(z.string().min(1).max(100), 'Regions (as on the branches).'),
  brand: repeatable(z.string().min(1).max(32), 'Brand codes (the brands of the branches).'),
  tier: repeatable(z.enum(['A', 'B', 'C']), 'Customer value tiers.'),
  customerType: repeatable(z.enum(['business', 'leisure']), 'Customer types.'),
  vehicleClass: repeatable(z.string().min(1).max(50), 'Vehicle classes of the answered rental.'),
  channel: repeatable(
    z.enum(RESPONSE_CHANNELS),
    'Channels: the booking channel of the answered rental, or open_link for answers given through an open link (QR code; they have no booking channel).',
  ),
  openLinks: z
    .enum(['include', 'exclude'])
    .optional()
    .openapi({ description: 'Whether answers given through open links (QR codes) count in the figures; default include' }),
  lang: z.enum(SUPPORTED_LOCALES).optional().openapi({ description: "Language of labels; default the survey's default language" }),
};

/** What every analytics result says back about its query: the survey and the period (null = unbounded). */
export const resultPeriodFields = {
  survey: z.uuid(),
  from: z.string().nullable(),
  to: z.string().nullable(),
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
