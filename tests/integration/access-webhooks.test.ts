// Webhooks: signed notifications on a finished response and on case events, received by a real local
// HTTP server that checks the HMAC-SHA256 signature over id, timestamp and body; retries with backoff.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks, emitWebhookEvent, MAX_ATTEMPTS, verifyWebhook } from '../../api/src/access/webhooks.delivery.ts';
import { evaluateResponseRules } from '../../api/src/cases/evaluate.ts';
import { newInvitationToken } from '../../api/src/distribution/tokens.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp } from '../support/test-db.ts';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let t: Awaited<ReturnType<typeof createTestApp>>;
let receiver: Server;
let baseUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers with, in turn; 204 when empty. */
const replies: number[] = [];
let survey: { id: string; versionId: string };
let branchId: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = replies.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  // The receiver is on loopback: plain http and 127.0.0.1 are allowed the way an on-premise receiver would be.
  t = await createTestApp({ env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  const created = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  const version = await publishSurvey(t.db, created.id);
  survey = { id: created.id, versionId: version.id };
  [{ id: branchId }] = await t.sql`insert into branches (code, name, city, region) values ('BJ01', '北京首都机场店', '北京', '华北') returning id`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

let n = 0;
/** A rental with a sent invitation, answered through the public API; returns the response id. */
async function finishResponse(answers: Record<string, unknown>) {
  n++;
  const [{ id: customerId }] =
    await t.sql`insert into customers (external_id, name, email) values (${`C-W-${n}`}, '客户', ${`c${n}@example.com`}) returning id`;
  const [{ id: rentalId }] = await t.sql`
    insert into rentals (external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, booking_channel)
    values (${`RA-W-${n}`}, ${customerId}, ${branchId}, ${branchId}, 'suv', '2026-05-28T09:00:00+08:00', '2026-05-31T18:00:00+08:00', 'app') returning id`;
  const { token, tokenHash } = newInvitationToken();
  await t.sql`
    insert into invitations (survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, sent_at, expires_at)
    values (${survey.id}, ${survey.versionId}, ${rentalId}, ${customerId}, ${branchId}, ${tokenHash}, 'email', 'sent', '2026-06-01T00:00:00Z', '2026-06-14T00:00:00Z')`;
  const res = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers }, as: 'anonymous' });
  expect(res.status).toBe(200);
  return (await res.json()).responseId as string;
}

async function addWebhook(path: string, events: string[], active = true) {
  const res = await t.request('/api/webhooks', { method: 'POST', json: { url: `${baseUrl}${path}`, events, description: path, active } });
  expect(res.status).toBe(201);
  return (await res.json()) as { webhook: { id: string }; secret: string };
}

/** The receiver's own check, written from the scheme rather than with the platform's code. */
function signatureValid(secret: string, r: Received) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
  return r.headers['webhook-signature'] === `v1,${expected}`;
}

const at = (path: string) => received.filter((r) => r.path === path);

describe('a finished response', () => {
  it('is posted, signed, to every webhook subscribed to response.finished and to no other', async () => {
    const { webhook, secret } = await addWebhook('/responses', ['response.finished']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await addWebhook('/cases-only', ['case.created']);
    await addWebhook('/inactive', ['response.finished'], false);

    const responseId = await finishResponse({ q_nps: 4, q_why: '车不干净', q_csat: 2 });
    const [delivery] = await t.sql`select id, status from webhook_deliveries where webhook_id = ${webhook.id}`;
    expect(delivery.status).toBe('pending');
    expect((await deliverDueWebhooks(t.deps)).delivered).toBe(1);

    expect(at('/cases-only')).toEqual([]);
    expect(at('/inactive')).toEqual([]);
    const [r] = at('/responses');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['webhook-id']).toBe(delivery.id);
    expect(Number(r.headers['webhook-timestamp'])).toBe(Math.floor(t.clock.now().getTime() / 1000));
    expect(signatureValid(secret, r)).toBe(true);
    expect(
      verifyWebhook(
        secret,
        { id: r.headers['webhook-id'], timestamp: r.headers['webhook-timestamp'], signature: r.headers['webhook-signature'] },
        r.body,
        t.clock.now(),
      ),
    ).toBe(true);
    // A changed body, another secret or an old timestamp do not verify.
    expect(signatureValid(secret, { ...r, body: r.body.replace('"nps":4', '"nps":9') })).toBe(false);
    const { secret: otherSecret } = await addWebhook('/other', ['case.closed']);
    expect(signatureValid(otherSecret, r)).toBe(false);
    const headers = { id: r.headers['webhook-id'], timestamp: r.headers['webhook-timestamp'], signature: r.headers['webhook-signature'] };
    expect(verifyWebhook(secret, headers, r.body, new Date(t.clock.now().getTime() + 6 * 60_000))).toBe(false);

    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      type: 'response.finished',
      timestamp: t.clock.now().toISOString(),
      data: {
        responseId,
        surveyId: survey.id,
        surveyVersion: 1,
        branch: { code: 'BJ01' },
        rental: { externalId: `RA-W-${n}` },
        nps: 4,
        finishedAt: t.clock.now().toISOString(),
      },
    });
    expect(body.data.answers).toEqual(
      expect.arrayContaining([
        { questionId: 'q_nps', itemId: null, value: 4 },
        { questionId: 'q_why', itemId: null, value: '车不干净' },
      ]),
    );
    expect(r.body).not.toContain('@example.com');

    const [after] = await t.sql`select status, attempts, last_status_code from webhook_deliveries where id = ${delivery.id}`;
    expect(after).toEqual({ status: 'delivered', attempts: 1, last_status_code: 204 });
    // Delivered once: another run sends nothing.
    expect((await deliverDueWebhooks(t.deps)).attempted).toBe(0);
  });
});

describe('case events', () => {
  it('are posted, signed, when a case opens and when its status changes', async () => {
    const { secret } = await addWebhook('/cases', ['case.created', 'case.updated', 'case.resolved']);
    const rule = await t.request('/api/alert-rules', {
      method: 'POST',
      json: { surveyId: survey.id, name: 'Detractors', priority: 'high', triggers: [{ type: 'nps_at_most', value: 6 }] },
    });
    expect(rule.status).toBe(201);
    const responseId = await finishResponse({ q_nps: 2, q_why: '太慢' });
    const { created } = await evaluateResponseRules(t.deps, { responseId });
    expect(created).toHaveLength(1);
    const caseId = created[0];
    const [{ version }] = await t.sql`select version from cases where id = ${caseId}`;
    const moved = await t.request(`/api/cases/${caseId}/transitions`, { method: 'POST', json: { version, to: 'in_progress' } });
    expect(moved.status).toBe(200);
    await deliverDueWebhooks(t.deps);

    const got = at('/cases').map((r) => ({ r, body: JSON.parse(r.body) }));
    expect(got.map((g) => g.body.type)).toEqual(['case.created', 'case.updated']);
    expect(got.every((g) => signatureValid(secret, g.r))).toBe(true);
    const [{ number }] = await t.sql`select number::int as number from cases where id = ${caseId}`;
    expect(got[0].body.data).toMatchObject({ caseId, number, status: 'open', priority: 'high', branch: { code: 'BJ01' }, responseId, surveyId: survey.id });
    expect(got[1].body.data).toMatchObject({ caseId, status: 'in_progress' });
    expect(got[0].r.body).not.toMatch(/@example\.com|客户/);
  });
});

describe('retries', () => {
  it('come back after 1 and 5 minutes with the same id, newly signed, until the receiver accepts', async () => {
    const { webhook, secret } = await addWebhook('/flaky', ['response.finished']);
    await t.request(`/api/webhooks/${(await t.sql`select id from webhooks where url like '%/responses'`)[0].id}`, { method: 'PATCH', json: { active: false } });
    replies.push(500, 503);
    await finishResponse({ q_nps: 10 });
    const start = t.clock.now().getTime();

    expect(await deliverDueWebhooks(t.deps)).toEqual({ attempted: 1, delivered: 0, failed: 0 });
    t.clock.advance(59_000);
    expect((await deliverDueWebhooks(t.deps)).attempted).toBe(0);
    t.clock.advance(1_000);
    expect(await deliverDueWebhooks(t.deps)).toEqual({ attempted: 1, delivered: 0, failed: 0 });
    t.clock.advance(5 * 60_000);
    expect(await deliverDueWebhooks(t.deps)).toEqual({ attempted: 1, delivered: 1, failed: 0 });

    const attempts = at('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(attempts.map((a) => Number(a.headers['webhook-timestamp']) - Math.floor(start / 1000))).toEqual([0, 60, 360]);
    expect(attempts.every((a) => signatureValid(secret, a))).toBe(true);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);

    const list = await (await t.request(`/api/webhooks/${webhook.id}/deliveries`)).json();
    expect(list[0]).toMatchObject({ eventType: 'response.finished', status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null });
  });

  it('give up after the last attempt, and an administrator can send it again', async () => {
    const { webhook } = await addWebhook('/down', ['case.escalated']);
    replies.push(...Array(MAX_ATTEMPTS).fill(500));
    await t.db.transaction((tx) => emitWebhookEvent(tx, 'case.escalated', { caseId: 'c-1', number: 1042, branch: { code: 'BJ01' } }, t.clock.now()));
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const run = await deliverDueWebhooks(t.deps);
      expect(run.attempted, `attempt ${i + 1}`).toBe(1);
      t.clock.advance(9 * 3_600_000);
    }
    expect((await deliverDueWebhooks(t.deps)).attempted).toBe(0);
    const [failed] = await (await t.request(`/api/webhooks/${webhook.id}/deliveries?status=failed`)).json();
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatusCode: 500, lastError: 'HTTP 500' });
    const listed = (await (await t.request('/api/webhooks')).json()).find((w: { id: string }) => w.id === webhook.id);
    expect(listed).toMatchObject({ failed: 1, pending: 0, lastStatus: 'failed' });

    const retry = await t.request(`/api/webhooks/deliveries/${failed.id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(202);
    expect((await deliverDueWebhooks(t.deps)).delivered).toBe(1);
    const last = at('/down').at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ type: 'case.escalated', data: { caseId: 'c-1', number: 1042 } });
    expect((await t.request(`/api/webhooks/deliveries/${failed.id}/retry`, { method: 'POST' })).status).toBe(409);
  });

  it('record an unreachable receiver as an error and try again later', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const res = await t.request('/api/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${port}/gone`, events: ['case.closed'] } });
    const { webhook } = await res.json();
    await emitWebhookEvent(t.db, 'case.closed', { caseId: 'c-2' }, t.clock.now());
    await deliverDueWebhooks(t.deps);
    const [d] = await (await t.request(`/api/webhooks/${webhook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, nextAttemptAt: new Date(t.clock.now().getTime() + 60_000).toISOString() });
    expect(d.lastError).toBeTruthy();
  });
});

describe('managing webhooks', () => {
  it('pings, rotates the secret, validates input and records changes in the audit log', async () => {
    const { webhook, secret } = await addWebhook('/ping', ['case.resolved']);
    const ping = await t.request(`/api/webhooks/${webhook.id}/ping`, { method: 'POST' });
    expect(ping.status).toBe(202);
    await deliverDueWebhooks(t.deps);
    const [p] = at('/ping');
    expect(JSON.parse(p.body)).toMatchObject({ type: 'ping', data: { webhookId: webhook.id } });
    expect(signatureValid(secret, p)).toBe(true);

    const rotated = await (await t.request(`/api/webhooks/${webhook.id}`, { method: 'PATCH', json: { rotateSecret: true } })).json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    await t.request(`/api/webhooks/${webhook.id}/ping`, { method: 'POST' });
    await deliverDueWebhooks(t.deps);
    const second = at('/ping')[1];
    expect(signatureValid(rotated.secret, second)).toBe(true);
    expect(signatureValid(secret, second)).toBe(false);

    const listed = await (await t.request('/api/webhooks')).json();
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    const bad = await t.request('/api/webhooks', { method: 'POST', json: { url: 'ftp://example.com/x', events: ['nope'] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['events.0', 'url']);

    expect((await t.request(`/api/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(204);
    const actions = (await t.sql`select action from audit_log where target_id = ${webhook.id} order by id`).map((a) => a.action);
    expect(actions).toEqual(['webhook.create', 'webhook.update', 'webhook.delete']);
    const qm = await t.signIn('quality_manager');
    expect((await t.request('/api/webhooks', { as: qm })).status).toBe(403);
  });
});
