// Signed notifications to configured URLs, following the Standard Webhooks scheme: headers
// `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
// `${id}.${timestamp}.${body}` with the webhook's secret (`whsec_` + base64 key). Deliveries are rows in
// webhook_deliveries, written in the transaction of the change that caused them, and sent by
// deliverDueWebhooks() with retries and backoff.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql as dsql } from 'drizzle-orm';
import type { Sql } from '../db/client.ts';
import { webhookDeliveries } from '../db/schema.ts';
import { log } from '../lib/logger.ts';
import { metricQuestions, type SurveyDefinition } from '../surveys/definition/index.ts';
import type { Executor } from './audit.ts';

export const WEBHOOK_EVENTS = [
  'response.finished',
  'case.created',
  'case.updated',
  'case.assigned',
  'case.escalated',
  'case.resolved',
  'case.closed',
  'case.reopened',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Delay before attempt n+1 after n failed attempts; after the last, the delivery is `failed`. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 8 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const LEASE_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

export function newWebhookSecret() {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** For receivers: a valid signature and a timestamp within `toleranceSeconds` of now. */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, timestamp, body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface WebhookEnvelope {
  type: WebhookEvent | 'ping';
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * Queues one delivery per active webhook subscribed to `type`. Call it inside the transaction that made
 * the change, so the notification exists exactly when the change does. Returns the number queued.
 */
export async function emitWebhookEvent(db: Executor, type: WebhookEvent, data: Record<string, unknown>, now: Date): Promise<number> {
  const payload: WebhookEnvelope = { type, timestamp: now.toISOString(), data };
  const rows = await db.execute<{ id: string }>(dsql`
    insert into ${webhookDeliveries} (webhook_id, event_type, payload, next_attempt_at, created_at)
    select w.id, ${type}, ${JSON.stringify(payload)}::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from webhooks w
    where w.active and ${type} = any(w.events)
    returning id`);
  return rows.length;
}

/** `response.finished`: ids, branch, rental reference, the NPS and the answers (no customer contact data). */
export async function emitResponseFinished(db: Executor, responseId: string, now: Date): Promise<number> {
  const subscribed = await db.execute(dsql`select 1 from webhooks where active and 'response.finished' = any(events) limit 1`);
  if (subscribed.length === 0) return 0;
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
  }>(dsql`
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
  if (!row) return 0;
  const npsQuestion = metricQuestions(row.definition).nps;
  const nps = row.answers.find((a) => a.questionId === npsQuestion && a.itemId === null)?.value;
  return emitWebhookEvent(
    db,
    'response.finished',
    {
      responseId: row.response_id,
      surveyId: row.survey_id,
      surveyVersion: row.version,
      branch: row.branch_code ? { code: row.branch_code, name: row.branch_name } : null,
      rental: row.rental_external_id ? { externalId: row.rental_external_id } : null,
      locale: row.locale,
      finishedAt: new Date(row.finished_at).toISOString(),
      nps: typeof nps === 'number' ? nps : null,
      answers: row.answers,
    },
    now,
  );
}

interface ClaimedDelivery {
  id: string;
  webhookId: string;
  seq: string;
  url: string;
  secret: string;
  payload: WebhookEnvelope;
  attempts: number;
}

async function send(delivery: ClaimedDelivery, at: Date, timeoutMs: number): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(at.getTime() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'rental-satisfaction-webhooks/1',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(delivery.secret, delivery.id, timestamp, body),
      },
      body,
    });
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const name = (error as Error)?.name;
    return { ok: false, status: null, error: name === 'TimeoutError' ? 'timeout' : String((error as Error)?.message ?? error).slice(0, 200) };
  }
}

/**
 * Sends the deliveries that are due (up to `limit`), each once, in parallel. A claimed delivery is leased
 * so a second worker leaves it alone; a crash mid-send retries after the lease. Returns what happened.
 */
export async function deliverDueWebhooks(deps: { sql: Sql; now: () => Date }, options: { limit?: number; timeoutMs?: number } = {}) {
  const { sql, now } = deps;
  const at = now();
  const claimed = await sql<ClaimedDelivery[]>`
    update webhook_deliveries d
    set attempts = d.attempts + 1, last_attempt_at = ${at.toISOString()}, next_attempt_at = ${new Date(at.getTime() + LEASE_MS).toISOString()}
    from webhooks w
    where w.id = d.webhook_id
      and d.id in (
        select x.id from webhook_deliveries x join webhooks y on y.id = x.webhook_id
        where x.status = 'pending' and x.next_attempt_at <= ${at.toISOString()} and y.active
        order by x.next_attempt_at, x.seq
        limit ${options.limit ?? 20}
        for update of x skip locked)
    returning d.id, d.webhook_id as "webhookId", d.seq::int8::text as seq, w.url, w.secret, d.payload, d.attempts`;
  let delivered = 0;
  let failed = 0;
  // One receiver gets its deliveries one after another, oldest first; different receivers in parallel.
  const byWebhook = new Map<string, ClaimedDelivery[]>();
  for (const d of [...claimed].sort((a, b) => Number(a.seq) - Number(b.seq))) byWebhook.set(d.webhookId, [...(byWebhook.get(d.webhookId) ?? []), d]);
  const deliverOne = async (delivery: ClaimedDelivery) => {
    const result = await send(delivery, at, options.timeoutMs ?? TIMEOUT_MS);
    const finishedAt = now();
    if (result.ok) {
      delivered++;
      await sql`update webhook_deliveries set status = 'delivered', delivered_at = ${finishedAt.toISOString()},
                  last_status_code = ${result.status}, last_error = null where id = ${delivery.id}`;
      return;
    }
    const last = delivery.attempts >= MAX_ATTEMPTS;
    if (last) failed++;
    const next = new Date(at.getTime() + (RETRY_DELAYS_MS[delivery.attempts - 1] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]));
    await sql`update webhook_deliveries set status = ${last ? 'failed' : 'pending'}, next_attempt_at = ${next.toISOString()},
                last_status_code = ${result.status}, last_error = ${result.error} where id = ${delivery.id}`;
    if (last) log.warn('webhook delivery failed for good', { delivery: delivery.id, error: result.error });
  };
  await Promise.all(
    [...byWebhook.values()].map(async (queue) => {
      for (const delivery of queue) await deliverOne(delivery);
    }),
  );
  return { attempted: claimed.length, delivered, failed };
}

/** A case event (`case.created`, `case.resolved`…): the case's reference, state and branch, no customer data. */
export async function emitCaseEvent(db: Executor, type: Extract<WebhookEvent, `case.${string}`>, caseId: string, now: Date): Promise<number> {
  const subscribed = await db.execute(dsql`select 1 from webhooks where active and ${type} = any(events) limit 1`);
  if (subscribed.length === 0) return 0;
  const [row] = await db.execute<{ id: string; number: number; status: string; priority: string; branch_code: string | null; response_id: string; survey_id: string; escalation_level: number }>(dsql`
    select c.id, c.number::int as number, c.status, c.priority, b.code as branch_code, c.response_id, c.survey_id, c.escalation_level
    from cases c left join branches b on b.id = c.branch_id
    where c.id = ${caseId}`);
  if (!row) return 0;
  return emitWebhookEvent(
    db,
    type,
    {
      caseId: row.id,
      number: row.number,
      status: row.status,
      priority: row.priority,
      escalationLevel: row.escalation_level,
      branch: row.branch_code ? { code: row.branch_code } : null,
      responseId: row.response_id,
      surveyId: row.survey_id,
    },
    now,
  );
}

/** The event for a case's new status. */
export function caseStatusEvent(status: 'open' | 'in_progress' | 'resolved' | 'closed' | 'reopened'): Extract<WebhookEvent, `case.${string}`> {
  return status === 'resolved' ? 'case.resolved' : status === 'closed' ? 'case.closed' : status === 'reopened' ? 'case.reopened' : 'case.updated';
}
