// The loyalty ladder, the loyalty evaluation index and customer value (docs/statistics.md#loyalty-ladder-index-and-customer-value).
import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo, resultPeriodFields } from '../analytics/engine/filters.schemas.ts';
import { DEFAULT_LOYALTY_SETTINGS, INDEX_PARTS, RUNGS, TIERS } from '../analytics/engine/statistics/loyalty.ts';

export const LOYALTY_GROUP_BY = ['none', 'branch', 'region', 'tier', 'customerType'] as const;
const groupBy = z
  .enum(LOYALTY_GROUP_BY)
  .default('none')
  .openapi({ description: "Grouping: the customer's branch (of their latest rental), its region, or a customer segment" });
const rung = z.enum(RUNGS);

// ── Settings ──────────────────────────────────────────────────────────────────────────────────────────
const weight = z.number().min(0).max(100);
const tierThresholds = z
  .object({
    minRentals12m: z.number().int().min(2).max(365).openapi({ description: 'Loyal: at least this many rentals in the 12 months before the as-of date' }),
    maxRecencyDays: z.number().int().min(1).max(730).openapi({ description: 'Loyal: the last rental at most this many days before the as-of date' }),
  })
  .strict();

export const loyaltySettingsSchema = z
  .object({
    weights: z
      .object({ csi: weight, nps: weight, repeatRate: weight, repeatRevenue: weight })
      .strict()
      .refine((w) => INDEX_PARTS.some((p) => w[p] > 0), { message: 'at least one weight must be positive' })
      .openapi({ description: 'Index weights (renormalised to sum 1)' }),
    tiers: z.object({ A: tierThresholds, B: tierThresholds, C: tierThresholds }).strict(),
    overdueFactor: z.number().min(1).max(10).openapi({ description: 'At risk when the time since the last rental exceeds this multiple of the usual gap' }),
    lookbackMonths: z.number().int().min(12).max(120).openapi({ description: 'Rentals picked up this many months before the as-of date count for the ladder' }),
    marginRate: z.number().gt(0).max(1).openapi({ description: "Margin as a share of a rental's amount (lifetime value assumption)" }),
    horizonYears: z.number().int().min(1).max(20).openapi({ description: 'Years the lifetime value looks ahead' }),
    defaultRetention: z.number().min(0).max(1).openapi({ description: 'Retention of a tier whose year before last has fewer than minN customers' }),
  })
  .strict()
  .openapi('LoyaltySettings');
export type LoyaltySettingsInput = z.infer<typeof loyaltySettingsSchema>;

export const loyaltySettingsResultSchema = z
  .object({
    settings: loyaltySettingsSchema,
    defaults: loyaltySettingsSchema,
    updatedAt: z.string().nullable(),
  })
  .openapi('LoyaltySettingsResult');

export { DEFAULT_LOYALTY_SETTINGS };

// ── Ladder ────────────────────────────────────────────────────────────────────────────────────────────
export const ladderQuerySchema = z
  .object({ ...filterFields, groupBy })
  .refine(...fromBeforeTo)
  .openapi({ description: 'The ladder at the end of `to` against the ladder at the start of `from`' });
export type LadderQuery = z.infer<typeof ladderQuerySchema>;

const rungCounts = z.object(Object.fromEntries(RUNGS.map((r) => [r, z.number().int()])) as Record<(typeof RUNGS)[number], z.ZodNumber>);
const ladderGroup = z.object({
  key: z.string(),
  label: z.string(),
  customers: z.number().int(),
  previousCustomers: z.number().int(),
  counts: rungCounts,
  previous: rungCounts,
});

export const ladderResultSchema = z
  .object({
    ...resultPeriodFields,
    asOf: z.string().openapi({ description: 'The current ladder: end of `to`' }),
    previousAsOf: z.string().openapi({ description: 'The previous ladder: start of `from`' }),
    rungs: z.array(rung),
    groupBy: z.enum(LOYALTY_GROUP_BY),
    groups: z.array(ladderGroup),
    total: ladderGroup,
    flows: z
      .array(z.object({ from: z.union([rung, z.literal('none')]), to: z.union([rung, z.literal('none')]), customers: z.number().int() }))
      .openapi({ description: "Customers per (previous rung, current rung); 'none' = not on the ladder at that date" }),
  })
  .openapi('LoyaltyLadder');

// ── Customers behind a number ─────────────────────────────────────────────────────────────────────────
export const customersQuerySchema = z
  .object({
    ...filterFields,
    rung: rung.optional().openapi({ description: 'Current rung' }),
    previousRung: z
      .union([rung, z.literal('none')])
      .optional()
      .openapi({ description: "Rung at the start of the period ('none' = not on the ladder)" }),
    band: z.enum(['top', 'rest']).optional().openapi({ description: 'Value band: the top 20 % by 12-month revenue, or the rest' }),
    sort: z.enum(['revenue', 'lifetimeValue', 'recency']).default('revenue'),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(...fromBeforeTo);
export type CustomersQuery = z.infer<typeof customersQuerySchema>;

export const loyaltyCustomerSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable().openapi({ description: 'Masked for branch managers' }),
  phone: z.string().nullable().openapi({ description: 'Masked for branch managers' }),
  tier: z.string().nullable(),
  branch: z.string().nullable().openapi({ description: "Code of the branch of the customer's latest rental" }),
  rung: rung.nullable(),
  previousRung: rung.nullable(),
  rentals: z.number().int(),
  rentals12m: z.number().int(),
  lastRentalAt: z.string().nullable(),
  recencyDays: z.number().nullable(),
  usualGapDays: z.number().nullable(),
  attitude: z.enum(['promoter', 'passive', 'detractor']).nullable(),
  revenue12m: z.number(),
  lifetimeValue: z.number(),
  band: z.enum(['top', 'rest']).nullable(),
});

export const customersResultSchema = z
  .object({
    asOf: z.string(),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    customers: z.array(loyaltyCustomerSchema),
  })
  .openapi('LoyaltyCustomers');

// ── Index ─────────────────────────────────────────────────────────────────────────────────────────────
export const indexQuerySchema = z.object({ ...filterFields, groupBy }).refine(...fromBeforeTo);
export type IndexQuery = z.infer<typeof indexQuerySchema>;

const nullableNumber = z.number().nullable();
const indexGroup = z.object({
  key: z.string(),
  label: z.string(),
  index: nullableNumber.openapi({ description: 'Loyalty evaluation index, 0–100' }),
  ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Seeded bootstrap over customers, 95 % percentile interval' }),
  parts: z.object({
    csi: nullableNumber.openapi({ description: 'Mean per-respondent index of the period' }),
    nps: nullableNumber,
    npsRescaled: nullableNumber.openapi({ description: '(NPS + 100) / 2' }),
    repeatRate: nullableNumber.openapi({ description: 'Percent of renters in the 12-month window with 2 or more rentals' }),
    repeatRevenue: nullableNumber.openapi({ description: 'Percent of the window revenue from those repeat customers' }),
  }),
  counts: z.object({
    responses: z.number().int(),
    npsN: z.number().int(),
    renters: z.number().int(),
    repeaters: z.number().int(),
    revenue: z.number(),
    repeatRevenue: z.number(),
  }),
  units: z.number().int().openapi({ description: 'Customers (bootstrap units)' }),
  validReplicates: z.number().int(),
});

export const indexResultSchema = z
  .object({
    ...resultPeriodFields,
    windowFrom: z.string().openapi({ description: 'Start of the 12-month behaviour window (it ends with the period)' }),
    windowTo: z.string(),
    minN: z.number().int(),
    weights: z.object({ csi: z.number(), nps: z.number(), repeatRate: z.number(), repeatRevenue: z.number() }).openapi({ description: 'Normalised weights' }),
    bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
    groupBy: z.enum(LOYALTY_GROUP_BY),
    groups: z.array(indexGroup),
    total: indexGroup,
  })
  .openapi('LoyaltyIndex');

// ── Customer value ────────────────────────────────────────────────────────────────────────────────────
export const valueQuerySchema = z.object({ ...filterFields }).refine(...fromBeforeTo);
export type ValueQuery = z.infer<typeof valueQuerySchema>;

const comparison = z.object({
  top: nullableNumber,
  rest: nullableNumber,
  nTop: z.number().int(),
  nRest: z.number().int(),
  difference: nullableNumber.openapi({ description: 'Top band minus the rest' }),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  p: nullableNumber,
  significant: z.boolean(),
});

export const valueResultSchema = z
  .object({
    asOf: z.string(),
    marginRate: z.number(),
    horizonYears: z.number().int(),
    customers: z.number().int().openapi({ description: 'Customers with a rental returned in the 12 months before asOf' }),
    revenue: z.number(),
    topBand: z.object({ customers: z.number().int(), revenue: z.number(), revenueShare: nullableNumber, minRevenue: nullableNumber }),
    rest: z.object({ customers: z.number().int(), revenue: z.number() }),
    tiers: z.array(
      z.object({
        tier: z.enum(TIERS),
        customers: z.number().int(),
        revenue: z.number(),
        averageRevenue: nullableNumber,
        retention: z.number(),
        retentionMeasured: z.boolean(),
        base: z.number().int().openapi({ description: 'Customers with a rental in the year before last' }),
        retained: z.number().int(),
        averageLifetimeValue: nullableNumber,
      }),
    ),
    satisfaction: z.object({ nps: comparison, csi: comparison }).openapi({ description: 'Responses in the 12 months before asOf, top 20 % against the rest' }),
  })
  .openapi('LoyaltyValue');
