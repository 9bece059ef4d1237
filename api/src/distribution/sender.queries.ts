// The send lanes' statements, each for a group of deliveries at once (sender.ts writes them through
// GroupWrite: one statement and one commit for whatever several lanes need at the same moment).
import type { SqlClient } from '../queue/queue.ts';
import type { Channel, MessageKind } from './rules.schemas.ts';

export interface DeliveryRow {
  id: string;
  invitation_id: string;
  step: number;
  kind: MessageKind;
  channel: Channel;
  status: string;
  /** The delivery's take count after this take: the lease its claim must still hold. */
  attempts: number;
  inv_status: string;
  token_hash: string;
  expires_at: string;
  opened_at: string | null;
  survey_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: string | null;
  consent_email: boolean;
  consent_sms: boolean;
  opted_out: boolean;
  email_bad: boolean;
  phone_bad: boolean;
  branch_name: string;
  branch_name_en: string | null;
  brand_id: string | null;
  time_zone: string;
  picked_up_at: string | null;
  returned_at: string | null;
  vehicle_class: string | null;
  response_status: string | null;
  rules: unknown;
  survey_version_id: string;
  claims: string[];
}

/**
 * Takes up queued deliveries: counts the attempt and reads everything the message needs, with the claims
 * already made on it, in one statement. A delivery no longer queued is missing from the answer.
 */
export async function takeDeliveries(sql: SqlClient, takes: { id: string; at: Date }[]): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    with t as (
      -- times as text: the client serialises arrays of the types it knows (text, uuid)
      select t.id, t.at::timestamptz as at from unnest(${takes.map((t) => t.id)}::uuid[], ${takes.map((t) => t.at.toISOString())}::text[]) as t(id, at)
    ), d as (
      update deliveries set attempts = attempts + 1, updated_at = t.at
      from t where deliveries.id = t.id and deliveries.status = 'queued'
      returning deliveries.id, deliveries.invitation_id, deliveries.step, deliveries.kind, deliveries.channel, deliveries.status, deliveries.attempts
    )
    select d.id, d.invitation_id, d.step, d.kind, d.channel, d.status, d.attempts,
      i.status as inv_status, i.token_hash, i.expires_at, i.opened_at, i.survey_id, i.survey_version_id,
      c.name, c.email, c.phone, c.preferred_language, c.consent_email, c.consent_sms,
      (c.opted_out_at is not null or c.erased_at is not null) as opted_out,
      c.email_bad or exists (select 1 from bad_addresses x where x.channel = 'email' and x.address = c.email) as email_bad,
      c.phone_bad or exists (select 1 from bad_addresses x where x.channel = 'sms' and x.address = regexp_replace(c.phone, '[^0-9+]', '', 'g')) as phone_bad,
      b.name as branch_name, b.name_en as branch_name_en, b.brand_id, b.time_zone,
      r.picked_up_at, r.returned_at, r.vehicle_class,
      (select s.status from responses s where s.invitation_id = i.id) as response_status,
      (select x.rules from invitation_rules x where x.survey_id = i.survey_id) as rules,
      array(select a.idempotency_key from send_attempts a where a.delivery_id = d.id and a.state in ('handing', 'accepted')) as claims
    from d
    join invitations i on i.id = d.invitation_id
    join customers c on c.id = i.customer_id
    join branches b on b.id = i.branch_id
    left join rentals r on r.id = i.rental_id`;
}

export interface Claim {
  deliveryId: string;
  /** The take count the claimant read (DeliveryRow.attempts): a later take by another worker voids the claim. */
  taken: number;
  key: string;
  transport: string;
  at: Date;
  /** The invitation email's first question shown as a scale (open_links): noted with the claim, once per invitation. */
  emailQuestion: { invitationId: string; questionId: string } | null;
}

/**
 * Claims idempotency keys for hand-overs (attempts in state `handing`); returns the claim's id per key, absent
 * for a key another attempt holds (handing or accepted), and for a delivery that is no longer queued or was
 * taken again since (its job expired and another worker has it: that worker decides, from fresher facts such
 * as an answer given meanwhile). A key twice in one group is claimed once.
 */
export async function claimKeys(sql: SqlClient, claims: Claim[]): Promise<Map<string, number>> {
  const noted = claims.filter((c) => c.emailQuestion !== null);
  const rows = await sql<{ id: string; idempotency_key: string }[]>`
    with claimed as (
      insert into send_attempts (delivery_id, idempotency_key, transport, state, started_at)
      select x.delivery_id, x.key, x.transport, 'handing', x.at::timestamptz
      from unnest(${claims.map((c) => c.deliveryId)}::uuid[], ${claims.map((c) => c.key)}::text[], ${claims.map((c) => c.transport)}::text[],
        ${claims.map((c) => c.at.toISOString())}::text[], ${claims.map((c) => c.taken)}::int[]) as x(delivery_id, key, transport, at, taken)
      join deliveries d on d.id = x.delivery_id and d.status = 'queued' and d.attempts = x.taken
      on conflict (idempotency_key) where state in ('handing', 'accepted') do nothing
      returning id, idempotency_key
    ), noted as (
      insert into email_first_question (invitation_id, question_id, shown_at)
      select q.invitation_id, q.question_id, q.at::timestamptz
      from unnest(${noted.map((c) => c.key)}::text[], ${noted.map((c) => c.emailQuestion!.invitationId)}::uuid[],
        ${noted.map((c) => c.emailQuestion!.questionId)}::text[], ${noted.map((c) => c.at.toISOString())}::text[]) as q(key, invitation_id, question_id, at)
      join claimed on claimed.idempotency_key = q.key
      on conflict (invitation_id) do nothing
    )
    select id, idempotency_key from claimed`;
  return new Map(rows.map((r) => [r.idempotency_key, Number(r.id)]));
}

/** The outbox's note of the invitation email's first question (claimKeys notes it for the providers). */
export async function noteEmailQuestion(sql: SqlClient, invitationId: string, questionId: string, at: Date) {
  await sql`
    insert into email_first_question (invitation_id, question_id, shown_at)
    values (${invitationId}, ${questionId}, ${at.toISOString()})
    on conflict (invitation_id) do nothing`;
}

export interface SentMark {
  deliveryId: string;
  invitationId: string;
  step: number;
  channel: Channel;
  kind: MessageKind;
  outcome: string;
  at: Date;
  attemptId: number | null;
  providerId: string | null;
  /** When the next reminder is due (null: none). */
  nextDue: Date | null;
}

/**
 * Marks deliveries sent in one statement: the attempt accepted, the delivery and its invitation sent, the next
 * reminder scheduled.
 */
export async function markDeliveriesSent(sql: SqlClient, marks: SentMark[]): Promise<void> {
  const rows = marks.map((m) => ({
    delivery_id: m.deliveryId,
    invitation_id: m.invitationId,
    step: m.step,
    channel: m.channel,
    kind: m.kind,
    outcome: m.outcome,
    at: m.at.toISOString(),
    attempt_id: m.attemptId,
    provider_id: m.providerId,
    next_due: m.nextDue?.toISOString() ?? null,
  }));
  // The ids also as arrays: \`id = any(…)\` keeps each update on its primary key whatever the planner guesses
  // of the JSON rows (it would otherwise scan the tables once they are large).
  const deliveryIds = marks.map((m) => m.deliveryId);
  const invitationIds = marks.map((m) => m.invitationId);
  const attemptIds = marks.flatMap((m) => (m.attemptId === null ? [] : [String(m.attemptId)]));
  await sql`
    with x as materialized (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as x(delivery_id uuid, invitation_id uuid, step int, channel text, kind text,
        outcome text, at timestamptz, attempt_id bigint, provider_id text, next_due timestamptz)
    ), attempt as (
      update send_attempts a set state = 'accepted', finished_at = x.at, provider_message_id = x.provider_id
      from x where a.id = x.attempt_id and a.id = any(${attemptIds}::text[]::bigint[])
    ), delivery as (
      update deliveries d set status = 'sent', outcome = x.outcome, channel = x.channel, kind = x.kind, sent_at = x.at, updated_at = x.at
      from x where d.id = x.delivery_id and d.id = any(${deliveryIds}::uuid[])
        -- or confirmed late: another worker took the delivery over while this hand-over was still running
        and (d.status = 'queued' or (d.status = 'sent' and d.outcome = 'unconfirmed' and x.outcome = 'accepted'))
    ), invitation as (
      update invitations i set
        status = case when i.status in ('scheduled', 'failed') then 'sent' else i.status end,
        sent_at = coalesce(i.sent_at, x.at), channel = case when x.step = 0 then x.channel else i.channel end,
        reminders_sent = greatest(i.reminders_sent, x.step)
      from x where i.id = x.invitation_id and i.id = any(${invitationIds}::uuid[])
    )
    insert into deliveries (invitation_id, step, kind, channel, status, due_at, created_at, updated_at)
    select x.invitation_id, x.step + 1, 'reminder_not_opened', x.channel, 'scheduled', x.next_due, x.at, x.at
    from x where x.next_due is not null
    on conflict (invitation_id, step) do nothing`;
}

// ── The sender's other statements (sender.ts) ──────────────────────────────────────────────────────

export async function versionDefaultLocale(sql: SqlClient, versionId: string): Promise<string | null> {
  const [v] = await sql<{ locale: string | null }[]>`select definition->>'defaultLocale' as locale from survey_versions where id = ${versionId}`;
  return v?.locale ?? null;
}

/** Ends a delivery that is still queued (skipped, cancelled or failed) with its outcome. */
export async function closeQueuedDelivery(
  sql: SqlClient,
  id: string,
  status: 'skipped' | 'cancelled' | 'failed',
  outcome: string,
  error: string | null,
  now: Date,
) {
  await sql`
    update deliveries set status = ${status}, outcome = ${outcome}, last_error = ${error}, updated_at = ${now.toISOString()}
    where id = ${id} and status = 'queued'`;
}

/** The invitation failed (its first message could not be sent) unless it moved on meanwhile. */
export async function failScheduledInvitation(sql: SqlClient, invitationId: string) {
  await sql`update invitations set status = 'failed' where id = ${invitationId} and status = 'scheduled'`;
}

export async function rescheduleQueuedDelivery(sql: SqlClient, id: string, channel: string, due: Date, now: Date) {
  await sql`
    update deliveries set status = 'scheduled', channel = ${channel}, due_at = ${due.toISOString()}, queued_at = null, updated_at = ${now.toISOString()}
    where id = ${id} and status = 'queued'`;
}

/** The attempt holding this idempotency key (handing over or accepted), if any. */
export async function claimOf(sql: SqlClient, key: string) {
  const [existing] = await sql<{ id: number; state: string }[]>`
    select id, state from send_attempts where idempotency_key = ${key} and state in ('handing', 'accepted') limit 1`;
  return existing;
}

/** Without a provider: claims the key as an accepted outbox attempt and stores the message; null when the key was taken. */
export async function writeToOutbox(
  sql: SqlClient,
  deliveryId: string,
  taken: number,
  key: string,
  message: { channel: string; to: string; subject: string | null; text: string; html: string | null; link: string },
  now: Date,
): Promise<number | null> {
  const [claim] = await sql<{ id: number }[]>`
    insert into send_attempts (delivery_id, idempotency_key, transport, state, started_at, finished_at)
    select ${deliveryId}, ${key}, 'outbox', 'accepted', ${now.toISOString()}, ${now.toISOString()}
    from deliveries d where d.id = ${deliveryId} and d.status = 'queued' and d.attempts = ${taken}
    on conflict (idempotency_key) where state in ('handing', 'accepted') do nothing
    returning id`;
  if (!claim) return null;
  await sql`
    insert into outbox_messages (delivery_id, channel, to_address, subject, text, html, link, created_at)
    values (${deliveryId}, ${message.channel}, ${message.to}, ${message.subject}, ${message.text}, ${message.html}, ${message.link}, ${now.toISOString()})
    on conflict (delivery_id) do nothing`;
  return claim.id;
}

/** A claimed attempt cut off without an answer: the error is kept, the state stays. */
export async function noteAttemptError(sql: SqlClient, attemptId: number, error: string) {
  await sql`update send_attempts set error = ${error} where id = ${attemptId}`;
}

/** A refused hand-over: the attempt (claimed or not) as rejected, and the error on the delivery. */
export async function recordRejection(
  sql: SqlClient,
  r: { attemptId: number | null; deliveryId: string; key: string; transport: string; error: string; startedAt: Date; at: Date },
) {
  const at = r.at.toISOString();
  if (r.attemptId !== null) {
    await sql`update send_attempts set state = 'rejected', error = ${r.error}, finished_at = ${at} where id = ${r.attemptId}`;
  } else {
    await sql`
      insert into send_attempts (delivery_id, idempotency_key, transport, state, error, started_at, finished_at)
      values (${r.deliveryId}, ${r.key}, ${r.transport}, 'rejected', ${r.error}, ${r.startedAt.toISOString()}, ${at})`;
  }
  await sql`update deliveries set last_error = ${r.error}, updated_at = ${at} where id = ${r.deliveryId}`;
}

/** The address bounced or was refused: listed as bad, and the customers with it flagged. */
export async function markBadAddress(sql: SqlClient, channel: 'email' | 'sms', address: string, reason: string, now: Date) {
  await sql`insert into bad_addresses (channel, address, reason, created_at) values (${channel}, ${address}, ${reason.slice(0, 300)}, ${now.toISOString()}) on conflict do nothing`;
  if (channel === 'email') await sql`update customers set email_bad = true, updated_at = ${now.toISOString()} where email = ${address} and not email_bad`;
  else
    await sql`update customers set phone_bad = true, updated_at = ${now.toISOString()} where regexp_replace(phone, '[^0-9+]', '', 'g') = ${address} and not phone_bad`;
}

/** The last retry failed: the queued delivery goes to the dead-letter state. */
export async function markQueuedDeliveryDead(sql: SqlClient, deliveryId: string, reason: string | null, now: Date) {
  const [row] = await sql<{ invitation_id: string; step: number }[]>`
    update deliveries set status = 'dead', outcome = 'retries_exhausted', last_error = coalesce(${reason}, last_error), updated_at = ${now.toISOString()}
    where id = ${deliveryId} and status = 'queued'
    returning invitation_id, step`;
  return row;
}
