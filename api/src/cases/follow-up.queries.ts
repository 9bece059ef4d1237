// The SQL of the follow-up job (follow-up.ts): finding or making the follow-up survey, and the case it is for.
import { and, desc, eq, sql } from 'drizzle-orm';
import { cases, surveys, surveyVersions } from '../db/schema.ts';
import type { SqlClient } from '../queue/queue.ts';
import type { Executor } from './assignment.ts';

/** Serialises the creation of the follow-up survey for the rest of the transaction. */
export async function lockFollowUpSurveyCreation(db: Executor) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('cases.follow-up-survey'))`);
}

/** The newest active survey of `kind` at its newest version. */
export async function activeSurveyOfKind(db: Executor, kind: string) {
  const [existing] = await db
    .select({ surveyId: surveys.id, versionId: surveyVersions.id })
    .from(surveys)
    .innerJoin(surveyVersions, eq(surveyVersions.surveyId, surveys.id))
    .where(and(eq(surveys.kind, kind), eq(surveys.status, 'active')))
    .orderBy(desc(surveys.createdAt), desc(surveyVersions.version))
    .limit(1);
  return existing ?? null;
}

/** The newest draft survey of `kind`. */
export async function draftSurveyOfKind(db: Executor, kind: string) {
  const [draft] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.kind, kind), eq(surveys.status, 'draft')))
    .orderBy(desc(surveys.createdAt))
    .limit(1);
  return draft ?? null;
}

export async function lockCase(db: Executor, caseId: string) {
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId)).for('update');
  return row ?? null;
}

export async function setCase(db: Executor, caseId: string, set: Partial<typeof cases.$inferInsert>) {
  await db.update(cases).set(set).where(eq(cases.id, caseId));
}

// ── The follow-up invitation (invite.ts) ──────────────────────────────────────────────────────────

/** The follow-up survey's invitation already made for this rental (a second case on it shares it). */
export async function invitationOfRental(sql: SqlClient, surveyId: string, rentalId: string) {
  const [existing] = await sql<{ id: string; channel: string }[]>`
    select id, channel from invitations where survey_id = ${surveyId} and rental_id = ${rentalId}`;
  return existing ?? null;
}

export interface FollowUpContact {
  email: string | null;
  phone: string | null;
  consent_email: boolean;
  consent_sms: boolean;
  email_bad: boolean;
  phone_bad: boolean;
  opted_out: boolean;
  time_zone: string;
}

/** The customer's addresses, consents and bad addresses, and the branch's time zone. */
export async function followUpContact(sql: SqlClient, customerId: string, branchId: string): Promise<FollowUpContact | undefined> {
  const [customer] = await sql<FollowUpContact[]>`
    select c.email, c.phone, c.consent_email, c.consent_sms,
      c.email_bad or exists (select 1 from bad_addresses x where x.channel = 'email' and x.address = c.email) as email_bad,
      c.phone_bad or exists (select 1 from bad_addresses x where x.channel = 'sms' and x.address = regexp_replace(c.phone, '[^0-9+]', '', 'g')) as phone_bad,
      (c.opted_out_at is not null or c.erased_at is not null) as opted_out,
      b.time_zone
    from customers c, branches b
    where c.id = ${customerId} and b.id = ${branchId}`;
  return customer;
}

/** The invitation and its first delivery (queued when due now, else scheduled). */
export async function insertFollowUpInvitation(
  sql: SqlClient,
  v: {
    id: string;
    surveyId: string;
    versionId: string;
    rentalId: string | null;
    customerId: string;
    branchId: string;
    tokenHash: string;
    channel: string;
    deliveryId: string;
    dueAt: Date;
    expiresAt: Date;
    dueNow: boolean;
    now: Date;
  },
) {
  await sql`
    insert into invitations (id, survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, scheduled_at, expires_at, created_at)
    values (${v.id}, ${v.surveyId}, ${v.versionId}, ${v.rentalId}, ${v.customerId}, ${v.branchId}, ${v.tokenHash}, ${v.channel}, 'scheduled',
      ${v.dueAt.toISOString()}, ${v.expiresAt.toISOString()}, ${v.now.toISOString()})`;
  await sql`
    insert into deliveries (id, invitation_id, step, kind, channel, status, due_at, queued_at, created_at, updated_at)
    values (${v.deliveryId}, ${v.id}, 0, 'invitation', ${v.channel}, ${v.dueNow ? 'queued' : 'scheduled'}, ${v.dueAt.toISOString()},
      ${v.dueNow ? v.now.toISOString() : null}, ${v.now.toISOString()}, ${v.now.toISOString()})`;
}
