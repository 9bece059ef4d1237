// The single source of truth for the database. Migrations in api/drizzle are generated from this file
// (`npm run db:generate`) and applied at start-up.

import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  foreignKey,
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

// Regions, managed by administrators (drizzle/0017_access_regions.sql). Regional managers see the
// branches of their regions.
export const regions = pgTable(
  'regions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('regions_id_code_uq').on(t.id, t.code)],
);

export const branches = pgTable(
  'branches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    city: text('city').notNull(),
    // The region's code, kept equal to regions.code by the foreign key on (region_id, region); what analytics,
    // targeting and alert rules filter and group by. A trigger fills region_id from it (or it from region_id).
    region: text('region').notNull(),
    regionId: uuid('region_id').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    // Where promoters may be invited to share their experience (review site, app store…).
    shareUrl: text('share_url'),
    managerEmail: text('manager_email'),
    // Inactive branches stay for history (rentals, statistics) but are no longer offered for new choices.
    active: boolean('active').notNull().default(true),
    // The brand customers of this branch see (survey page, invitations, SMS sender); null = no brand.
    brandId: uuid('brand_id').references((): AnyPgColumn => brands.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'branches_region_fk', columns: [t.regionId, t.region], foreignColumns: [regions.id, regions.code] }).onUpdate('cascade'),
    index('branches_region_id_idx').on(t.regionId),
    index('branches_brand_id_idx').on(t.brandId),
  ],
);

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
    customerType: text('customer_type', { enum: ['business', 'leisure'] })
      .notNull()
      .default('leisure'),
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
    index('rentals_customer_picked_up_idx').on(t.customerId, t.pickedUpAt),
    // 0024_scale_indexes: the filter options' skip scan over the vehicle classes.
    index('rentals_vehicle_class_idx').on(t.vehicleClass),
    // 0025_segment_rollup: a rental added or removed reclassifies the customer's unflagged rentals (new/returning).
    index('rentals_customer_unflagged_idx').on(t.customerId).where(sql`repeat_customer is null`),
  ],
);

export const surveys = pgTable('surveys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  // Which template it came from; `post_rental` surveys receive rental invitations.
  kind: text('kind').notNull().default('custom'),
  status: text('status', { enum: ['draft', 'active', 'archived'] })
    .notNull()
    .default('draft'),
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
    channel: text('channel', { enum: ['email', 'sms', 'link'] })
      .notNull()
      .default('link'),
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
    index('invitations_version_idx').on(t.surveyVersionId),
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
    // Index in the version's definition.pages where the customer continues, and the furthest page shown
    // to them: a reopened link lands there, never past a page not yet seen (null: the first shown page).
    resumePage: integer('resume_page'),
    furthestPage: integer('furthest_page'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('responses_survey_finished_idx').on(t.surveyId, t.finishedAt),
    index('responses_branch_finished_idx').on(t.branchId, t.finishedAt),
    // The explorer's newest-first page and the survey pages' counts (drizzle/0026_view_speed.sql).
    index('responses_survey_newest_idx').on(t.surveyId, sql`(coalesce(${t.finishedAt}, ${t.startedAt})) desc`, t.id),
    index('responses_survey_done_idx').on(t.surveyId).where(sql`${t.status} = 'finished'`),
    index('responses_version_done_idx').on(t.surveyVersionId).where(sql`${t.status} = 'finished'`),
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
  role: text('role', { enum: ['admin', 'quality_manager', 'branch_manager', 'regional_manager', 'executive'] }).notNull(),
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

// The regions a regional manager sees: every branch of each, including branches added later.
export const userRegions = pgTable(
  'user_regions',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.regionId] }), index('user_regions_region_idx').on(t.regionId)],
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
    // Hash of the email as typed: lock-outs are per account and client address (null for older rows).
    accountKey: text('account_key'),
    succeeded: boolean('succeeded').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_attempts_client_at_idx').on(t.clientKey, t.at), index('login_attempts_account_at_idx').on(t.accountKey, t.at)],
);

/** Rate-limit counters shared by all app processes: hits per key and one-second bucket (responses/rate-limit.ts). */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').notNull(),
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.bucket] }), index('rate_limit_hits_bucket_idx').on(t.bucket)],
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
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt), index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt)],
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
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    assignTo: text('assign_to', { enum: ['branch_manager', 'team'] })
      .notNull()
      .default('branch_manager'),
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
    // Null for a complaint opened by staff (channel other than survey; drizzle/0020_complaints_action_plans.sql).
    ruleId: uuid('rule_id').references(() => alertRules.id),
    responseId: uuid('response_id').references(() => responses.id),
    // `rule:<rule id>:response:<response id>`: one case per response per rule, however often rules run;
    // `complaint:<key>` for a complaint (the form's key: a double submit opens one case).
    idempotencyKey: text('idempotency_key').notNull().unique(),
    surveyId: uuid('survey_id').references(() => surveys.id),
    // Where the complaint arrived: survey (raised by an alert rule), phone, email, counter, social.
    channel: text('channel', { enum: ['survey', 'phone', 'email', 'counter', 'social'] })
      .notNull()
      .default('survey'),
    // What the customer said, as staff wrote it down (complaints only).
    description: text('description'),
    openedByUserId: uuid('opened_by_user_id').references(() => users.id, { onDelete: 'set null' }),
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
    index('cases_channel_created_idx').on(t.channel, t.createdAt),
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
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
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
  (t) => [unique('deliveries_invitation_step_uq').on(t.invitationId, t.step), index('deliveries_status_due_idx').on(t.status, t.dueAt)],
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

export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['rentals'] })
      .notNull()
      .default('rentals'),
    fileName: text('file_name').notNull(),
    filePath: text('file_path').notNull(),
    bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['uploaded', 'queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('uploaded'),
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
    // The lease of the process running it (api/src/distribution/import.runner.ts): a stale heartbeat means
    // the runner died, and the import is resumed by another.
    runnerId: uuid('runner_id'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('import_jobs_running_idx').on(t.heartbeatAt).where(sql`${t.status} = 'running'`)],
);

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
// (api/src/analytics/engine/facts.queries.ts). Nothing else writes these tables.
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
    // 0025_segment_rollup: a customer's or rental's segment change lists their responses as changed.
    index('analytics_facts_rental_idx').on(t.rentalId),
    index('analytics_facts_customer_idx').on(t.customerId),
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
  // The same for the segment rollup (analytics_segments); null = not built.
  segmentsSignature: text('segments_signature'),
  // The dimensions and items both rollups keep driver sums of (api/src/analytics/engine/daily.queries.ts, DriverSets).
  driverSets: jsonb('driver_sets'),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The facts summed per survey, branch and day (company time zone): what the headline blocks need, so a
 * summary or trend without segment filters reads one row per branch and day instead of one per response.
 * Arrays follow the plan's dimension items and dimensions (see api/src/analytics/engine/daily.queries.ts).
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
    csatTopBox: integer('csat_top_box').notNull().default(0),
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
    // The same over [y, every dimension item] (drivers=items).
    itemDriverN: integer('item_driver_n').notNull().default(0),
    itemDriverSums: doublePrecision('item_driver_sums').array().notNull().default(sql`'{}'`),
    itemDriverProducts: doublePrecision('item_driver_products').array().notNull().default(sql`'{}'`),
  },
  (t) => [unique('analytics_daily_key_uq').on(t.surveyId, t.day, t.branchId).nullsNotDistinct()],
);

/**
 * The same sums per survey, branch, period and one segment at a time (kind tier, customerType, vehicleClass,
 * channel or newReturning, and its value; kind 'all' = every response). Grain 'day' (segments only: the days of
 * kind 'all' are analytics_daily) and 'month' (day = the month's first day). Segment days carry no item driver
 * sums (empty arrays). See api/src/analytics/engine/segments.queries.ts.
 */
export const analyticsSegments = pgTable(
  'analytics_segments',
  {
    surveyId: uuid('survey_id').notNull(),
    kind: text('kind').notNull(),
    grain: text('grain', { enum: ['day', 'month'] }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    branchId: uuid('branch_id'),
    value: text('value').notNull(),
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
    csatTopBox: integer('csat_top_box').notNull(),
    driverN: integer('driver_n').notNull(),
    driverSums: doublePrecision('driver_sums').array().notNull(),
    driverProducts: doublePrecision('driver_products').array().notNull(),
    itemDriverN: integer('item_driver_n').notNull(),
    itemDriverSums: doublePrecision('item_driver_sums').array().notNull(),
    itemDriverProducts: doublePrecision('item_driver_products').array().notNull(),
  },
  (t) => [unique('analytics_segments_key_uq').on(t.surveyId, t.kind, t.grain, t.day, t.branchId, t.value).nullsNotDistinct()],
);

/** Responses whose answers or status changed since their facts row was written. */
export const analyticsDirty = pgTable('analytics_dirty', {
  responseId: uuid('response_id').primaryKey(),
});

/** Text analytics: the editable topic lexicon (drizzle/0016_text_topics.sql). */
export const textTopics = pgTable('text_topics', {
  id: text('id').primaryKey(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  position: integer('position').notNull().default(0),
  updatedAt: updatedAt(),
});

export const textTopicTerms = pgTable(
  'text_topic_terms',
  {
    topicId: text('topic_id')
      .notNull()
      .references(() => textTopics.id, { onDelete: 'cascade' }),
    language: text('language', { enum: ['zh', 'en'] }).notNull(),
    term: text('term').notNull(),
  },
  (t) => [primaryKey({ name: 'text_topic_terms_pk', columns: [t.topicId, t.language, t.term] })],
);

/** Per finished response: language, sentiment and other phrases of its comments. */
export const responseText = pgTable('response_text', {
  responseId: uuid('response_id')
    .primaryKey()
    .references(() => responses.id, { onDelete: 'cascade' }),
  language: text('language').notNull(),
  sentiment: doublePrecision('sentiment').notNull(),
  label: text('label').notNull(),
  phrases: text('phrases').array().notNull().default(sql`'{}'`),
  lexiconVersion: bigint('lexicon_version', { mode: 'number' }).notNull(),
  analysedAt: timestamp('analysed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per topic a finished response's comments mention, with the sentiment of that mention. */
export const responseTopics = pgTable(
  'response_topics',
  {
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    topicId: text('topic_id')
      .notNull()
      .references(() => textTopics.id, { onDelete: 'cascade' }),
    sentiment: doublePrecision('sentiment').notNull(),
    label: text('label').notNull(),
    terms: text('terms').array().notNull().default(sql`'{}'`),
  },
  (t) => [primaryKey({ name: 'response_topics_pk', columns: [t.responseId, t.topicId] }), index('response_topics_topic_idx').on(t.topicId, t.responseId)],
);

export const textLexiconState = pgTable('text_lexicon_state', {
  id: integer('id').primaryKey().default(1),
  version: bigint('version', { mode: 'number' }).notNull().default(1),
});

/**
 * Responses whose comments wait for analysis (written, changed or removed by a statement the submit path
 * did not analyse, or listed again by a lexicon edit); filled by triggers on answers (drizzle/0026_view_speed.sql).
 */
export const textAnalysisPending = pgTable('text_analysis_pending', {
  responseId: uuid('response_id')
    .primaryKey()
    .references(() => responses.id, { onDelete: 'cascade' }),
});

// ── Targets and brands (issue 18 parts 1 and 3; drizzle/0023_targets_brands.sql) ──────────────────────

/** A target value per metric for the company, a region or a branch, for one period (year, quarter, month). */
export const targets = pgTable(
  'targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    metric: text('metric', { enum: ['nps', 'csi', 'csat_top2', 'csat_top_box', 'pp100', 'response_rate', 'sla_hit_rate'] }).notNull(),
    level: text('level', { enum: ['company', 'region', 'branch'] }).notNull(),
    regionId: uuid('region_id').references(() => regions.id, { onDelete: 'cascade' }),
    branchId: uuid('branch_id').references(() => branches.id, { onDelete: 'cascade' }),
    // "2026", "2026-Q3" or "2026-07"; its first and last day.
    period: text('period').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('targets_key_uq').on(t.metric, t.level, t.regionId, t.branchId, t.period).nullsNotDistinct(),
    index('targets_period_idx').on(t.periodEnd, t.periodStart),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A brand customers see instead of the product: name, logo, colours (contrast-checked), sender and legal footer. */
export const brands = pgTable('brands', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  primaryColor: text('primary_color').notNull(),
  onPrimaryColor: text('on_primary_color').notNull(),
  senderName: text('sender_name').notNull(),
  senderEmail: text('sender_email').notNull(),
  smsSender: text('sms_sender').notNull(),
  legalFooter: text('legal_footer').notNull().default(''),
  legalFooterEn: text('legal_footer_en'),
  logo: bytea('logo'),
  logoType: text('logo_type'),
  logoUpdatedAt: timestamp('logo_updated_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ── Complaints from every channel and action plans (drizzle/0020_complaints_action_plans.sql) ─────────

const complaintBytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** A file attached to a case (a photo, a scanned receipt, the email the customer sent): type and size checked on upload. */
export const caseAttachments = pgTable(
  'case_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: complaintBytes('content').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_attachments_case_idx').on(t.caseId, t.createdAt)],
);

/** Per priority: the "golden" time to first contact, and the time limits of complaints opened by staff. */
export const casePrioritySettings = pgTable('case_priority_settings', {
  priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).primaryKey(),
  goldenFirstContactMinutes: integer('golden_first_contact_minutes').notNull(),
  firstResponseHours: integer('first_response_hours').notNull(),
  resolutionHours: integer('resolution_hours').notNull(),
  updatedAt: updatedAt(),
});

/** An action plan: what a manager will do about a driver, a problem or a comment topic, and the figure it should move. */
export const actionPlans = pgTable(
  'action_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigserial('number', { mode: 'number' }).notNull().unique(),
    title: text('title').notNull(),
    sourceKind: text('source_kind', { enum: ['driver', 'problem', 'topic', 'manual'] }).notNull(),
    sourceKey: text('source_key'),
    sourceLabel: text('source_label'),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    metric: text('metric', { enum: ['nps', 'csi', 'csat', 'pp100'] }).notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    ownerName: text('owner_name'),
    ownerEmail: text('owner_email').notNull(),
    startDate: date('start_date').notNull(),
    dueDate: date('due_date').notNull(),
    status: text('status', { enum: ['planned', 'in_progress', 'done', 'cancelled'] })
      .notNull()
      .default('planned'),
    notes: text('notes').notNull().default(''),
    createdBy: text('created_by').notNull(),
    overdueRemindedAt: timestamp('overdue_reminded_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('action_plans_due_idx').on(t.status, t.dueDate)],
);

export const actionPlanBranches = pgTable(
  'action_plan_branches',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
  },
  (t) => [primaryKey({ name: 'action_plan_branches_pk', columns: [t.planId, t.branchId] }), index('action_plan_branches_branch_idx').on(t.branchId)],
);

/** Reminder e-mails about overdue plans, sent like case notifications (once per plan, due date and recipient). */
export const actionPlanNotifications = pgTable(
  'action_plan_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    recipient: text('recipient').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('action_plan_notifications_status_idx').on(t.status, t.createdAt)],
);

// ── Rewards for feedback (drizzle/0019_rewards.sql) ───────────────────────────────────────────────────
// A programme per survey; its pool of codes; one code per finished response and at most one per customer
// and period (reward_codes_customer_period_uq); alerts to quality managers when the pool runs low.
export const rewardProgrammes = pgTable(
  'reward_programmes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind', { enum: ['coupon', 'points'] })
      .notNull()
      .default('coupon'),
    period: text('period', { enum: ['month', 'quarter', 'year'] })
      .notNull()
      .default('month'),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(20),
    active: boolean('active').notNull().default(true),
    lowStockAlertedAt: timestamp('low_stock_alerted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('reward_programmes_survey_uq').on(t.surveyId)],
);

export const rewardCodes = pgTable(
  'reward_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rewardProgrammes.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    responseId: uuid('response_id').references(() => responses.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    branchId: uuid('branch_id').references(() => branches.id, { onDelete: 'set null' }),
    valueTier: text('value_tier'),
    periodStart: date('period_start'),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    redeemedBranch: text('redeemed_branch'),
    messageChannel: text('message_channel'),
    messageStatus: text('message_status'),
    messageAttempts: integer('message_attempts').notNull().default(0),
    messageError: text('message_error'),
    messageSentAt: timestamp('message_sent_at', { withTimezone: true }),
  },
  (t) => [
    unique('reward_codes_code_uq').on(t.programmeId, t.code),
    unique('reward_codes_response_uq').on(t.responseId),
    uniqueIndex('reward_codes_customer_period_uq').on(t.programmeId, t.customerId, t.periodStart).where(sql`${t.customerId} IS NOT NULL`),
    index('reward_codes_available_idx').on(t.programmeId, t.addedAt, t.code).where(sql`${t.issuedAt} IS NULL`),
    index('reward_codes_issued_idx').on(t.programmeId, t.issuedAt).where(sql`${t.issuedAt} IS NOT NULL`),
  ],
);

// A reward earned while the pool was empty (drizzle/0029_reward_owed.sql): settled with the oldest code
// added later, or without one when the customer got a code of that period meanwhile.
export const rewardOwed = pgTable(
  'reward_owed',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => rewardProgrammes.id, { onDelete: 'cascade' }),
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    branchId: uuid('branch_id').references(() => branches.id, { onDelete: 'set null' }),
    periodStart: date('period_start').notNull(),
    owedAt: timestamp('owed_at', { withTimezone: true }).notNull(),
    codeId: uuid('code_id').references(() => rewardCodes.id, { onDelete: 'set null' }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('reward_owed_customer_period_uq').on(t.programmeId, t.customerId, t.periodStart),
    index('reward_owed_open_idx').on(t.programmeId, t.owedAt).where(sql`${t.settledAt} IS NULL`),
  ],
);

export const rewardAlerts = pgTable('reward_alerts', {
  id: uuid('id').primaryKey().defaultRandom(),
  programmeId: uuid('programme_id')
    .notNull()
    .references(() => rewardProgrammes.id, { onDelete: 'cascade' }),
  recipient: text('recipient').notNull(),
  remaining: integer('remaining').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique('reward_alerts_key_uq'),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  status: text('status', { enum: ['pending', 'sent', 'failed'] })
    .notNull()
    .default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  createdAt: createdAt(),
});

// ── Loyalty: the ladder's thresholds, the index weights and the value assumptions (drizzle/0021_loyalty.sql) ──
// One row (id 1), written by the quality manager on /loyalty; fields it lacks take the documented defaults
// (DEFAULT_LOYALTY_SETTINGS in api/src/analytics/engine/statistics/loyalty.ts).
export const loyaltySettings = pgTable('loyalty_settings', {
  id: smallint('id').primaryKey().default(1),
  settings: jsonb('settings').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// ── Reports in the inbox: digest subscriptions and what was sent (drizzle/0022_report_subscriptions.sql) ──
export const reportSubscriptions = pgTable(
  'report_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    frequency: text('frequency', { enum: ['weekly', 'monthly'] }).notNull(),
    // ISO weekday of a weekly digest (1 = Monday); monthly digests go on the 1st.
    weekday: smallint('weekday').notNull().default(1),
    // Local hour (company time zone) the digest goes out.
    sendHour: smallint('send_hour').notNull().default(8),
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull(),
    // all = everything the user sees; region / branches = these codes, within what the user sees.
    scopeKind: text('scope_kind', { enum: ['all', 'region', 'branches'] })
      .notNull()
      .default('all'),
    scopeCodes: text('scope_codes').array().notNull().default(sql`'{}'::text[]`),
    attachPdf: boolean('attach_pdf').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('report_subscriptions_user_uq').on(t.userId)],
);

export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => reportSubscriptions.id, { onDelete: 'cascade' }),
    // 2026-W23 / 2026-06 for scheduled digests; test:<uuid> for "send me a test now".
    periodKey: text('period_key').notNull(),
    kind: text('kind', { enum: ['scheduled', 'test'] }).notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [unique('report_deliveries_period_uq').on(t.subscriptionId, t.periodKey)],
);

// ── Open feedback links and the in-email first question (drizzle/0018_open_links.sql) ─────────────────
// Per branch (and optionally a vehicle or counter tag) a link of a survey that anyone may answer.
export const openLinks = pgTable(
  'open_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    tag: text('tag'),
    active: boolean('active').notNull().default(true),
    maxPerDevice: integer('max_per_device').notNull().default(1),
    maxPerAddress: integer('max_per_address').notNull().default(20),
    minSeconds: integer('min_seconds').notNull().default(5),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('open_links_survey_branch_tag_uq').on(t.surveyId, t.branchId, sql`coalesce(${t.tag}, '')`).where(sql`${t.active}`),
    index('open_links_branch_idx').on(t.branchId),
  ],
);

// The responses that came through an open link (their channel is open_link in every analysis).
export const openLinkResponses = pgTable(
  'open_link_responses',
  {
    responseId: uuid('response_id')
      .primaryKey()
      .references(() => responses.id, { onDelete: 'cascade' }),
    openLinkId: uuid('open_link_id')
      .notNull()
      .references(() => openLinks.id),
    tag: text('tag'),
    rentalVerified: boolean('rental_verified').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('open_link_responses_link_idx').on(t.openLinkId, t.createdAt)],
);

// Answers per device (cookie hash) and per client address (hash), per link and company day.
export const openLinkCounters = pgTable(
  'open_link_counters',
  {
    openLinkId: uuid('open_link_id')
      .notNull()
      .references(() => openLinks.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['device', 'address'] }).notNull(),
    keyHash: text('key_hash').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    answers: integer('answers').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'open_link_counters_pk', columns: [t.openLinkId, t.kind, t.keyHash, t.day] }), index('open_link_counters_day_idx').on(t.day)],
);

// Invitation emails that carried the 0–10 recommendation scale as links, and the score clicked there.
export const emailFirstQuestion = pgTable('email_first_question', {
  invitationId: uuid('invitation_id')
    .primaryKey()
    .references(() => invitations.id),
  questionId: text('question_id').notNull(),
  shownAt: timestamp('shown_at', { withTimezone: true }).notNull().defaultNow(),
  score: smallint('score'),
  clickedAt: timestamp('clicked_at', { withTimezone: true }),
  clicks: integer('clicks').notNull().default(0),
});
