import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Sql } from '../db/client.ts';
import { webhookDeliveries, webhooks } from '../db/schema.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import type { Executor } from './audit.ts';
import { newWebhookSecret, type ClaimedDelivery, type WebhookEnvelope, type WebhookEvent } from './webhooks.delivery.ts';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function deliveryView(d: DeliveryRow) {
  return {
    id: d.id,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  };
}

export async function listWebhooks(db: Database, onlyId?: string) {
  const rows = await db
    .select({
      webhook: webhooks,
      pending: sql<number>`(select count(*) from webhook_deliveries d where d.webhook_id = webhooks.id and d.status = 'pending')::int`,
      failed: sql<number>`(select count(*) from webhook_deliveries d where d.webhook_id = webhooks.id and d.status = 'failed')::int`,
      last: sql<{ at: string; status: DeliveryRow['status'] } | null>`(select json_build_object('at', d.created_at, 'status', d.status)
              from webhook_deliveries d where d.webhook_id = webhooks.id order by d.created_at desc limit 1)`,
    })
    .from(webhooks)
    .where(onlyId ? eq(webhooks.id, onlyId) : undefined)
    .orderBy(webhooks.createdAt);
  return rows.map(({ webhook: w, pending, failed, last }) => ({
    id: w.id,
    description: w.description,
    url: w.url,
    events: w.events as WebhookEvent[],
    active: w.active,
    createdAt: w.createdAt.toISOString(),
    pending,
    failed,
    lastDeliveryAt: last ? new Date(last.at).toISOString() : null,
    lastStatus: last?.status ?? null,
  }));
}

async function one(db: Database, id: string) {
  const [w] = await listWebhooks(db, id);
  if (!w) throw notFound('No such webhook');
  return w;
}

export async function createWebhook(db: Database, input: { description: string; url: string; events: WebhookEvent[]; active: boolean }, now: Date) {
  const secret = newWebhookSecret();
  const [row] = await db
    .insert(webhooks)
    .values({ ...input, events: [...new Set(input.events)], secret, createdAt: now, updatedAt: now })
    .returning({ id: webhooks.id });
  return { webhook: await one(db, row.id), secret };
}

export async function updateWebhook(
  db: Database,
  id: string,
  input: { description?: string; url?: string; events?: WebhookEvent[]; active?: boolean; rotateSecret?: true },
  now: Date,
) {
  const secret = input.rotateSecret ? newWebhookSecret() : undefined;
  const { rotateSecret: _, ...fields } = input;
  const rows = await db
    .update(webhooks)
    .set({ ...fields, ...(fields.events ? { events: [...new Set(fields.events)] } : {}), ...(secret ? { secret } : {}), updatedAt: now })
    .where(eq(webhooks.id, id))
    .returning({ id: webhooks.id });
  if (rows.length === 0) throw notFound('No such webhook');
  return { webhook: await one(db, id), ...(secret ? { secret } : {}) };
}

export async function deleteWebhook(db: Database, id: string) {
  const rows = await db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id, url: webhooks.url });
  if (rows.length === 0) throw notFound('No such webhook');
  return rows[0];
}

export async function listDeliveries(db: Database, webhookId: string, query: { status?: DeliveryRow['status']; limit: number }) {
  await one(db, webhookId);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), query.status ? eq(webhookDeliveries.status, query.status) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(query.limit);
  return rows.map(deliveryView);
}

export async function queuePing(db: Database, webhookId: string, now: Date) {
  await one(db, webhookId);
  const payload: WebhookEnvelope = { type: 'ping', timestamp: now.toISOString(), data: { webhookId } };
  const [row] = await db.insert(webhookDeliveries).values({ webhookId, eventType: 'ping', payload, nextAttemptAt: now, createdAt: now }).returning();
  return deliveryView(row);
}

export async function retryDelivery(db: Database, id: string, now: Date) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!row) throw notFound('No such delivery');
  if (row.status === 'delivered') throw conflict('This delivery already arrived.');
  const [updated] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: now, attempts: 0 })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return deliveryView(updated);
}

// ── Deliveries as webhooks.delivery.ts queues and sends them ──────────────────────────────────────

/** One pending delivery per active webhook subscribed to `type`; how many were queued. */
export async function queueDeliveries(db: Executor, type: string, payload: WebhookEnvelope, now: Date): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    insert into ${webhookDeliveries} (webhook_id, event_type, payload, next_attempt_at, created_at)
    select w.id, ${type}, ${JSON.stringify(payload)}::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from webhooks w
    where w.active and ${type} = any(w.events)
    returning id`);
  return rows.length;
}

/** Whether any active webhook listens to `type` (so the event's facts need not be read otherwise). */
export async function hasSubscribers(db: Executor, type: WebhookEvent): Promise<boolean> {
  const subscribed = await db.execute(sql`select 1 from webhooks where active and ${type} = any(events) limit 1`);
  return subscribed.length > 0;
}

/** What `response.finished` tells: ids, version, branch, rental reference, locale, time and the answers. */
export async function responseFinishedFacts(db: Executor, responseId: string) {
  const [row] = await db.execute<{
    response_id: string;
    survey_id: string;
    version: number;
    branch_code: string | null;
    branch_name: string | null;
    rental_external_id: string | null;
    locale: string;
    finished_at: string;
    definition: SurveyDefinition;
    answers: { questionId: string; itemId: string | null; value: unknown }[];
  }>(sql`
    select r.id as response_id, r.survey_id, v.version, b.code as branch_code, b.name as branch_name,
           x.external_id as rental_external_id, r.locale, to_json(r.finished_at)#>>'{}' as finished_at,
           v.definition,
           coalesce((select json_agg(json_build_object('questionId', a.question_id, 'itemId', a.item_id,
                       'value', coalesce(to_jsonb(a.value_number), to_jsonb(a.choice_ids), to_jsonb(a.value_text))) order by a.id)
                     from answers a where a.response_id = r.id), '[]'::json) as answers
    from responses r
    join survey_versions v on v.id = r.survey_version_id
    left join branches b on b.id = r.branch_id
    left join rentals x on x.id = r.rental_id
    where r.id = ${responseId}`);
  return row;
}

/** What a case event tells: the case's reference, state and branch. */
export async function caseEventFacts(db: Executor, caseId: string) {
  const [row] = await db.execute<{
    id: string;
    number: number;
    status: string;
    priority: string;
    branch_code: string | null;
    response_id: string;
    survey_id: string;
    escalation_level: number;
  }>(sql`
    select c.id, c.number::int as number, c.status, c.priority, b.code as branch_code, c.response_id, c.survey_id, c.escalation_level
    from cases c left join branches b on b.id = c.branch_id
    where c.id = ${caseId}`);
  return row;
}

/** Claims up to `limit` due deliveries of active webhooks (skipping ones another worker holds), leased until `leaseUntil`. */
export async function claimDueDeliveries(client: Sql, at: Date, leaseUntil: Date, limit: number) {
  return client<ClaimedDelivery[]>`
    update webhook_deliveries d
    set attempts = d.attempts + 1, last_attempt_at = ${at.toISOString()}, next_attempt_at = ${leaseUntil.toISOString()}
    from webhooks w
    where w.id = d.webhook_id
      and d.id in (
        select x.id from webhook_deliveries x join webhooks y on y.id = x.webhook_id
        where x.status = 'pending' and x.next_attempt_at <= ${at.toISOString()} and y.active
        order by x.next_attempt_at, x.seq
        limit ${limit}
        for update of x skip locked)
    returning d.id, d.webhook_id as "webhookId", d.seq::int8::text as seq, w.url, w.secret, d.payload, d.attempts`;
}

export async function markDelivered(client: Sql, id: string, at: Date, status: number | null) {
  await client`update webhook_deliveries set status = 'delivered', delivered_at = ${at.toISOString()},
                 last_status_code = ${status}, last_error = null where id = ${id}`;
}

/** A failed attempt: `pending` again from `next`, or `failed` for good. */
export async function markAttempt(client: Sql, id: string, status: 'pending' | 'failed', next: Date, code: number | null, error: string | null) {
  await client`update webhook_deliveries set status = ${status}, next_attempt_at = ${next.toISOString()},
                 last_status_code = ${code}, last_error = ${error} where id = ${id}`;
}

/** Removes finished deliveries (delivered or failed) created before `before`; how many. */
export async function purgeDeliveryHistory(client: Sql, before: Date): Promise<number> {
  const deleted = await client`delete from webhook_deliveries where status <> 'pending' and created_at < ${before.toISOString()}`;
  return deleted.count;
}
