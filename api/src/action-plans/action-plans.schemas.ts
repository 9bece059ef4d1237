// Action plans (issue 18 part 2): from a driver in "concentrate here", a Pareto problem or a comment topic,
// a manager plans what to do, for which branches, by when, and which figure it should move.
import { z } from '@hono/zod-openapi';
import { BEFORE_AFTER_METRICS } from '../analytics/engine/statistics/before-after.ts';

export const PLAN_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export const PLAN_SOURCES = ['driver', 'problem', 'topic', 'manual'] as const;
export { BEFORE_AFTER_METRICS as PLAN_METRICS };

const isoDateTime = z.string().openapi({ format: 'date-time' });
const isoDay = z.iso.date();
const interval = z.tuple([z.number(), z.number()]).nullable();
const branchRef = z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable() });

const planFields = {
  title: z.string().trim().min(1).max(200),
  source: z
    .object({
      kind: z.enum(PLAN_SOURCES),
      key: z.string().trim().max(200).nullable().default(null).openapi({ description: 'The driver’s dimension id, the problem’s choice id or the topic id' }),
      label: z.string().trim().max(200).nullable().default(null).openapi({ description: 'Its name as the page showed it' }),
    })
    .default({ kind: 'manual', key: null, label: null }),
  surveyId: z.uuid().openapi({ description: 'The survey whose figure the plan should move' }),
  metric: z.enum(BEFORE_AFTER_METRICS).openapi({ description: 'nps, csat (top-2-box), csi (mean per-respondent index) or pp100' }),
  ownerUserId: z.uuid(),
  branchIds: z.array(z.uuid()).max(500).default([]).openapi({ description: 'Empty = the whole company (not for branch or regional managers)' }),
  startDate: isoDay,
  dueDate: isoDay,
  status: z.enum(PLAN_STATUSES).default('planned'),
  notes: z.string().max(10_000).default(''),
};

export const planInputSchema = z
  .object(planFields)
  .refine((p) => p.dueDate >= p.startDate, { path: ['dueDate'], message: 'must not be before the start date' })
  .openapi('ActionPlanInput');
export type PlanInput = z.infer<typeof planInputSchema>;

export const planUpdateSchema = z
  .object({
    version: z.number().int().min(1).optional().openapi({ description: 'The version you edited; a newer one on the server gives 409' }),
    title: planFields.title.optional(),
    metric: planFields.metric.optional(),
    ownerUserId: z.uuid().optional(),
    branchIds: z.array(z.uuid()).max(500).optional(),
    startDate: isoDay.optional(),
    dueDate: isoDay.optional(),
    status: z.enum(PLAN_STATUSES).optional(),
    notes: z.string().max(10_000).optional(),
  })
  .openapi('ActionPlanUpdate');
export type PlanUpdate = z.infer<typeof planUpdateSchema>;

export const planSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    source: z.object({ kind: z.enum(PLAN_SOURCES), key: z.string().nullable(), label: z.string().nullable() }),
    surveyId: z.uuid(),
    surveyName: z.string(),
    metric: z.enum(BEFORE_AFTER_METRICS),
    owner: z.object({ userId: z.uuid().nullable(), name: z.string().nullable(), email: z.string() }),
    branches: z.array(branchRef).openapi({ description: 'The plan’s branches the caller may see' }),
    companyWide: z.boolean(),
    startDate: z.string(),
    dueDate: z.string(),
    status: z.enum(PLAN_STATUSES),
    notes: z.string(),
    overdue: z.boolean().openapi({ description: 'Planned or in progress and past its due date (company time zone)' }),
    createdBy: z.string(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    version: z.number().int(),
    permissions: z.object({ write: z.boolean() }),
  })
  .openapi('ActionPlan');

export const planListQuerySchema = z.object({
  branch: z.string().trim().min(1).max(64).optional().openapi({ description: 'Only plans for this branch, by id or code (a branch page)' }),
  status: z.enum(PLAN_STATUSES).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type PlanListQuery = z.infer<typeof planListQuerySchema>;

export const planListSchema = z.object({ items: z.array(planSchema), total: z.number().int() }).openapi('ActionPlanList');

export const effectQuerySchema = z.object({
  window: z.coerce
    .number()
    .int()
    .min(7)
    .max(365)
    .default(90)
    .openapi({ description: 'Days on each side of the start date (the after period ends today at the latest)' }),
});

const periodSchema = z.object({ from: z.string(), to: z.string(), n: z.number().int(), value: z.number().nullable(), ci95: interval });

export const effectSchema = z
  .object({
    metric: z.enum(BEFORE_AFTER_METRICS),
    window: z.number().int(),
    minN: z.number().int(),
    before: periodSchema.openapi({ description: 'The window days before the start date' }),
    after: periodSchema.nullable().openapi({ description: 'From the start date (null before it)' }),
    change: z.object({ value: z.number().nullable(), ci95: interval, p: z.number().nullable() }).openapi({ description: 'after − before' }),
  })
  .openapi('ActionPlanEffect');

export const planDetailSchema = planSchema.extend({ effect: effectSchema }).openapi('ActionPlanDetail');
