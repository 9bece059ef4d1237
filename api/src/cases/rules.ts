// Alert rule conditions and their evaluation against one finished response. Pure: the caller loads the
// answers, customer and rental. Safe to import in the browser (plain zod, no server code).
import { z } from 'zod';
import { countProblems, findQuestion, metricQuestions, type Answers, type SurveyDefinition } from '@rs/survey-definition';
import { businessHoursProblem, type BusinessHours } from './business-hours.ts';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ROOT_CAUSES = ['vehicle_condition', 'staff', 'price_fees', 'waiting_time', 'billing', 'other'] as const;
export const COMPENSATION_TYPES = ['none', 'voucher', 'refund', 'discount', 'upgrade', 'points', 'other'] as const;
export const CASE_STATUSES = ['open', 'in_progress', 'resolved', 'closed', 'reopened'] as const;
export const CONTACT_CHANNELS = ['call', 'email', 'sms'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type RootCause = (typeof ROOT_CAUSES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Which statuses a case may move to from each status: the state machine the API enforces and the case page offers. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['in_progress', 'resolved'],
  in_progress: ['resolved'],
  reopened: ['in_progress', 'resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
};

const questionId = z.string().min(1).max(100);

/** Conditions on the answers: any one of a rule's triggers raises a case. */
export const triggerSchema = z.discriminatedUnion('type', [
  // The survey's NPS question (outcomes.recommend, else the first NPS question).
  z.strictObject({ type: z.literal('nps_at_most'), value: z.int().min(0).max(10) }),
  // The survey's CSAT question (outcomes.overall, else the first CSAT question).
  z.strictObject({ type: z.literal('csat_at_most'), value: z.int().min(1).max(5) }),
  // Any score question, or one item of a matrix.
  z.strictObject({ type: z.literal('score_at_most'), questionId, itemId: z.string().min(1).max(100).optional(), value: z.number() }),
  // Any problem checked in the problems question ("no problem" does not count); optionally only these.
  z.strictObject({ type: z.literal('any_problem'), choiceIds: z.array(z.string().min(1).max(100)).max(100).optional() }),
  // A keyword in any comment (case-insensitive; full- and half-width alike).
  z.strictObject({ type: z.literal('comment_contains'), keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(50) }),
  // A comment mentions one of these topics of the text lexicon; with negativeOnly, only a negative mention counts.
  z.strictObject({
    type: z.literal('topic'),
    topicIds: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/))
      .min(1)
      .max(50),
    negativeOnly: z.boolean().optional(),
  }),
]);

/** Conditions on who answered and about what: all of a rule's filters must pass. */
export const filterSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('customer_tier'), values: z.array(z.enum(['A', 'B', 'C'])).min(1) }),
  z.strictObject({ type: z.literal('customer_type'), values: z.array(z.enum(['business', 'leisure'])).min(1) }),
  z.strictObject({ type: z.literal('member_level'), values: z.array(z.string().min(1).max(50)).min(1).max(50) }),
  z.strictObject({ type: z.literal('branch'), values: z.array(z.string().min(1).max(32)).min(1).max(500) }),
  z.strictObject({ type: z.literal('region'), values: z.array(z.string().min(1).max(100)).min(1).max(100) }),
  z.strictObject({ type: z.literal('vehicle_class'), values: z.array(z.string().min(1).max(50)).min(1).max(100) }),
  z.strictObject({ type: z.literal('booking_channel'), values: z.array(z.enum(['app', 'web', 'phone', 'store'])).min(1) }),
  z.strictObject({ type: z.literal('rental_amount_at_least'), value: z.number().min(0) }),
]);

export const businessHoursSchema = z
  .strictObject({
    days: z.array(z.int().min(1).max(7)).min(1).max(7),
    start: z.string(),
    end: z.string(),
  })
  .superRefine((h, ctx) => {
    const problem = businessHoursProblem(h);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export type Trigger = z.infer<typeof triggerSchema>;
export type Filter = z.infer<typeof filterSchema>;

export interface RuleConditions {
  triggers: Trigger[];
  filters: Filter[];
}

export interface RuleContext {
  definition: SurveyDefinition;
  answers: Answers;
  customer: { valueTier: string | null; customerType: string | null; memberLevel: string | null } | null;
  rental: { vehicleClass: string; bookingChannel: string; amount: number } | null;
  branch: { code: string; region: string } | null;
  /** Topics the response's comments mention (text analytics), with the mention's sentiment label. */
  topics?: { topicId: string; label: 'pos' | 'neg' | 'neutral' }[];
}

/** Why a case was raised: shown on the case and in the owner's e-mail. */
export type TriggerReason =
  | { type: 'nps'; questionId: string; value: number }
  | { type: 'csat'; questionId: string; value: number }
  | { type: 'score'; questionId: string; itemId?: string; value: number }
  | { type: 'problem'; questionId: string; choiceIds: string[] }
  | { type: 'keyword'; questionId: string; keyword: string }
  | { type: 'topic'; topicId: string; label: 'pos' | 'neg' | 'neutral' };

export interface RuleOutcome {
  matched: boolean;
  reasons: TriggerReason[];
}

const normalize = (s: string) => s.normalize('NFKC').toLocaleLowerCase('en');

function numberAnswer(answers: Answers, id: string | null, itemId?: string): number | null {
  if (!id) return null;
  const value = answers[id];
  if (itemId) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const item = (value as Record<string, unknown>)[itemId];
      return typeof item === 'number' ? item : null;
    }
    return null;
  }
  return typeof value === 'number' ? value : null;
}

function triggerReasons(trigger: Trigger, ctx: RuleContext): TriggerReason[] {
  const { definition, answers } = ctx;
  const metrics = metricQuestions(definition);
  switch (trigger.type) {
    case 'nps_at_most': {
      const v = numberAnswer(answers, metrics.nps);
      return v !== null && v <= trigger.value ? [{ type: 'nps', questionId: metrics.nps!, value: v }] : [];
    }
    case 'csat_at_most': {
      const v = numberAnswer(answers, metrics.csat);
      return v !== null && v <= trigger.value ? [{ type: 'csat', questionId: metrics.csat!, value: v }] : [];
    }
    case 'score_at_most': {
      const v = numberAnswer(answers, trigger.questionId, trigger.itemId);
      if (v === null || v > trigger.value) return [];
      return [{ type: 'score', questionId: trigger.questionId, ...(trigger.itemId ? { itemId: trigger.itemId } : {}), value: v }];
    }
    case 'any_problem': {
      const id = metrics.problems;
      const question = id ? findQuestion(definition, id) : undefined;
      if (!id || question?.type !== 'problems') return [];
      const value = answers[id];
      const checked = value && typeof value === 'object' && 'choices' in value && Array.isArray(value.choices) ? value.choices : [];
      if (countProblems(question, checked) === 0) return [];
      const problems = checked.filter((c) => c !== question.noProblem?.id);
      const relevant = trigger.choiceIds ? problems.filter((c) => trigger.choiceIds!.includes(c)) : problems;
      return relevant.length > 0 ? [{ type: 'problem', questionId: id, choiceIds: relevant }] : [];
    }
    case 'comment_contains': {
      const out: TriggerReason[] = [];
      for (const id of metrics.comments) {
        const text = answers[id];
        if (typeof text !== 'string' || !text.trim()) continue;
        const haystack = normalize(text);
        const keyword = trigger.keywords.find((k) => haystack.includes(normalize(k)));
        if (keyword) out.push({ type: 'keyword', questionId: id, keyword });
      }
      return out;
    }
    case 'topic':
      return (ctx.topics ?? [])
        .filter((m) => trigger.topicIds.includes(m.topicId) && (!trigger.negativeOnly || m.label === 'neg'))
        .map((m) => ({ type: 'topic' as const, topicId: m.topicId, label: m.label }));
  }
}

function passes(filter: Filter, ctx: RuleContext): boolean {
  switch (filter.type) {
    case 'customer_tier':
      return !!ctx.customer?.valueTier && (filter.values as string[]).includes(ctx.customer.valueTier);
    case 'customer_type':
      return !!ctx.customer?.customerType && (filter.values as string[]).includes(ctx.customer.customerType);
    case 'member_level':
      return !!ctx.customer?.memberLevel && filter.values.includes(ctx.customer.memberLevel);
    case 'branch':
      return !!ctx.branch && filter.values.includes(ctx.branch.code);
    case 'region':
      return !!ctx.branch && filter.values.includes(ctx.branch.region);
    case 'vehicle_class':
      return !!ctx.rental && filter.values.map(normalize).includes(normalize(ctx.rental.vehicleClass));
    case 'booking_channel':
      return !!ctx.rental && (filter.values as string[]).includes(ctx.rental.bookingChannel);
    case 'rental_amount_at_least':
      return !!ctx.rental && ctx.rental.amount >= filter.value;
  }
}

/** A rule matches when every filter passes and at least one trigger fires; reasons lists every trigger that fired. */
export function evaluateRule(rule: RuleConditions, ctx: RuleContext): RuleOutcome {
  if (!rule.filters.every((f) => passes(f, ctx))) return { matched: false, reasons: [] };
  const reasons = rule.triggers.flatMap((t) => triggerReasons(t, ctx));
  return { matched: reasons.length > 0, reasons };
}

/** Triggers that refer to questions the survey does not have (checked when a rule is saved). */
export function triggerProblems(triggers: Trigger[], def: SurveyDefinition): { path: string; message: string }[] {
  const metrics = metricQuestions(def);
  const out: { path: string; message: string }[] = [];
  triggers.forEach((t, i) => {
    const path = `triggers.${i}`;
    if (t.type === 'nps_at_most' && !metrics.nps) out.push({ path, message: 'the survey has no NPS question' });
    if (t.type === 'csat_at_most' && !metrics.csat) out.push({ path, message: 'the survey has no CSAT question' });
    if (t.type === 'any_problem') {
      if (!metrics.problems) out.push({ path, message: 'the survey has no problems question' });
      else if (t.choiceIds) {
        const q = findQuestion(def, metrics.problems);
        const known = new Set(q?.type === 'problems' ? [...q.choices.map((c) => c.id), ...(q.other ? [q.other.id] : [])] : []);
        for (const c of t.choiceIds) if (!known.has(c)) out.push({ path: `${path}.choiceIds`, message: `no problem "${c}" in the survey` });
      }
    }
    if ((t.type === 'comment_contains' || t.type === 'topic') && metrics.comments.length === 0)
      out.push({ path, message: 'the survey has no comment question' });
    if (t.type === 'score_at_most') {
      const q = findQuestion(def, t.questionId);
      if (!q) out.push({ path: `${path}.questionId`, message: `no question "${t.questionId}" in the survey` });
      else if (t.itemId) {
        if (q.type !== 'matrix' || !q.items.some((it) => it.id === t.itemId))
          out.push({ path: `${path}.itemId`, message: `no matrix item "${t.itemId}" in ${t.questionId}` });
      } else if (q.type !== 'nps' && q.type !== 'csat' && q.type !== 'rating') {
        out.push({ path: `${path}.questionId`, message: `${t.questionId} is not a score question` });
      }
    }
  });
  return out;
}

export type { BusinessHours };
