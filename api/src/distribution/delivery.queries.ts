import { maskEmail, maskPhone } from '../access/mask.ts';
import type { Sql } from '../db/client.ts';
import { insertJobs, txSql } from '../queue/queue.ts';
import type { Database } from '../db/client.ts';
import { normalizeEmail, normalizePhone } from './ingest.ts';
import { SEND_QUEUE } from './queues.ts';

const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);

interface DeliveryListRow {
  id: string;
  invitation_id: string;
  step: number;
  kind: string;
  channel: 'email' | 'sms';
  status: 'scheduled' | 'queued' | 'sent' | 'failed' | 'dead' | 'skipped' | 'cancelled';
  outcome: string | null;
  attempts: number;
  last_error: string | null;
  due_at: string;
  sent_at: string | null;
  updated_at: string;
  branch_code: string;
  survey_name: string;
  email: string | null;
  phone: string | null;
}

const deliveryColumns = (sql: Sql) => sql`
  d.id, d.invitation_id, d.step, d.kind, d.channel, d.status, d.outcome, d.attempts, d.last_error, d.due_at, d.sent_at, d.updated_at,
  b.code as branch_code, s.name as survey_name, c.email, c.phone`;
const deliveryJoins = (sql: Sql) => sql`
  from deliveries d join invitations i on i.id = d.invitation_id join branches b on b.id = i.branch_id
  join surveys s on s.id = i.survey_id join customers c on c.id = i.customer_id`;

export function deliveryBody(r: DeliveryListRow) {
  return {
    id: r.id,
    invitationId: r.invitation_id,
    step: r.step,
    kind: r.kind,
    channel: r.channel,
    status: r.status,
    outcome: r.outcome,
    attempts: r.attempts,
    lastError: r.last_error,
    dueAt: iso(r.due_at)!,
    sentAt: iso(r.sent_at),
    updatedAt: iso(r.updated_at)!,
    branchCode: r.branch_code,
    surveyName: r.survey_name,
    to: r.channel === 'email' ? maskEmail(r.email) : maskPhone(r.phone),
  };
}

export async function listDeliveries(
  sql: Sql,
  q: { status?: string; outcome?: string; limit: number; offset: number },
  scope: (column: string) => ReturnType<Sql>,
) {
  const where = sql`where ${scope('i.branch_id')} ${q.status ? sql`and d.status = ${q.status}` : sql``} ${q.outcome ? sql`and d.outcome = ${q.outcome}` : sql``}`;
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total ${deliveryJoins(sql)} ${where}`;
  const rows = await sql<DeliveryListRow[]>`
    select ${deliveryColumns(sql)} ${deliveryJoins(sql)} ${where}
    order by d.updated_at desc, d.id limit ${q.limit} offset ${q.offset}`;
  const counts = await sql<{ status: string; n: number }[]>`
    select d.status, count(*)::int as n from deliveries d join invitations i on i.id = d.invitation_id where ${scope('i.branch_id')} group by 1`;
  return { total, counts: Object.fromEntries(counts.map((c) => [c.status, c.n])), items: rows.map(deliveryBody) };
}

export async function getDelivery(sql: Sql, id: string) {
  const [row] = await sql<DeliveryListRow[]>`select ${deliveryColumns(sql)} ${deliveryJoins(sql)} where d.id = ${id}`;
  return row ? deliveryBody(row) : null;
}

/** Queues a dead or failed delivery again, with its send job in the same transaction. */
export async function requeueDelivery(db: Database, id: string, now: Date): Promise<'queued' | 'not_found' | 'not_retryable'> {
  return db.transaction(async (tx) => {
    const sql = txSql(tx);
    const [row] = await sql<{ status: string }[]>`select status from deliveries where id = ${id} for update`;
    if (!row) return 'not_found';
    if (row.status !== 'dead' && row.status !== 'failed') return 'not_retryable';
    await sql`
      update deliveries set status = 'queued', outcome = null, queued_at = ${now.toISOString()}, updated_at = ${now.toISOString()}
      where id = ${id}`;
    await sql`
      update invitations set status = 'scheduled'
      where id = (select invitation_id from deliveries where id = ${id} and step = 0) and status = 'failed'`;
    await insertJobs(sql, [{ name: SEND_QUEUE, data: { deliveryId: id } }]);
    return 'queued';
  });
}

export async function recordBounce(sql: Sql, channel: 'email' | 'sms', address: string, reason: string, now: Date) {
  const normalized = channel === 'email' ? normalizeEmail(address) : normalizePhone(address);
  await sql`
    insert into bad_addresses (channel, address, reason, created_at) values (${channel}, ${normalized}, ${reason}, ${now.toISOString()})
    on conflict (channel, address) do update set reason = excluded.reason`;
  const updated =
    channel === 'email'
      ? await sql`update customers set email_bad = true, updated_at = ${now.toISOString()} where email = ${normalized} and not email_bad`
      : await sql`update customers set phone_bad = true, updated_at = ${now.toISOString()} where regexp_replace(phone, '[^0-9+]', '', 'g') = ${normalized} and not phone_bad`;
  return updated.count;
}

export async function distributionCounts(sql: Sql) {
  const deliveries = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from deliveries group by 1`;
  const [{ unconfirmed }] = await sql<{ unconfirmed: number }[]>`select count(*)::int as unconfirmed from deliveries where outcome = 'unconfirmed'`;
  const [{ bad }] = await sql<{ bad: number }[]>`select count(*)::int as bad from bad_addresses`;
  const [state] = await sql<{ at: string | null }[]>`select value->>'at' as at from distribution_state where key = 'segments'`;
  const [{ next }] = await sql<{ next: string | null }[]>`select min(due_at) as next from deliveries where status = 'scheduled'`;
  return {
    nextDueAt: next ? new Date(next).toISOString() : null,
    deliveries: Object.fromEntries(deliveries.map((d) => [d.status, d.n])),
    unconfirmed,
    badAddresses: bad,
    segmentsRefreshedAt: state?.at ? new Date(state.at).toISOString() : null,
  };
}
