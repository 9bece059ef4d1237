// The single source of truth for the database. Migrations in api/drizzle are generated from this file
// (`npm run db:generate`) and applied at start-up.

import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const branches = pgTable('branches', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  city: text('city').notNull(),
  region: text('region').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  // Where promoters may be invited to share their experience (review site, app store…).
  shareUrl: text('share_url'),
  managerEmail: text('manager_email'),
  createdAt: createdAt(),
});

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    preferredLanguage: text('preferred_language'),
    consentEmail: boolean('consent_email').notNull().default(true),
    consentSms: boolean('consent_sms').notNull().default(false),
    customerType: text('customer_type', { enum: ['business', 'leisure'] }).notNull().default('leisure'),
    memberLevel: text('member_level'),
    // A/B/C by rental value over the last 12 months (top 20 % = A); recomputed from rentals.
    valueTier: text('value_tier', { enum: ['A', 'B', 'C'] }),
    emailBad: boolean('email_bad').notNull().default(false),
    phoneBad: boolean('phone_bad').notNull().default(false),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    // Distribution: rental history figures behind the value tier and new vs returning (kept up to date by
    // the distribution worker), and the last invitation for the fatigue rule.
    rentalCount: integer('rental_count').notNull().default(0),
    rentals12m: integer('rentals_12m').notNull().default(0),
    value12m: numeric('value_12m', { precision: 14, scale: 2, mode: 'number' }).notNull().default(0),
    firstRentalAt: timestamp('first_rental_at', { withTimezone: true }),
    lastInvitedAt: timestamp('last_invited_at', { withTimezone: true }),
    segmentsUpdatedAt: timestamp('segments_updated_at', { withTimezone: true }),
    // Set when personal data was erased; the row stays so statistics keep their counts.
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('customers_email_idx').on(t.email)],
);

export const rentals = pgTable(
  'rentals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    pickupBranchId: uuid('pickup_branch_id')
      .notNull()
      .references(() => branches.id),
    returnBranchId: uuid('return_branch_id')
      .notNull()
      .references(() => branches.id),
    vehicleClass: text('vehicle_class').notNull(),
    pickedUpAt: timestamp('picked_up_at', { withTimezone: true }).notNull(),
    returnedAt: timestamp('returned_at', { withTimezone: true }).notNull(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull().default(0),
    bookingChannel: text('booking_channel', { enum: ['app', 'web', 'phone', 'store'] }).notNull(),
    // Distribution: the customer had rented before this rental (false = a new customer's first rental).
    repeatCustomer: boolean('repeat_customer'),
    createdAt: createdAt(),
  },
  (t) => [
    index('rentals_customer_returned_idx').on(t.customerId, t.returnedAt),
    index('rentals_return_branch_idx').on(t.returnBranchId),
  ],
);

export const surveys = pgTable('surveys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  // Which template it came from; `post_rental` surveys receive rental invitations.
  kind: text('kind').notNull().default('custom'),
  status: text('status', { enum: ['draft', 'active', 'archived'] }).notNull().default('draft'),
  // The editable draft; published versions are immutable snapshots in survey_versions.
  draftDefinition: jsonb('draft_definition').notNull(),
  draftUpdatedAt: timestamp('draft_updated_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const surveyVersions = pgTable(
  'survey_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull(),
    changeSummary: jsonb('change_summary'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('survey_versions_survey_version_uq').on(t.surveyId, t.version)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    surveyVersionId: uuid('survey_version_id')
      .notNull()
      .references(() => surveyVersions.id),
    rentalId: uuid('rental_id').references(() => rentals.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    // SHA-256 of the raw token; the raw token exists only in the link sent to the customer.
    tokenHash: text('token_hash').notNull().unique(),
    channel: text('channel', { enum: ['email', 'sms', 'link'] }).notNull().default('link'),
    status: text('status', {
      enum: ['scheduled', 'sent', 'failed', 'opened', 'started', 'finished', 'expired', 'opted_out'],
    })
      .notNull()
      .default('scheduled'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    remindersSent: integer('reminders_sent').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // A rental is invited to a survey once, however often it is sent to us.
    uniqueIndex('invitations_survey_rental_uq').on(t.surveyId, t.rentalId),
    index('invitations_customer_created_idx').on(t.customerId, t.createdAt),
    index('invitations_branch_idx').on(t.branchId),
    // Distribution: open invitations by expiry, for marking them expired.
    index('invitations_open_expires_idx').on(t.expiresAt).where(sql`status in ('scheduled', 'sent', 'opened', 'started', 'failed')`),
  ],
);

export const responses = pgTable(
  'responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invitationId: uuid('invitation_id')
      .unique()
      .references(() => invitations.id),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    surveyVersionId: uuid('survey_version_id')
      .notNull()
      .references(() => surveyVersions.id),
    branchId: uuid('branch_id').references(() => branches.id),
    customerId: uuid('customer_id').references(() => customers.id),
    rentalId: uuid('rental_id').references(() => rentals.id),
    locale: text('locale').notNull(),
    status: text('status', { enum: ['partial', 'finished'] })
      .notNull()
      .default('partial'),
    source: text('source', { enum: ['web', 'import'] })
      .notNull()
      .default('web'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('responses_survey_finished_idx').on(t.surveyId, t.finishedAt),
    index('responses_branch_finished_idx').on(t.branchId, t.finishedAt),
  ],
);

// One row per answer, keyed by question id (and matrix item id): never one column per question.
export const answers = pgTable(
  'answers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    questionId: text('question_id').notNull(),
    itemId: text('item_id'),
    valueNumber: doublePrecision('value_number'),
    choiceIds: text('choice_ids').array(),
    valueText: text('value_text'),
  },
  (t) => [
    unique('answers_response_question_item_uq').on(t.responseId, t.questionId, t.itemId).nullsNotDistinct(),
    index('answers_question_idx').on(t.questionId, t.itemId),
  ],
);

export const schemaTables = { branches, customers, rentals, surveys, surveyVersions, invitations, responses, answers };

// ── Access: accounts, sessions, API keys, audit log, webhooks ─────────────────────────────────────────
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  // Stored lower-case; the sign-in name.
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'quality_manager', 'branch_manager', 'executive'] }).notNull(),
  // argon2id; null until the user has chosen a password through a set-password link.
  passwordHash: text('password_hash'),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// The branches a branch manager may see.
export const userBranches = pgTable(
  'user_branches',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.branchId] })],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // SHA-256 of the cookie value; the raw value exists only in the browser.
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

// One-time links: the first administrator's setup link and set-password links for new users.
export const accountTokens = pgTable('account_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  purpose: text('purpose', { enum: ['setup', 'password'] }).notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  // The first characters of the key, shown so people can tell keys apart.
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

// Failed and successful sign-ins per client (hashed address), for the login rate limit.
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clientKey: text('client_key').notNull(),
    succeeded: boolean('succeeded').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_attempts_client_at_idx').on(t.clientKey, t.at)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type', { enum: ['user', 'api_key', 'system'] }).notNull(),
    actorId: uuid('actor_id'),
    // The user's email or the key's name at the time, so the entry survives the account.
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  description: text('description').notNull().default(''),
  url: text('url').notNull(),
  // `whsec_` + base64 key: needed in clear to sign each delivery.
  secret: text('secret').notNull(),
  events: text('events').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    // Sent as `webhook-id`: the same on every retry, so receivers can drop duplicates.
    id: uuid('id').primaryKey().defaultRandom(),
    // Creation order, for sending one receiver's deliveries oldest first.
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

// ── Cases: alert rules, complaint cases, their timeline and the owners' notifications ──────────────────
// A named team a rule can assign its cases to instead of the branch's manager.
export const caseTeams = pgTable('case_teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  email: text('email').notNull(),
  createdAt: createdAt(),
});

// Who a breached case escalates to after the branch's manager: regional managers (by branch region;
// null region = every region), then quality managers.
export const escalationContacts = pgTable(
  'escalation_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    level: text('level', { enum: ['regional_manager', 'quality_manager'] }).notNull(),
    region: text('region'),
    name: text('name').notNull(),
    email: text('email').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('escalation_contacts_level_region_email_uq').on(t.level, t.region, t.email).nullsNotDistinct()],
);

export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    // Any one of these answer conditions raises a case…
    triggers: jsonb('triggers').notNull(),
    // …for responses whose customer and rental pass all of these.
    filters: jsonb('filters').notNull().default([]),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).notNull().default('normal'),
    assignTo: text('assign_to', { enum: ['branch_manager', 'team'] }).notNull().default('branch_manager'),
    teamId: uuid('team_id').references(() => caseTeams.id),
    firstResponseHours: doublePrecision('first_response_hours').notNull().default(24),
    resolutionHours: doublePrecision('resolution_hours').notNull().default(72),
    // null: around the clock; else { days, start, end } in the branch's time zone.
    businessHours: jsonb('business_hours'),
    followUpSurvey: boolean('follow_up_survey').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('alert_rules_survey_idx').on(t.surveyId)],
);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Short reference people quote on the phone ("case 1042").
    number: bigserial('number', { mode: 'number' }).notNull().unique(),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id),
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id),
    // `rule:<rule id>:response:<response id>`: one case per response per rule, however often rules run.
    idempotencyKey: text('idempotency_key').notNull().unique(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    branchId: uuid('branch_id').references(() => branches.id),
    customerId: uuid('customer_id').references(() => customers.id),
    rentalId: uuid('rental_id').references(() => rentals.id),
    status: text('status', { enum: ['open', 'in_progress', 'resolved', 'closed', 'reopened'] })
      .notNull()
      .default('open'),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).notNull(),
    // What matched: [{ type, questionId?, value }].
    trigger: jsonb('trigger').notNull(),
    assigneeKind: text('assignee_kind', { enum: ['branch_manager', 'team', 'user'] }).notNull(),
    teamId: uuid('team_id').references(() => caseTeams.id),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    ownerName: text('owner_name'),
    ownerEmail: text('owner_email'),
    // 0 = the owner; 1 = regional manager; 2 = quality manager.
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedToName: text('escalated_to_name'),
    escalatedToEmail: text('escalated_to_email'),
    businessHours: jsonb('business_hours'),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }).notNull(),
    firstResponseWarnAt: timestamp('first_response_warn_at', { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }).notNull(),
    resolutionWarnAt: timestamp('resolution_warn_at', { withTimezone: true }).notNull(),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    firstResponseRemindedAt: timestamp('first_response_reminded_at', { withTimezone: true }),
    resolutionRemindedAt: timestamp('resolution_reminded_at', { withTimezone: true }),
    firstResponseBreachedAt: timestamp('first_response_breached_at', { withTimezone: true }),
    resolutionBreachedAt: timestamp('resolution_breached_at', { withTimezone: true }),
    rootCause: text('root_cause', { enum: ['vehicle_condition', 'staff', 'price_fees', 'waiting_time', 'billing', 'other'] }),
    resolution: text('resolution'),
    compensationType: text('compensation_type', { enum: ['none', 'voucher', 'refund', 'discount', 'upgrade', 'points', 'other'] }),
    compensationAmount: numeric('compensation_amount', { precision: 12, scale: 2, mode: 'number' }),
    followUpWanted: boolean('follow_up_wanted').notNull().default(true),
    followUpInvitationId: uuid('follow_up_invitation_id').references(() => invitations.id),
    followUpSentAt: timestamp('follow_up_sent_at', { withTimezone: true }),
    // Bumped on every change; an edit naming an older version is refused (two people on one case).
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('cases_rule_response_uq').on(t.ruleId, t.responseId),
    index('cases_status_idx').on(t.status, t.resolutionDueAt),
    index('cases_branch_created_idx').on(t.branchId, t.createdAt),
    index('cases_owner_email_idx').on(t.ownerEmail),
    index('cases_follow_up_invitation_idx').on(t.followUpInvitationId),
  ],
);

// The case's timeline: status changes, notes, the contact log (called / emailed / SMS), reminders, breaches.
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind', {
      enum: ['created', 'status', 'assigned', 'escalated', 'note', 'contact', 'reminder', 'breach', 'updated', 'follow_up'],
    }).notNull(),
    // The user's email, or "system".
    actor: text('actor').notNull(),
    channel: text('channel', { enum: ['call', 'email', 'sms'] }),
    body: text('body'),
    data: jsonb('data'),
  },
  (t) => [index('case_events_case_at_idx').on(t.caseId, t.at)],
);

// E-mails to case owners and escalation contacts; the idempotency key keeps one of each per case.
export const caseNotifications = pgTable(
  'case_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind', {
      enum: ['created', 'first_response_due_soon', 'resolution_due_soon', 'first_response_breached', 'resolution_breached', 'escalated'],
    }).notNull(),
    recipient: text('recipient').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('case_notifications_status_idx').on(t.status, t.createdAt), index('case_notifications_case_idx').on(t.caseId)],
);

// ── Distribution: invitation rules, deliveries and their send attempts, the local outbox, imports ──────
// One row per survey whose invitation rules differ from the defaults (distribution/rules.schemas.ts).
export const invitationRules = pgTable('invitation_rules', {
  surveyId: uuid('survey_id')
    .primaryKey()
    .references(() => surveys.id),
  rules: jsonb('rules').notNull(),
  updatedAt: updatedAt(),
});

// Why a rental was or was not invited to a survey: the funnel's "eligible" and "invited".
export const invitationDecisions = pgTable(
  'invitation_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    rentalId: uuid('rental_id')
      .notNull()
      .references(() => rentals.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    outcome: text('outcome', { enum: ['invited', 'not_eligible', 'sampled_out', 'fatigue', 'opted_out', 'no_contact'] }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('invitation_decisions_survey_rental_uq').on(t.surveyId, t.rentalId), index('invitation_decisions_survey_at_idx').on(t.surveyId, t.decidedAt)],
);

// One message to send: the invitation (step 0) or a reminder (steps 1–2). Its pg-boss job carries only the id.
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invitationId: uuid('invitation_id')
      .notNull()
      .references(() => invitations.id),
    step: integer('step').notNull(),
    kind: text('kind', { enum: ['invitation', 'reminder_not_opened', 'reminder_unfinished'] }).notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    status: text('status', { enum: ['scheduled', 'queued', 'sent', 'failed', 'dead', 'skipped', 'cancelled'] })
      .notNull()
      .default('scheduled'),
    // accepted | unconfirmed | outbox (sent); bounced | bad_address | no_address (failed); why skipped / cancelled.
    outcome: text('outcome'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('deliveries_invitation_step_uq').on(t.invitationId, t.step),
    index('deliveries_status_due_idx').on(t.status, t.dueAt),
  ],
);

// Each hand-over to a provider. The idempotency key (invitation, step, channel, address) can be claimed by
// one attempt that is handing over or was accepted: a second hand-over of the same message is refused.
export const sendAttempts = pgTable(
  'send_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    idempotencyKey: text('idempotency_key').notNull(),
    transport: text('transport', { enum: ['smtp', 'sms_webhook', 'outbox'] }).notNull(),
    state: text('state', { enum: ['handing', 'accepted', 'rejected'] }).notNull(),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('send_attempts_key_claim_uq').on(t.idempotencyKey).where(sql`state in ('handing', 'accepted')`),
    index('send_attempts_delivery_idx').on(t.deliveryId),
  ],
);

// Messages kept in the database when no SMTP server or SMS provider is configured (GET /api/outbox).
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .unique()
      .references(() => deliveries.id),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject'),
    text: text('text').notNull(),
    html: text('html'),
    link: text('link').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('outbox_messages_created_idx').on(t.createdAt)],
);

// Addresses a provider refused for good (bounce, unknown number): skipped from then on.
export const badAddresses = pgTable(
  'bad_addresses',
  {
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    address: text('address').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.address] })],
);

export const importJobs = pgTable('import_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind', { enum: ['rentals'] }).notNull().default('rentals'),
  fileName: text('file_name').notNull(),
  filePath: text('file_path').notNull(),
  bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull(),
  status: text('status', { enum: ['uploaded', 'queued', 'running', 'done', 'failed'] }).notNull().default('uploaded'),
  header: jsonb('header').notNull(),
  mapping: jsonb('mapping'),
  options: jsonb('options'),
  // Rows of the file (after the header) fully processed: a restart resumes after them.
  rowsDone: integer('rows_done').notNull().default(0),
  rowsCreated: integer('rows_created').notNull().default(0),
  rowsUpdated: integer('rows_updated').notNull().default(0),
  rowsUnchanged: integer('rows_unchanged').notNull().default(0),
  rowsRejected: integer('rows_rejected').notNull().default(0),
  invitationsCreated: integer('invitations_created').notNull().default(0),
  bytesDone: bigint('bytes_done', { mode: 'number' }).notNull().default(0),
  // Working time measured by the runner (for rows per second), whatever the application clock says.
  elapsedMs: bigint('elapsed_ms', { mode: 'number' }).notNull().default(0),
  error: text('error'),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const importRejections = pgTable(
  'import_rejections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    importId: uuid('import_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    // 1 = the first data row after the header.
    rowNumber: integer('row_number').notNull(),
    // The mapped fields at fault, and why ("returnedAt: not a date; email: not an email address").
    fields: text('fields').array().notNull(),
    reason: text('reason').notNull(),
    externalId: text('external_id'),
  },
  (t) => [unique('import_rejections_import_row_uq').on(t.importId, t.rowNumber)],
);

// Small facts the distribution worker keeps between runs (e.g. when segments were last refreshed).
export const distributionState = pgTable('distribution_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------------------------------------
// Analytics (api/src/analytics): two rollups the analytics queries read instead of `answers`. The
// facts: one row per finished response (`values[k]` is the answer in slot k of the survey's layout,
// analytics_surveys.slots: "question" or "question.item"; a problems checklist holds its number of
// problems). The daily sums: one row per survey, branch and day. Statement-level triggers on answers
// and responses (migrations 0005_analytics_facts, 0010_analytics_daily) list changed responses in
// analytics_dirty; the analytics API brings both up to date before it reads
// (api/src/analytics/facts.ts). Nothing else writes these tables.
// ---------------------------------------------------------------------------------------------

export const analyticsResponseFacts = pgTable(
  'analytics_response_facts',
  {
    // No foreign key: a deleted response's row stays until the next read removes it (and, knowing its
    // branch and day, updates the daily rollup); the triggers list the deletion in analytics_dirty.
    responseId: uuid('response_id').primaryKey(),
    surveyId: uuid('survey_id').notNull(),
    branchId: uuid('branch_id'),
    customerId: uuid('customer_id'),
    rentalId: uuid('rental_id'),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
    values: smallint('values').array().notNull(),
    // Per-respondent dimension scores (0–100, in the order of the newest definition's dimensions) and
    // the per-respondent index over them; rebuilt when the dimensions change (analytics_surveys.signature).
    dimensions: doublePrecision('dimensions').array().notNull(),
    csi: doublePrecision('csi'),
  },
  (t) => [
    index('analytics_facts_survey_finished_idx').on(t.surveyId, t.finishedAt),
    index('analytics_facts_branch_finished_idx').on(t.branchId, t.finishedAt),
  ],
);

/** Slot layout per survey; a row here means the survey's facts have been built once. */
export const analyticsSurveys = pgTable('analytics_surveys', {
  surveyId: uuid('survey_id')
    .primaryKey()
    .references(() => surveys.id, { onDelete: 'cascade' }),
  slots: text('slots').array().notNull(),
  // The dimensions (items, scales, weights) the per-respondent scores were computed with.
  signature: text('signature').notNull(),
  // What the daily rollup was summed with (metric slots, scales, time zone); null = not built.
  dailySignature: text('daily_signature'),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The facts summed per survey, branch and day (company time zone): what the headline blocks need, so a
 * summary or trend without segment filters reads one row per branch and day instead of one per response.
 * Arrays follow the plan's dimension items and dimensions (see api/src/analytics/daily.ts).
 */
export const analyticsDaily = pgTable(
  'analytics_daily',
  {
    surveyId: uuid('survey_id').notNull(),
    branchId: uuid('branch_id'),
    day: date('day', { mode: 'string' }).notNull(),
    responses: integer('responses').notNull(),
    npsN: integer('nps_n').notNull(),
    promoters: integer('promoters').notNull(),
    detractors: integer('detractors').notNull(),
    csatN: integer('csat_n').notNull(),
    csatTop2: integer('csat_top2').notNull(),
    csatSum: doublePrecision('csat_sum').notNull(),
    itemN: integer('item_n').array().notNull(),
    itemSum: doublePrecision('item_sum').array().notNull(),
    dimN: integer('dim_n').array().notNull(),
    csiN: integer('csi_n').notNull(),
    csiSum: doublePrecision('csi_sum').notNull(),
    csiSumsq: doublePrecision('csi_sumsq').notNull(),
    ppN: integer('pp_n').notNull(),
    ppSum: doublePrecision('pp_sum').notNull(),
    ppSumsq: doublePrecision('pp_sumsq').notNull(),
    ppAny: integer('pp_any').notNull(),
    // Driver analysis with the default outcome (recommend) on the dimensions: the listwise-complete n,
    // Σx and the upper triangle of Σx·x over [y, dimension scores …].
    driverN: integer('driver_n').notNull().default(0),
    driverSums: doublePrecision('driver_sums').array().notNull().default(sql`'{}'`),
    driverProducts: doublePrecision('driver_products').array().notNull().default(sql`'{}'`),
  },
  (t) => [unique('analytics_daily_key_uq').on(t.surveyId, t.day, t.branchId).nullsNotDistinct()],
);

/** Responses whose answers or status changed since their facts row was written. */
export const analyticsDirty = pgTable('analytics_dirty', {
  responseId: uuid('response_id').primaryKey(),
});
