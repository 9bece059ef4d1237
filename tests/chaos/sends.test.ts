// Invitations under provider trouble, sent by the real server process: (1) the server killed with SIGKILL
// while the SMTP server holds its replies (the approach of tests/integration/distribution-crash.test.ts,
// here with the whole server instead of a worker process), then started again; (2) the SMTP server refusing
// every connection for a while, then accepting. Each invitation arrives exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { recordScenario } from './report.ts';
import { prepareDatabase, reportRentals, TOKEN_SECRET } from './setup-data.ts';

let cluster: PgCluster;
let data: Awaited<ReturnType<typeof prepareDatabase>>;
let smtp: TestSmtpServer;
const servers: ServerProcess[] = [];

const serverEnv = () => ({
  DATABASE_URL: data.url,
  TOKEN_SECRET,
  SMTP_URL: smtp.url,
  MAIL_FROM: 'survey@rental.test',
  SEND_CONCURRENCY: '4',
  SEND_JOB_EXPIRE_SECONDS: '3',
  SEND_RETRY_DELAY_SECONDS: '1',
  SEND_RETRY_LIMIT: '8',
  QUEUE_MAINTENANCE_SECONDS: '1',
  QUEUE_POLL_MS: '100',
  EMAIL_RATE_PER_SECOND: '1000',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const tokenOfMail = (text: string) => /\/s\/([A-Za-z0-9_-]{22})(?=\s)/.exec(text)?.[1] ?? null;

/** Messages per survey-link token among the given ones; tokens outside the set count as strangers. */
function countMessages(tokens: string[]) {
  const wanted = new Set(tokens);
  const counts = new Map<string, number>();
  let strangers = 0;
  for (const mail of smtp.messages) {
    const token = tokenOfMail(mail.text);
    if (!token || !wanted.has(token)) {
      strangers++;
      continue;
    }
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const doubled = [...counts.values()].reduce((n, c) => n + (c - 1), 0);
  return { received: counts.size, doubled, lost: tokens.length - counts.size, strangers };
}

const openDeliveries = async () => {
  const [{ open }] = await data.sql<{ open: number }[]>`select count(*)::int as open from deliveries where status in ('scheduled', 'queued')`;
  return open;
};

beforeAll(async () => {
  smtp = await startSmtpServer();
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster);
  servers.push(await startServerProcess(serverEnv()));
  // Whatever the hour: no quiet hours, no reminders.
  const res = await fetch(`${servers[0].baseUrl}/api/surveys/${data.surveyId}/invitation-rules`, {
    method: 'PUT',
    headers: { ...data.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ quietHours: { enabled: false }, reminders: { count: 0 } }),
  });
  expect(res.status, await res.text()).toBe(200);
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await smtp?.close();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await cluster?.destroy();
});

describe('sending under provider trouble', () => {
  it('kill -9 of the server mid-batch, then a restart: every invitation exactly once', async () => {
    const N = 40;
    let killed: Promise<void> | null = null;
    // After 15 messages the SMTP server stops answering the end of a message; half a second later the
    // server is killed: some messages are with the provider unacknowledged, others not sent yet.
    smtp.onMessage = () => {
      if (smtp.messages.length === 15 && !killed) {
        smtp.hold();
        killed = sleep(500).then(() => servers[0].kill9());
      }
    };
    const tokens = await reportRentals(servers[0].baseUrl, data.apiKey, N);
    expect(tokens).toHaveLength(N);
    await waitUntil('the kill', async () => killed !== null, 60_000);
    await killed;
    smtp.onMessage = null;
    const atKill = smtp.messages.length;
    expect(atKill).toBeLessThan(N);
    smtp.release();

    servers.push(await startServerProcess(serverEnv()));
    await waitUntil('all deliveries handed over', async () => (await openDeliveries()) === 0, 90_000);
    await sleep(1_000);
    const counts = countMessages(tokens);
    recordScenario({
      scenario: 'kill -9 of the server during sends',
      acknowledged: N,
      stored: counts.received,
      lost: counts.lost,
      doubled: counts.doubled,
      notes: `killed after ${atKill} messages`,
    });
    expect(counts).toEqual({ received: N, doubled: 0, lost: 0, strangers: 0 });
  });

  it('an SMTP server that refuses for a while, then accepts: every invitation exactly once', async () => {
    const N = 20;
    const before = smtp.messages.length;
    smtp.setRefusing(true);
    const tokens = await reportRentals(servers[servers.length - 1].baseUrl, data.apiKey, N, 1_000);
    await waitUntil('refused attempts', async () => smtp.refusedConnections >= 3, 30_000);
    await sleep(5_000);
    expect(smtp.messages.length).toBe(before);
    const [{ retrying }] = await data.sql<{ retrying: number }[]>`
      select count(*)::int as retrying from deliveries where status in ('scheduled', 'queued')`;
    expect(retrying).toBe(N);
    smtp.setRefusing(false);
    await waitUntil('all deliveries handed over', async () => (await openDeliveries()) === 0, 90_000);
    await sleep(1_000);
    const counts = countMessages(tokens);
    recordScenario({
      scenario: 'SMTP refusing, then accepting',
      acknowledged: N,
      stored: counts.received,
      lost: counts.lost,
      doubled: counts.doubled,
      notes: `${smtp.refusedConnections} connections refused`,
    });
    expect(counts.received).toBe(N);
    expect(counts.lost).toBe(0);
    expect(counts.doubled).toBe(0);
    const [{ failed }] = await data.sql<{ failed: number }[]>`select count(*)::int as failed from deliveries where status <> 'sent'`;
    expect(failed).toBe(0);
  });
});
