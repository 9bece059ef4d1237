// Signed notifications to configured URLs, following the Standard Webhooks scheme: headers
// `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
// `${id}.${timestamp}.${body}` with the webhook's secret (`whsec_` + base64 key). Deliveries are rows in
// webhook_deliveries, written in the transaction of the change that caused them, and sent by
// deliverDueWebhooks() with retries and backoff.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Sql } from '../db/client.ts';
import { log } from '../lib/logger.ts';
import { metricQuestions } from '@rs/survey-definition';
import type { Executor } from './audit.ts';
import { caseEventFacts, claimDueDeliveries, hasSubscribers, markAttempt, markDelivered, queueDeliveries, responseFinishedFacts } from './webhooks.queries.ts';
import { checkDestination, type DestinationSettings, type Resolver } from './webhooks.destination.ts';

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
  return queueDeliveries(db, type, payload, now);
}

/** `response.finished`: ids, branch, rental reference, the NPS and the answers (no customer contact data). */
export async function emitResponseFinished(db: Executor, responseId: string, now: Date): Promise<number> {
  if (!(await hasSubscribers(db, 'response.finished'))) return 0;
  const row = await responseFinishedFacts(db, responseId);
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

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  seq: string;
  url: string;
  secret: string;
  payload: WebhookEnvelope;
  attempts: number;
}

type SendResult = { ok: boolean; status: number | null; error: string | null; refused?: boolean };

/**
 * One POST, to the address the destination check resolved and approved: the connection's own lookup
 * answers with that address, so a second DNS answer (rebinding) cannot send it elsewhere. Redirects are
 * not followed (a 3xx counts as a failed attempt).
 */
async function send(delivery: ClaimedDelivery, at: Date, timeoutMs: number, settings: DestinationSettings, resolve?: Resolver): Promise<SendResult> {
  const checked = await checkDestination(delivery.url, settings, resolve);
  if (!checked.ok) return { ok: false, status: null, error: `destination refused: ${checked.reason}`, refused: true };
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(at.getTime() / 1000);
  const { url, address, family, addresses } = checked;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((done) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(result);
    };
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        // Called by net.connect for host names (IP literals connect directly, and were checked above).
        lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
          options?.all ? callback(null, addresses) : callback(null, address, family)) as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'rental-satisfaction-webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(delivery.secret, delivery.id, timestamp, body),
        },
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        finish({ ok, status, error: ok ? null : `HTTP ${status}` });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, status: null, error: 'timeout' });
    }, timeoutMs);
    req.on('error', (error) => finish({ ok: false, status: null, error: String(error.message ?? error).slice(0, 200) }));
    req.end(body);
  });
}

/**
 * Sends the deliveries that are due (up to `limit`), each once, in parallel. A claimed delivery is leased
 * so a second worker leaves it alone; a crash mid-send retries after the lease. Returns what happened.
 */
export async function deliverDueWebhooks(
  deps: { sql: Sql; now: () => Date; env: DestinationSettings },
  options: { limit?: number; timeoutMs?: number; resolve?: Resolver } = {},
) {
  const { sql, now } = deps;
  const at = now();
  const claimed = await claimDueDeliveries(sql, at, new Date(at.getTime() + LEASE_MS), options.limit ?? 20);
  let delivered = 0;
  let failed = 0;
  // One receiver gets its deliveries one after another, oldest first; different receivers in parallel.
  const byWebhook = new Map<string, ClaimedDelivery[]>();
  for (const d of [...claimed].sort((a, b) => Number(a.seq) - Number(b.seq))) byWebhook.set(d.webhookId, [...(byWebhook.get(d.webhookId) ?? []), d]);
  const deliverOne = async (delivery: ClaimedDelivery) => {
    const result = await send(delivery, at, options.timeoutMs ?? TIMEOUT_MS, deps.env, options.resolve);
    const finishedAt = now();
    if (result.ok) {
      delivered++;
      await markDelivered(sql, delivery.id, finishedAt, result.status);
      return;
    }
    // A refused destination is not tried again by itself: an administrator fixes the URL or the allow-list.
    const last = delivery.attempts >= MAX_ATTEMPTS || !!result.refused;
    if (last) failed++;
    const next = new Date(at.getTime() + (RETRY_DELAYS_MS[delivery.attempts - 1] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]));
    await markAttempt(sql, delivery.id, last ? 'failed' : 'pending', next, result.status, result.error);
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
  if (!(await hasSubscribers(db, type))) return 0;
  const row = await caseEventFacts(db, caseId);
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
