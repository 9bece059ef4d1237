// The single source of truth for the database. Migrations in api/drizzle are generated from this file
// (`npm run db:generate`) and applied at start-up.

import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
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
