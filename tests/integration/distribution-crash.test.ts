// A worker process killed with SIGKILL in the middle of a batch — while the SMTP server holds its replies,
// so some messages are with the server but not yet marked sent — and a new worker process after it:
// every invitation arrives exactly once.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureQueues } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';
import { startWorkerProcess } from '../support/worker-process.ts';

const N = 40;
const TOKEN_SECRET = 'crash-test-secret-0123456789abcdef012345';
// Real time: the worker processes run on the real clock.
const clock = testClock(new Date());
const env = {
  TOKEN_SECRET,
  SEND_CONCURRENCY: '4',
  SEND_JOB_EXPIRE_SECONDS: '3',
  SEND_RETRY_DELAY_SECONDS: '1',
  QUEUE_MAINTENANCE_SECONDS: '1',
  QUEUE_POLL_MS: '100',
  EMAIL_RATE_PER_SECOND: '1000',
};

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let boss: PgBoss;
const children: ChildProcess[] = [];

const startWorker = () => startWorkerProcess({ ...env, DATABASE_URL: t.url, SMTP_URL: smtp.url }, children);

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock, env: { ...env, SMTP_URL: smtp.url } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  // Whatever the hour of the real clock: no quiet hours here.
  const res = await t.request(`/api/surveys/${survey.id}/invitation-rules`, {
    method: 'PUT',
    json: { quietHours: { enabled: false }, reminders: { count: 0 } },
  });
  expect(res.status).toBe(200);
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  await configureQueues(boss, t.deps);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await boss?.stop({ graceful: false, wait: true });
  await smtp?.close();
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out');
}

describe('a worker killed mid-batch', () => {
  it('sends every invitation exactly once after a restart', { timeout: 90_000 }, async () => {
    const returnedAt = new Date(Date.now() - 86_400_000).toISOString();
    const pickedUpAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const batch = await t.request('/api/rentals/batch', {
      method: 'POST',
      json: { rentals: Array.from({ length: N }, (_, i) => rentalPayload(i + 1, { pickedUpAt, returnedAt })) },
    });
    expect(batch.status).toBe(200);
    const { summary, results } = (await batch.json()) as any;
    expect(summary).toMatchObject({ received: N, created: N, invited: N });
    const tokenOf = new Map<string, string>(
      results.map((r: { invitation: { id: string; link: string } }) => [r.invitation.link.split('/s/')[1], r.invitation.id]),
    );

    // After 15 messages the server stops answering the end of a message; once the lanes have settled the
    // worker process is killed: some messages are with the server, unacknowledged, others not yet sent.
    let killed: Promise<void> | null = null;
    const first = await startWorker();
    smtp.onMessage = () => {
      if (smtp.messages.length === 15 && !killed) {
        smtp.hold();
        killed = new Promise((resolve) =>
          setTimeout(() => {
            first.kill('SIGKILL');
            first.once('exit', () => resolve());
          }, 500),
        );
      }
    };
    await waitUntil(async () => killed !== null, 30_000);
    await killed;
    smtp.onMessage = null;
    const atKill = smtp.messages.length;
    expect(atKill).toBeGreaterThanOrEqual(15);
    expect(atKill).toBeLessThan(N);
    const [{ handing }] = await t.sql`select count(*)::int as handing from send_attempts where state = 'handing'`;
    expect(handing).toBeGreaterThanOrEqual(1);
    const [{ sent }] = await t.sql`select count(*)::int as sent from deliveries where status = 'sent'`;
    expect(sent).toBeLessThan(atKill); // handed over but not marked: the window the idempotency key covers
    smtp.release();

    const second = await startWorker();
    await waitUntil(async () => {
      const [{ open }] = await t.sql`select count(*)::int as open from deliveries where status in ('scheduled', 'queued')`;
      return open === 0;
    }, 60_000);
    second.kill('SIGTERM');

    // Every invitation exactly once at the SMTP server, to its own customer.
    const counts = new Map<string, number>();
    for (const mail of smtp.messages) {
      const token = /\/s\/([A-Za-z0-9_-]{22})(?=\s)/.exec(mail.text)?.[1];
      expect(token && tokenOf.has(token)).toBe(true);
      counts.set(token!, (counts.get(token!) ?? 0) + 1);
    }
    expect(smtp.messages).toHaveLength(N);
    expect(counts.size).toBe(N);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    const outcomes = await t.sql`select status, outcome, count(*)::int as n from deliveries group by 1, 2 order by 1, 2`;
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    const unconfirmed = outcomes.find((o) => o.outcome === 'unconfirmed')?.n ?? 0;
    expect(unconfirmed).toBe(handing);
    const [{ claims }] = await t.sql`select count(distinct idempotency_key)::int as claims from send_attempts where state in ('handing', 'accepted')`;
    expect(claims).toBe(N);
  });
});
