// Provider outages are visible: with the SMTP server unreachable (a closed loopback port), deliveries are
// retried and /api/distribution/status shows e-mail down with its queue; once a real SMTP server answers on
// that port, the retried messages go out and the state is ok again; a failure right after successes is
// "degraded".
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistributionWorker } from '../../api/src/distribution/worker.ts';
import type { PgBoss } from '../../api/src/queue/queue.ts';
import { startTestDistribution, stopTestDistribution } from '../support/distribution.ts';
import { rentalPayload } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let boss: PgBoss;
let worker: DistributionWorker;
let smtp: TestSmtpServer | null = null;
let port: number;
const clock = testClock('2026-06-01T10:00:00Z');

async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const p = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return p;
}

beforeAll(async () => {
  port = await closedPort();
  t = await createTestApp({
    clock,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      TOKEN_SECRET: 'provider-health-test-secret-0123456789abcdef',
      EMAIL_RATE_PER_SECOND: '1000',
      SEND_RETRY_LIMIT: '5',
      SEND_RETRY_DELAY_SECONDS: '1',
    },
  });
  ({ boss, worker } = await startTestDistribution(t));
});

afterAll(async () => {
  await stopTestDistribution(worker, boss);
  await smtp?.close();
});

const status = async () => (await (await t.request('/api/distribution/status')).json()).providers;

async function runUntil(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await worker.runOnce();
    if (await check()) return;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('provider health', () => {
  it('is ok before anything was sent', async () => {
    expect(await status()).toEqual({
      email: { transport: 'smtp', state: 'ok', lastSuccessAt: null, lastErrorAt: null, lastError: null, failuresSinceSuccess: 0, queued: 0, retrying: 0 },
      sms: { transport: 'outbox', state: 'ok', lastSuccessAt: null, lastErrorAt: null, lastError: null, failuresSinceSuccess: 0, queued: 0, retrying: 0 },
    });
  });

  it('shows e-mail down, with the reason and the retrying messages, while the SMTP server is unreachable', async () => {
    for (const n of [1, 2, 3]) expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n) })).status).toBe(201);
    await worker.runOnce();
    const { email, sms } = await status();
    expect(email).toMatchObject({
      state: 'down',
      lastSuccessAt: null,
      lastErrorAt: clock.now().toISOString(),
      lastError: 'connection refused',
      failuresSinceSuccess: 3,
      queued: 3,
      retrying: 3,
    });
    expect(sms.state).toBe('ok');
    const [{ n }] = await t.sql`select count(*)::int as n from deliveries where status = 'queued' and attempts > 0`;
    expect(n).toBe(3);
  });

  it('is ok again once the server accepts, with the retried messages sent', async () => {
    smtp = await startSmtpServer({ port });
    clock.advance(60_000);
    await runUntil(async () => smtp!.messages.length === 3);
    const { email } = await status();
    expect(email).toMatchObject({
      state: 'ok',
      lastSuccessAt: clock.now().toISOString(),
      failuresSinceSuccess: 0,
      queued: 0,
      retrying: 0,
      lastError: 'connection refused',
    });
    expect(new Date(email.lastErrorAt).getTime()).toBeLessThan(new Date(email.lastSuccessAt).getTime());
  });

  it('shows degraded when the server fails right after successes', async () => {
    await smtp!.close();
    smtp = null;
    clock.advance(5 * 60_000);
    expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(4) })).status).toBe(201);
    await worker.runOnce();
    const { email } = await status();
    expect(email).toMatchObject({ state: 'degraded', failuresSinceSuccess: 1, queued: 1, retrying: 1, lastErrorAt: clock.now().toISOString() });
  });
});
