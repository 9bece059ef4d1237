import { z } from '@hono/zod-openapi';
import { fromBeforeTo } from '../analytics/engine/filters.schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const REWARD_KINDS = ['coupon', 'points'] as const;
export const REWARD_PERIODS = ['month', 'quarter', 'year'] as const;

/** A code as the customer types it at the counter: letters, digits, "-" and "_". */
export const rewardCode = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only')
  .openapi({ example: 'FB50-7K2M9QXA' });

export const rewardProgrammeSchema = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    surveyName: z.string(),
    name: z.string().openapi({ description: 'What the customer gets, in Chinese (shown on the thank-you page and in the message)' }),
    nameEn: z.string().nullable(),
    kind: z.enum(REWARD_KINDS),
    period: z.enum(REWARD_PERIODS).openapi({ description: 'A customer gets at most one code per calendar period (programme time zone)' }),
    timeZone: z.string(),
    lowStockThreshold: z.number().int().openapi({ description: 'Quality managers are alerted when this many codes or fewer are left' }),
    active: z.boolean(),
    stock: z.object({
      total: z.number().int(),
      available: z.number().int(),
      issued: z.number().int(),
      redeemed: z.number().int(),
      owed: z.number().int().openapi({ description: 'Customers who earned a code while the pool was empty; codes added go to them first' }),
    }),
    lowStock: z.boolean().openapi({ description: 'available ≤ lowStockThreshold' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('RewardProgramme');
export type RewardProgramme = z.infer<typeof rewardProgrammeSchema>;

export const rewardProgrammeCreateSchema = z
  .object({
    surveyId: z.uuid(),
    name: text(100),
    nameEn: text(100).nullable().optional(),
    kind: z.enum(REWARD_KINDS).default('coupon'),
    period: z.enum(REWARD_PERIODS).default('month'),
    lowStockThreshold: z.number().int().min(0).max(1_000_000).default(20),
    active: z.boolean().default(true),
  })
  .openapi('RewardProgrammeCreate');
export type RewardProgrammeCreate = z.infer<typeof rewardProgrammeCreateSchema>;

export const rewardProgrammeUpdateSchema = z
  .object({
    name: text(100),
    nameEn: text(100).nullable(),
    kind: z.enum(REWARD_KINDS),
    period: z.enum(REWARD_PERIODS),
    lowStockThreshold: z.number().int().min(0).max(1_000_000),
    active: z.boolean(),
  })
  .partial()
  .openapi('RewardProgrammeUpdate');
export type RewardProgrammeUpdate = z.infer<typeof rewardProgrammeUpdateSchema>;

export const programmeIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const generateCodesSchema = z
  .object({
    prefix: z
      .string()
      .trim()
      .max(20)
      .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, "-" and "_" only')
      .default(''),
    count: z.number().int().min(1).max(10_000),
  })
  .openapi('RewardCodesGenerate');

export const codesAddedSchema = z
  .object({
    added: z.number().int(),
    available: z.number().int().openapi({ description: 'Codes in the pool not issued yet, after adding' }),
    toOwed: z.number().int().openapi({ description: 'Of the codes added, those issued at once to customers owed a reward' }),
  })
  .openapi('RewardCodesAdded');
export type RewardCodesAdded = z.infer<typeof codesAddedSchema>;

export const redemptionSchema = z.object({
  code: rewardCode,
  redeemedAt: z.iso.datetime({ offset: true }).openapi({ description: 'When the rental system took the code (ISO 8601 with offset)' }),
  branch: z.string().trim().min(1).max(32).nullable().optional().openapi({ description: 'Code of the branch where it was redeemed' }),
});
export type Redemption = z.infer<typeof redemptionSchema>;

export const redemptionsBodySchema = z.object({ redemptions: z.array(redemptionSchema).min(1).max(10_000) }).openapi('RewardRedemptions');

export const redemptionsResultSchema = z
  .object({
    rows: z.number().int(),
    redeemed: z.number().int().openapi({ description: 'Codes marked redeemed now' }),
    unchanged: z.number().int().openapi({ description: 'Codes already recorded with the same time (a repeated import)' }),
  })
  .openapi('RewardRedemptionsResult');
export type RewardRedemptionsResult = z.infer<typeof redemptionsResultSchema>;

export const uptakeQuerySchema = z
  .object({
    from: z.iso.date().optional().openapi({ description: 'First day codes were issued (programme time zone)' }),
    to: z.iso.date().optional().openapi({ description: 'Last day, inclusive' }),
  })
  .refine(...fromBeforeTo);

const uptakeFigure = {
  issued: z.number().int(),
  redeemed: z.number().int(),
  uptake: z.number().nullable().openapi({ description: 'redeemed / issued, percent (docs/statistics.md, Reward uptake)' }),
  ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Wilson 95 % interval, percent' }),
};

export const uptakeReportSchema = z
  .object({
    programmeId: z.uuid(),
    total: z.object(uptakeFigure),
    byBranch: z.array(
      z.object({ branchId: z.uuid().nullable(), code: z.string().nullable(), name: z.string().nullable(), nameEn: z.string().nullable(), ...uptakeFigure }),
    ),
    byTier: z.array(z.object({ tier: z.enum(['A', 'B', 'C']).nullable(), ...uptakeFigure })),
  })
  .openapi('RewardUptake');
export type RewardUptake = z.infer<typeof uptakeReportSchema>;

/** The reward shown on the thank-you page (the survey page's submit result; null without one). */
export const thankYouRewardSchema = z
  .object({
    code: z.string().nullable().openapi({ description: 'null: the pool was empty; the code is sent (sentBy) as soon as codes are added' }),
    name: z.string().openapi({ description: 'What the code is for, in the response language' }),
    kind: z.enum(REWARD_KINDS),
    sentBy: z.enum(['email', 'sms']).nullable().openapi({ description: 'Where a copy is sent (null: nowhere)' }),
  })
  .openapi('ThankYouReward');
export type ThankYouReward = z.infer<typeof thankYouRewardSchema>;
