import { z } from '@hono/zod-openapi';
import { SUPPORTED_LOCALES } from '@rs/survey-definition';
import { PERIODS, fromBeforeTo } from '../analytics/engine/filters.schemas.ts';

export const TARGET_METRICS = ['nps', 'csi', 'csat_top2', 'csat_top_box', 'pp100', 'response_rate', 'sla_hit_rate'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const TARGET_LEVELS = ['company', 'region', 'branch'] as const;
export type TargetLevel = (typeof TARGET_LEVELS)[number];
export const TARGET_STATUSES = ['met', 'not_met', 'indistinguishable', 'no_data'] as const;

/** Lower is better only for PP100 (docs/statistics.md#targets). */
export const metricDirection = (metric: TargetMetric) => (metric === 'pp100' ? ('lower' as const) : ('higher' as const));
/** The range a target of each metric may take, in the metric's unit. */
export const METRIC_RANGE: Record<TargetMetric, [number, number]> = {
  nps: [-100, 100],
  csi: [0, 100],
  csat_top2: [0, 100],
  csat_top_box: [0, 100],
  pp100: [0, 10_000],
  response_rate: [0, 100],
  sla_hit_rate: [0, 100],
};

export const PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

/** First and last day of "2026", "2026-Q3" or "2026-07"; null when the text is none of those. */
export function periodBounds(period: string): { start: string; end: string } | null {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const [first, months] = m[2] ? [(Number(m[2]) - 1) * 3 + 1, 3] : m[3] ? [Number(m[3]), 1] : [1, 12];
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = new Date(Date.UTC(year, first - 1 + months, 0)).getUTCDate();
  return { start: `${year}-${pad(first)}-01`, end: `${year}-${pad(first + months - 1)}-${pad(lastDay)}` };
}

export const targetInputSchema = z
  .object({
    metric: z.enum(TARGET_METRICS),
    level: z.enum(TARGET_LEVELS),
    scope: z
      .string()
      .trim()
      .max(100)
      .nullable()
      .optional()
      .openapi({ description: 'Region code (level region) or branch code (level branch); empty for the company' }),
    period: z.string().trim().regex(PERIOD_PATTERN, 'a year (2026), quarter (2026-Q3) or month (2026-07)').openapi({ example: '2026-Q3' }),
    value: z.number().finite().openapi({ description: 'The target in the metric’s unit: NPS points, CSI 0–100, percent, or problems per 100' }),
  })
  .superRefine((t, ctx) => {
    const [lo, hi] = METRIC_RANGE[t.metric];
    if (t.value < lo || t.value > hi) ctx.addIssue({ code: 'custom', path: ['value'], message: `a ${t.metric} target lies between ${lo} and ${hi}` });
    if (t.level === 'company' && t.scope) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'a company target has no scope' });
    if (t.level !== 'company' && !t.scope) ctx.addIssue({ code: 'custom', path: ['scope'], message: `a ${t.level} target names its ${t.level} by code` });
  })
  .openapi('TargetInput');
export type TargetInput = z.infer<typeof targetInputSchema>;

export const targetSchema = z
  .object({
    id: z.uuid(),
    metric: z.enum(TARGET_METRICS),
    level: z.enum(TARGET_LEVELS),
    scope: z.string().nullable().openapi({ description: 'Region or branch code; null for the company' }),
    scopeName: z.string().nullable(),
    period: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    value: z.number(),
    updatedAt: z.string(),
  })
  .openapi('Target');
export type Target = z.infer<typeof targetSchema>;

export const targetListQuerySchema = z.object({
  metric: z.enum(TARGET_METRICS).optional(),
  level: z.enum(TARGET_LEVELS).optional(),
  on: z.iso.date().optional().openapi({ description: 'Only targets whose period contains this day' }),
});

export const targetIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const targetImportResultSchema = z
  .object({ rows: z.number().int(), created: z.number().int(), updated: z.number().int() })
  .openapi('TargetImportResult');

const interval = z.tuple([z.number(), z.number()]);

export const figureSchema = z
  .object({
    metric: z.enum(TARGET_METRICS),
    n: z.number().int().openapi({ description: 'Answers (or messages sent, or cases decided) behind the figure' }),
    value: z.number().nullable(),
    ci95: interval.nullable(),
    target: z.object({ id: z.uuid(), period: z.string(), value: z.number() }).nullable(),
    status: z.enum(TARGET_STATUSES).nullable().openapi({ description: 'null when no target applies' }),
  })
  .openapi('TargetFigure');
export type Figure = z.infer<typeof figureSchema>;

export const statusQuerySchema = z
  .object({
    survey: z.uuid(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    level: z.enum(TARGET_LEVELS).default('branch'),
    code: z.string().min(1).max(100).optional().openapi({ description: 'Only this region or branch' }),
    lang: z.enum(SUPPORTED_LOCALES).optional(),
  })
  .refine(...fromBeforeTo);
export type StatusQuery = z.infer<typeof statusQuerySchema>;

export const statusResultSchema = z
  .object({
    survey: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    asOf: z.string().openapi({ description: 'The day whose targets apply (the view’s last day, else today)' }),
    level: z.enum(TARGET_LEVELS),
    rows: z.array(z.object({ key: z.string(), label: z.string(), figures: z.array(figureSchema) })),
  })
  .openapi('TargetStatus');

export const trendQuerySchema = z
  .object({
    survey: z.uuid(),
    from: z.iso.date(),
    to: z.iso.date(),
    interval: z.enum(PERIODS).default('month'),
    metric: z.enum(TARGET_METRICS).default('nps'),
    level: z.enum(TARGET_LEVELS).default('company'),
    code: z.string().min(1).max(100).optional(),
    lang: z.enum(SUPPORTED_LOCALES).optional(),
  })
  .refine(...fromBeforeTo)
  .refine((q) => q.level === 'company' || !!q.code, { path: ['code'], message: 'a region or branch trend names it by code' });
export type TargetTrendQuery = z.infer<typeof trendQuerySchema>;

export const targetTrendSchema = z
  .object({
    survey: z.uuid(),
    metric: z.enum(TARGET_METRICS),
    interval: z.enum(PERIODS),
    level: z.enum(TARGET_LEVELS),
    code: z.string().nullable(),
    points: z.array(figureSchema.extend({ period: z.string(), label: z.string() })),
  })
  .openapi('TargetTrend');
