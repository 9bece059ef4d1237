// Webhooks cannot reach inside: internal destinations are refused when a webhook is added or changed
// (nothing stored, nothing sent) and again at each delivery (a host name that now resolves to loopback),
// and redirects are not followed. Every address here is loopback or is refused before any connection:
// a loopback receiver counts what arrives and must get nothing from a refused webhook, and the test network
// guard (support/loopback-only.ts) makes any socket to another address fail before it is opened.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks, emitWebhookEvent } from '../../api/src/access/webhooks.delivery.ts';
import { createTestApp } from '../support/test-db.ts';

let receiver: Server;
let port: number;
const received: string[] = [];
/** Replies of the receiver by path; 204 otherwise. */
const replies = new Map<string, { status: number; location?: string }>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      const reply = replies.get(req.url ?? '');
      if (reply?.location) res.setHeader('location', reply.location);
      res.statusCode = reply?.status ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

describe('adding a webhook', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    // http allowed, no allow-list: as an administrator who switched on http but listed no internal receivers.
    t = await createTestApp({ env: { WEBHOOK_ALLOW_HTTP: 'true' } });
  });

  it('refuses loopback, private, link-local and metadata destinations in any spelling, storing nothing', async () => {
    const urls = [
      `http://127.0.0.1:${port}/a`,
      `http://[::1]:${port}/a`,
      `http://0x7f000001:${port}/a`,
      `http://2130706433:${port}/a`,
      `http://0177.0.0.1:${port}/a`,
      `http://127.1:${port}/a`,
      `http://[::ffff:127.0.0.1]:${port}/a`,
      `http://localhost:${port}/a`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'http://10.0.0.1/a',
      'http://192.168.1.1/a',
      'http://172.16.0.1/a',
      'http://100.64.0.1/a',
      'http://[fd00::1]/a',
      'http://[fe80::1]/a',
      'http://0.0.0.0/a',
      'http://224.0.0.1/a',
    ];
    const accepted: string[] = [];
    for (const url of urls) {
      const res = await t.request('/api/webhooks', { method: 'POST', json: { url, events: ['response.finished'] } });
      const body = await res.json();
      if (res.status !== 400 || body.errors?.[0]?.path !== 'url' || !res.headers.get('content-type')?.includes('problem+json'))
        accepted.push(`${url} → ${res.status}`);
    }
    expect(accepted).toEqual([]);
    expect(await t.sql`select url from webhooks`).toEqual([]);
    expect(await t.sql`select id from webhook_deliveries`).toEqual([]);
    expect(await t.sql`select action from audit_log where action like 'webhook.%'`).toEqual([]);
    expect((await deliverDueWebhooks(t.deps)).attempted).toBe(0);
    expect(received).toEqual([]);
  });

  it('refuses plain http unless it is switched on', async () => {
    const strict = await createTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    const res = await strict.request('/api/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${port}/plain`, events: ['case.closed'] } });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ path: 'url', message: expect.stringContaining('https') });
    expect(await strict.sql`select id from webhooks`).toEqual([]);
  });

  it('refuses changing an allowed URL into an internal one', async () => {
    const allowed = await createTestApp({ env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    const created = await allowed.request('/api/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${port}/ok`, events: ['case.closed'] } });
    expect(created.status).toBe(201);
    const { webhook } = await created.json();
    const res = await allowed.request(`/api/webhooks/${webhook.id}`, { method: 'PATCH', json: { url: 'http://169.254.169.254/latest/meta-data/' } });
    expect(res.status).toBe(400);
    const [row] = await allowed.sql`select url from webhooks where id = ${webhook.id}`;
    expect(row.url).toBe(`http://127.0.0.1:${port}/ok`);
    expect(received).toEqual([]);
  });
});

describe('delivering', () => {
  it('checks the destination again and refuses, without connecting, a host name that resolves to loopback', async () => {
    // Added while `localhost` was on the allow-list; the list no longer has it when the delivery runs, as a
    // public name would no longer pass after its DNS answer changed to 127.0.0.1.
    const t = await createTestApp({ env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: 'localhost' } });
    const res = await t.request('/api/webhooks', { method: 'POST', json: { url: `http://localhost:${port}/rebound`, events: ['case.closed'] } });
    expect(res.status).toBe(201);
    const { webhook } = await res.json();
    await emitWebhookEvent(t.db, 'case.closed', { caseId: 'c-1' }, t.clock.now());

    const withoutList = { ...t.deps, env: { ...t.deps.env, WEBHOOK_ALLOWED_HOSTS: undefined } };
    expect(await deliverDueWebhooks(withoutList)).toEqual({ attempted: 1, delivered: 0, failed: 1 });
    expect(received.filter((p) => p === '/rebound')).toHaveLength(0);
    const [d] = await (await t.request(`/api/webhooks/${webhook.id}/deliveries`)).json();
    expect(d).toMatchObject({
      status: 'failed',
      lastStatusCode: null,
      lastError: expect.stringMatching(/^destination refused: resolves to a loopback address/),
    });

    // The same delivery, sent again with the host on the list, arrives: the refusal above was the check.
    expect((await t.request(`/api/webhooks/deliveries/${d.id}/retry`, { method: 'POST' })).status).toBe(202);
    expect(await deliverDueWebhooks(t.deps)).toMatchObject({ attempted: 1, delivered: 1 });
    expect(received.filter((p) => p === '/rebound')).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const t = await createTestApp({ env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    replies.set('/moved', { status: 302, location: `http://127.0.0.1:${port}/target` });
    const res = await t.request('/api/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${port}/moved`, events: ['case.closed'] } });
    const { webhook } = await res.json();
    await emitWebhookEvent(t.db, 'case.closed', { caseId: 'c-2' }, t.clock.now());
    expect(await deliverDueWebhooks(t.deps)).toMatchObject({ attempted: 1, delivered: 0 });
    expect(received.filter((p) => p === '/moved')).toHaveLength(1);
    expect(received.filter((p) => p === '/target')).toHaveLength(0);
    const [d] = await (await t.request(`/api/webhooks/${webhook.id}/deliveries`)).json();
    expect(d).toMatchObject({ status: 'pending', lastStatusCode: 302, lastError: 'HTTP 302' });
  });
});
