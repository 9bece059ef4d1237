import { z } from '@hono/zod-openapi';
import { pipingFactsSchema } from '../responses/piping-facts.ts';
import { storedDefinitionSchema } from '../surveys/surveys.schemas.ts';
import { CASE_CHANNELS } from './channels.ts';
import { businessHoursSchema, CASE_STATUSES, COMPENSATION_TYPES, CONTACT_CHANNELS, filterSchema, PRIORITIES, ROOT_CAUSES, triggerSchema } from './rules.ts';

const isoDateTime = z.string().openapi({ format: 'date-time', example: '2026-06-01T10:00:00.000Z' });
const nullableDateTime = isoDateTime.nullable();

// ── Alert rules ─────────────────────────────────────────────────────────────────────────────────

const ruleFields = {
  surveyId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  triggers: z
    .array(triggerSchema)
    .min(1)
    .max(20)
    .openapi({
      description: 'Any one of these answer conditions raises a case.',
      example: [
        { type: 'nps_at_most', value: 6 },
        { type: 'csat_at_most', value: 2 },
        { type: 'any_problem' },
        { type: 'comment_contains', keywords: ['投诉', 'refund'] },
      ],
    }),
  filters: z
    .array(filterSchema)
    .max(20)
    .default([])
    .openapi({ description: 'Only for responses whose customer and rental pass all of these.', example: [{ type: 'customer_tier', values: ['A'] }] }),
  priority: z.enum(PRIORITIES).default('normal'),
  assignTo: z.enum(['branch_manager', 'team']).default('branch_manager'),
  teamId: z.uuid().nullable().default(null),
  firstResponseHours: z
    .number()
    .positive()
    .max(24 * 60)
    .default(24),
  resolutionHours: z
    .number()
    .positive()
    .max(24 * 365)
    .default(72),
  businessHours: businessHoursSchema
    .nullable()
    .default(null)
    .openapi({
      description: 'null: the time limits run around the clock; else only in these hours, in the branch’s time zone.',
      example: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
    }),
  followUpSurvey: z.boolean().default(true).openapi({ description: 'Send the complaint follow-up survey when a case is resolved.' }),
};

export const ruleInputSchema = z
  .object(ruleFields)
  .refine((r) => r.assignTo !== 'team' || r.teamId, { path: ['teamId'], message: 'choose the team' })
  .refine((r) => r.resolutionHours >= r.firstResponseHours, { path: ['resolutionHours'], message: 'must not be shorter than the first-response time' })
  .openapi('AlertRuleInput');
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const ruleSchema = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    surveyName: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    triggers: z.array(triggerSchema),
    filters: z.array(filterSchema),
    priority: z.enum(PRIORITIES),
    assignTo: z.enum(['branch_manager', 'team']),
    teamId: z.uuid().nullable(),
    teamName: z.string().nullable(),
    firstResponseHours: z.number(),
    resolutionHours: z.number(),
    businessHours: businessHoursSchema.nullable(),
    followUpSurvey: z.boolean(),
    cases: z.number().int().openapi({ description: 'Cases this rule raised' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .openapi('AlertRule');

export const ruleListQuerySchema = z.object({ survey: z.uuid().optional() });

export const rulePreviewQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ description: 'Look back this many days' }),
});
export const rulePreviewSchema = z
  .object({
    responses: z.number().int().openapi({ description: 'Finished responses of the survey in the period' }),
    matching: z.number().int().openapi({ description: 'Of those, how many the rule would raise a case for' }),
    from: isoDateTime,
    to: isoDateTime,
  })
  .openapi('AlertRulePreview');

// ── Teams and escalation contacts ────────────────────────────────────────────────────────────────

export const teamInputSchema = z.object({ name: z.string().trim().min(1).max(200), email: z.email().max(254) }).openapi('CaseTeamInput');
export const teamSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() }).openapi('CaseTeam');

export const escalationInputSchema = z
  .object({
    level: z.enum(['regional_manager', 'quality_manager']),
    region: z.string().trim().min(1).max(100).nullable().default(null).openapi({ description: 'Regional managers: the region covered; null = every region' }),
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
  })
  .openapi('EscalationContactInput');
export const escalationSchema = z
  .object({ id: z.uuid(), level: z.enum(['regional_manager', 'quality_manager']), region: z.string().nullable(), name: z.string(), email: z.string() })
  .openapi('EscalationContact');

export const escalationContactsSchema = z
  .object({ contacts: z.array(escalationSchema), regions: z.array(z.string()).openapi({ description: 'The branches’ regions' }) })
  .openapi('EscalationContacts');

// ── Cases ───────────────────────────────────────────────────────────────────────────────────────

const boolQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[])
    .optional();

export const caseListQuerySchema = z.object({
  status: listOf(z.enum(CASE_STATUSES)).openapi({ description: 'Repeat for several; default: every status' }),
  mine: boolQuery.openapi({ description: 'Only cases owned by or escalated to the caller' }),
  overdue: boolQuery.openapi({ description: 'Only unfinished cases past a due time' }),
  branch: listOf(z.uuid()),
  rootCause: listOf(z.enum(ROOT_CAUSES)),
  priority: listOf(z.enum(PRIORITIES)),
  rule: z.uuid().optional(),
  channel: listOf(z.enum(CASE_CHANNELS)).openapi({ description: 'Where the case came from: survey (an alert rule) or a complaint channel' }),
  number: z.coerce.number().int().min(1).optional(),
  from: z.iso.date().optional().openapi({ description: 'Created on or after this day (company time zone)' }),
  to: z.iso.date().optional().openapi({ description: 'Created on or before this day' }),
  sort: z.enum(['due', 'newest', 'priority']).default('due'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

const reasonSchema = z.record(z.string(), z.unknown()).openapi({ example: { type: 'nps', questionId: 'q_nps', value: 3 } });

export const caseSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    status: z.enum(CASE_STATUSES),
    priority: z.enum(PRIORITIES),
    channel: z.enum(CASE_CHANNELS).openapi({ description: 'survey: raised by an alert rule; else the channel a complaint arrived by' }),
    reasons: z.array(reasonSchema),
    reasonText: z.object({ 'zh-CN': z.string(), en: z.string() }),
    branch: z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }).nullable(),
    customerName: z.string().nullable(),
    ownerName: z.string().nullable(),
    ownerEmail: z.string().nullable(),
    escalationLevel: z.number().int(),
    escalatedToName: z.string().nullable(),
    rootCause: z.enum(ROOT_CAUSES).nullable(),
    createdAt: isoDateTime,
    firstResponseDueAt: isoDateTime,
    resolutionDueAt: isoDateTime,
    firstRespondedAt: nullableDateTime,
    resolvedAt: nullableDateTime,
    overdue: z.boolean(),
    breached: z.boolean(),
  })
  .openapi('CaseSummary');

export const caseListSchema = z.object({ items: z.array(caseSummarySchema), total: z.number().int() }).openapi('CaseList');

const eventSchema = z
  .object({
    id: z.number().int(),
    at: isoDateTime,
    kind: z.string(),
    actor: z.string(),
    channel: z.enum(CONTACT_CHANNELS).nullable(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'What changed (by kind of event)' }),
  })
  .openapi('CaseEvent');

export const caseDetailSchema = caseSummarySchema
  .extend({
    version: z.number().int(),
    rule: z.object({ id: z.uuid(), name: z.string() }).nullable().openapi({ description: 'null for a complaint opened by staff' }),
    surveyId: z.uuid().nullable(),
    responseId: z.uuid().nullable(),
    description: z.string().nullable().openapi({ description: 'A complaint: what the customer said, as staff wrote it down' }),
    attachments: z.array(
      z.object({ id: z.uuid(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedBy: z.string(), createdAt: isoDateTime }),
    ),
    assigneeKind: z.enum(['branch_manager', 'team', 'user']),
    teamId: z.uuid().nullable(),
    escalatedToEmail: z.string().nullable(),
    businessHours: businessHoursSchema.nullable(),
    timeZone: z.string(),
    closedAt: nullableDateTime,
    reopenedAt: nullableDateTime,
    firstResponseBreachedAt: nullableDateTime,
    resolutionBreachedAt: nullableDateTime,
    resolution: z.string().nullable(),
    compensationType: z.enum(COMPENSATION_TYPES).nullable(),
    compensationAmount: z.number().nullable(),
    followUpWanted: z.boolean(),
    followUp: z
      .object({
        invitationId: z.uuid(),
        status: z.string(),
        sentAt: nullableDateTime,
        resolved: z.enum(['yes', 'partly', 'no']).nullable().openapi({ description: 'The customer’s answer to “Has your issue been resolved?”' }),
      })
      .nullable(),
    customer: z
      .object({
        id: z.uuid(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        preferredLanguage: z.string().nullable(),
        valueTier: z.string().nullable(),
        customerType: z.string(),
        memberLevel: z.string().nullable(),
      })
      .nullable(),
    rental: z
      .object({
        id: z.uuid(),
        externalId: z.string(),
        vehicleClass: z.string(),
        pickedUpAt: isoDateTime,
        returnedAt: isoDateTime,
        amount: z.number(),
        bookingChannel: z.string(),
      })
      .nullable(),
    response: z
      .object({
        id: z.uuid(),
        finishedAt: nullableDateTime,
        locale: z.string(),
        definition: storedDefinitionSchema(),
        answers: z.record(z.string(), z.unknown()),
        facts: pipingFactsSchema,
      })
      .nullable()
      .openapi({ description: 'The answers that raised the case; null for a complaint opened by staff' }),
    events: z.array(eventSchema),
    permissions: z.object({ write: z.boolean() }),
  })
  .openapi('CaseDetail');

const version = z.number().int().min(1).optional().openapi({ description: 'The version you edited; a newer one on the server gives 409' });

export const caseUpdateSchema = z
  .object({
    version,
    priority: z.enum(PRIORITIES).optional(),
    rootCause: z.enum(ROOT_CAUSES).nullable().optional(),
    resolution: z.string().trim().max(5000).nullable().optional(),
    compensationType: z.enum(COMPENSATION_TYPES).nullable().optional(),
    compensationAmount: z.number().min(0).max(1_000_000).nullable().optional(),
    followUpWanted: z.boolean().optional(),
    assignee: z
      .union([z.object({ userId: z.uuid() }), z.object({ teamId: z.uuid() })])
      .optional()
      .openapi({ description: 'Give the case to a user or a team' }),
  })
  .openapi('CaseUpdate');
export type CaseUpdate = z.infer<typeof caseUpdateSchema>;

export const transitionSchema = z
  .object({
    version,
    to: z.enum(['in_progress', 'resolved', 'closed', 'reopened']),
    note: z.string().trim().max(5000).optional().openapi({ description: 'Added to the timeline; required when reopening' }),
    rootCause: z.enum(ROOT_CAUSES).optional(),
    resolution: z.string().trim().min(1).max(5000).optional(),
    compensationType: z.enum(COMPENSATION_TYPES).optional(),
    compensationAmount: z.number().min(0).max(1_000_000).optional(),
    sendFollowUp: z.boolean().optional().openapi({ description: 'When resolving: send the follow-up survey (default: the case’s setting)' }),
  })
  .openapi('CaseTransition');
export type Transition = z.infer<typeof transitionSchema>;

export const noteInputSchema = z.object({ body: z.string().trim().min(1).max(5000) }).openapi('CaseNoteInput');

export const contactInputSchema = z
  .object({
    channel: z.enum(CONTACT_CHANNELS),
    body: z.string().trim().min(1).max(5000).openapi({ description: 'What was said or agreed' }),
    at: isoDateTime.optional().openapi({ description: 'When (default: now); not in the future' }),
  })
  .openapi('CaseContactInput');

export const assigneesSchema = z
  .object({
    users: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.string() })),
    teams: z.array(teamSchema),
  })
  .openapi('CaseAssignees');

export const caseOptionsSchema = assigneesSchema
  .extend({
    branches: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable(), region: z.string() })),
    me: z.object({ email: z.string().nullable() }),
  })
  .openapi('CaseOptions');

// ── Metrics ─────────────────────────────────────────────────────────────────────────────────────

export const metricsQuerySchema = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  branch: listOf(z.uuid()),
});

const metricsRow = z.object({
  branch: z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }).nullable(),
  cases: z.number().int(),
  open: z.number().int().openapi({ description: 'Not yet resolved' }),
  medianHoursToFirstResponse: z.number().nullable(),
  medianHoursToResolution: z.number().nullable(),
  slaDecided: z.number().int().openapi({ description: 'Cases whose SLA outcome is known (resolved, or a time limit passed)' }),
  slaBreached: z.number().int(),
  slaBreachRate: z.number().nullable(),
  followUpAnswers: z.number().int(),
  recovered: z.number().int().openapi({ description: 'Follow-up answers saying the issue was resolved' }),
  recoveryRate: z.number().nullable(),
  firstContactDecided: z
    .number()
    .int()
    .openapi({ description: 'Cases whose golden first-contact outcome is known: contacted, or the golden time of their priority passed' }),
  firstContactHits: z.number().int().openapi({ description: 'Of those, first contact within the golden time of their priority' }),
  firstContactHitRate: z.number().nullable().openapi({ description: 'firstContactHits / firstContactDecided (docs/statistics.md)' }),
});

export const metricsSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    rows: z.array(metricsRow),
    total: metricsRow,
    channels: z
      .array(z.object({ channel: z.enum(CASE_CHANNELS), cases: z.number().int(), share: z.number().nullable() }))
      .openapi({ description: 'Cases per channel and their share of all cases in the period (every channel listed, zeros included)' }),
    golden: z
      .array(z.object({ priority: z.enum(PRIORITIES), minutes: z.number().int() }))
      .openapi({ description: 'The golden time to first contact per priority (PUT /api/cases/priority-settings)' }),
  })
  .openapi('CaseMetrics');
