import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { webhookDeliveries, webhooks } from '../db/schema.ts';
import { conflict, notFound } from '../lib/problem.ts';
import { newWebhookSecret, type WebhookEnvelope, type WebhookEvent } from './webhooks.delivery.ts';

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
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ webhookId, eventType: 'ping', payload, nextAttemptAt: now, createdAt: now })
    .returning();
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
