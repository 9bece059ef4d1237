// Two app processes that only serve requests (WORKERS=false) and two worker processes
// (api/src/queue/worker.main.ts) on one PostgreSQL of the test's own. 5,000 rentals are reported and
// answered through both app processes; one worker is killed with SIGKILL while invitations are being
// handed to the SMTP server. Afterwards: every invitation arrived exactly once, every acknowledged submit
// is stored once, each delivery was handed over by one attempt, the periodic work (case timers, retention)
// ran once per period and not once per process, and a survey link's request budget is shared by both
// app processes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_QUEUE } from '../../api/src/access/retention.ts';
import { CASE_TIMERS_QUEUE } from '../../api/src/cases/cases.jobs.ts';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { testsRoot } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { recordScenario } from './report.ts';
import { prepareDatabase, reportRentals, TOKEN_SECRET } from './setup-data.ts';

const RENTALS = 5_000;
const RENTALS_PER_CALL = 500;
const SUBMIT_CLIENTS = 8;
const KILL_AFTER_MESSAGES = 1_500;
const PER_TOKEN_LIMIT = 6;

let cluster: PgCluster;
let data: Awaited<ReturnType<typeof prepareDatabase>>;
let smtp: TestSmtpServer;
const apps: ServerProcess[] = [];
const workers: { child: ChildProcess; exited: Promise<void> }[] = [];
let workersStartedAt = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sharedEnv = () => ({
  DATABASE_URL: data.url,
  TOKEN_SECRET,
  SMTP_URL: smtp.url,
  MAIL_FROM: 'survey@rental.test',
  SEND_CONCURRENCY: '8',
  SEND_JOB_EXPIRE_SECONDS: '3',
  SEND_RETRY_DELAY_SECONDS: '1',
  SEND_RETRY_LIMIT: '8',
  QUEUE_MAINTENANCE_SECONDS: '1',
  QUEUE_POLL_MS: '200',
  EMAIL_RATE_PER_SECOND: '1000',
  RESPOND_RATE_PER_TOKEN: String(PER_TOKEN_LIMIT),
  RESPOND_RATE_WINDOW_SECONDS: '600',
});

function startWorkerProcess(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/queue/worker.main.ts'], {
    cwd: path.resolve(testsRoot, '..'),
    env: { ...process.env, ...sharedEnv(), LOG_LEVEL: 'error', DEMO_DATA: 'false', PUBLIC_URL: 'http://survey.test' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  workers.push({ child, exited });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster);
  const appEnv = { ...sharedEnv(), WORKERS: 'false' };
  const [a, b] = await Promise.all([startServerProcess(appEnv), startServerProcess(appEnv)]);
  apps.push(a, b);
  workersStartedAt = Date.now();
  await Promise.all([startWorkerProcess(), startWorkerProcess()]);
  // Whatever the hour: no quiet hours, no reminders.
  const res = await fetch(`${apps[0].baseUrl}/api/surveys/${data.surveyId}/invitation-rules`, {
    method: 'PUT',
    headers: { ...data.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ quietHours: { enabled: false }, reminders: { count: 0 } }),
  });
  expect(res.status, await res.text()).toBe(200);
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.race([Promise.all(workers.map((w) => w.exited)), sleep(10_000)]);
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const s of apps) await s.stop();
  await smtp?.close();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await cluster?.destroy();
});

describe('two app processes and two workers on one database', () => {
  it('a survey link has one request budget across both app processes', async () => {
    const [token] = await reportRentals(apps[0].baseUrl, data.apiKey, 1, 900_000);
    const statuses: number[] = [];
    for (let i = 0; i < PER_TOKEN_LIMIT + 4; i++) {
      const res = await fetch(`${apps[i % 2].baseUrl}/api/respond/${token}`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    // Counted per process, each would have allowed PER_TOKEN_LIMIT: all ten would pass.
    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_TOKEN_LIMIT);
    expect(statuses.slice(PER_TOKEN_LIMIT)).toEqual([429, 429, 429, 429]);
  });

  it('5,000 rentals and submits over both app processes, a worker killed mid-send: each invitation once, each submit once, periodic work once per period', async () => {
    let killedAt = -1;
    let killing: Promise<void> | null = null;
    smtp.onMessage = () => {
      if (smtp.messages.length >= KILL_AFTER_MESSAGES && !killing) {
        // Replies held for a moment: the worker dies with messages handed over but not yet acknowledged.
        smtp.hold();
        killing = sleep(300).then(async () => {
          workers[0].child.kill('SIGKILL');
          await workers[0].exited;
          killedAt = smtp.messages.length;
          smtp.release();
        });
      }
    };
    const started = Date.now();

    // Rentals in calls of 500 (5 batches of 100 each), alternating between the app processes, two at a time;
    // each call's survey links go to the submitting clients as soon as it returns.
    const pending: string[] = [];
    let reporting = true;
    const reported: string[] = [];
    const calls = Array.from({ length: RENTALS / RENTALS_PER_CALL }, (_, i) => i);
    const reporter = async (lane: number) => {
      for (let i = lane; i < calls.length; i += 2) {
        const tokens = await reportRentals(apps[i % 2].baseUrl, data.apiKey, RENTALS_PER_CALL, i * RENTALS_PER_CALL);
        reported.push(...tokens);
        pending.push(...tokens);
      }
    };
    const reporting$ = Promise.all([reporter(0), reporter(1)]).finally(() => (reporting = false));

    const acknowledged = new Map<string, string>();
    const statuses = new Map<string, number>();
    let next = 0;
    const client = async (lane: number) => {
      for (;;) {
        const token = pending.shift();
        if (!token) {
          if (!reporting) return;
          await sleep(50);
          continue;
        }
        const app = apps[next++ % 2];
        const res = await fetch(`${app.baseUrl}/api/respond/${token}/submit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: { q_nps: (token.charCodeAt(0) + lane) % 11, q_csat: 4 }, locale: 'en' }),
        });
        const key = String(res.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.status === 200) {
          const body = (await res.json()) as { responseId: string };
          acknowledged.set(token, body.responseId);
        } else await res.arrayBuffer();
      }
    };
    await Promise.all([reporting$, ...Array.from({ length: SUBMIT_CLIENTS }, (_, i) => client(i))]);
    expect(reported).toHaveLength(RENTALS);
    expect(Object.fromEntries(statuses)).toEqual({ '200': RENTALS });

    // Every delivery handed over (the survivor takes the dead worker's jobs when they expire).
    await waitUntil(
      'all deliveries handed over',
      async () => {
        const [{ open }] = await data.sql<{ open: number }[]>`select count(*)::int as open from deliveries where status in ('scheduled', 'queued')`;
        return open === 0;
      },
      90_000,
    );
    await sleep(1_000);
    smtp.onMessage = null;
    expect(killing, 'the worker was killed mid-send').not.toBeNull();
    await killing;
    expect(killedAt).toBeLessThan(RENTALS);

    // Each invitation exactly once, per idempotency key (the Message-ID) and per address.
    const invitationMail = smtp.messages.filter((m) => m.to.some((to) => /^c\d+@example\.com$/.test(to)));
    const perKey = new Map<string, number>();
    const perAddress = new Map<string, number>();
    for (const mail of invitationMail) {
      perKey.set(mail.messageId, (perKey.get(mail.messageId) ?? 0) + 1);
      for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
    const doubledKeys = [...perKey.values()].filter((n) => n > 1).length;
    const expectedAddresses = RENTALS + 1; // and the rate-limit test's rental
    // The one documented gap (api/src/distribution/README.md, "Delivery guarantees"): a worker that dies
    // between committing its claim on a message and writing the message's last bytes leaves it
    // `unconfirmed`, never sent twice. Those are the only invitations allowed to be missing, at most one
    // per send lane of the killed worker.
    const unconfirmed = await data.sql<{ address: string }[]>`
      select c.email as address from deliveries d join invitations i on i.id = d.invitation_id join customers c on c.id = i.customer_id
      where d.outcome = 'unconfirmed'`;
    const missing = [...Array.from({ length: RENTALS }, (_, i) => `c${i + 1}@example.com`), 'c900001@example.com'].filter((a) => !perAddress.has(a));
    // Submits run while invitations go out, so a customer may answer through their link before the worker
    // reaches their invitation: that delivery is skipped (nothing left to ask), not lost.
    const answeredFirst = await data.sql<{ address: string }[]>`
      select c.email as address from deliveries d join invitations i on i.id = d.invitation_id join customers c on c.id = i.customer_id
      where d.status = 'skipped' and d.outcome = 'finished'`;
    const notToSend = new Set(answeredFirst.map((r) => r.address));
    const lost = missing.filter((a) => !notToSend.has(a));
    recordScenario({
      scenario: '2 app + 2 worker processes, one worker killed mid-send',
      acknowledged: expectedAddresses,
      stored: perKey.size,
      lost: lost.length,
      doubled: doubledKeys,
      notes: `worker killed after ${killedAt} messages; ${unconfirmed.length} unconfirmed hand-overs; ${notToSend.size} answered before their invitation; ${RENTALS} submits in ${Math.round((Date.now() - started) / 1000)} s`,
    });
    expect(doubledKeys).toBe(0);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    // Every missing invitation that was still to be sent is an unconfirmed hand-over (a skipped one may have
    // arrived already: the killed worker handed it over before the customer answered; it counts once above).
    expect(lost.sort()).toEqual(
      unconfirmed
        .map((u) => u.address)
        .filter((a) => !perAddress.has(a))
        .sort(),
    );
    expect(lost.length).toBeLessThanOrEqual(Number(sharedEnv().SEND_CONCURRENCY));
    expect(perAddress.size + missing.length).toBe(expectedAddresses);
    const [attempts] = await data.sql<{ deliveries: number; accepted: number; over: number }[]>`
      select count(distinct delivery_id)::int as deliveries, count(*)::int as accepted,
        (select count(*)::int from (select delivery_id from send_attempts where state = 'accepted' group by 1 having count(*) > 1) x) as over
      from send_attempts where state = 'accepted'`;
    expect(attempts.over).toBe(0);

    // Every acknowledged submit stored once, with the response id it was answered with.
    const stored = await data.sql<{ id: string; invitation_id: string }[]>`select id, invitation_id from responses where status = 'finished'`;
    expect(stored).toHaveLength(acknowledged.size);
    expect(new Set(stored.map((r) => r.invitation_id)).size).toBe(stored.length);
    const storedIds = new Set(stored.map((r) => r.id));
    expect([...acknowledged.values()].every((id) => storedIds.has(id))).toBe(true);

    // Periodic work: at least two periods of the minute timer have passed since the workers started; each
    // period's job exists once (a timer per process would run it once per process) and was completed.
    const waitMs = workersStartedAt + 125_000 - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    const runs = await data.sql<{ name: string; singleton_on: Date; runs: number; completed: number }[]>`
      select name, singleton_on, count(*)::int as runs, count(*) filter (where state = 'completed')::int as completed
      from (select name, singleton_on, state from pgboss.job union all select name, singleton_on, state from pgboss.archive) j
      where name in (${CASE_TIMERS_QUEUE}, ${RETENTION_QUEUE})
      group by 1, 2 order by 1, 2`;
    const timerRuns = runs.filter((r) => r.name === CASE_TIMERS_QUEUE);
    const retentionRuns = runs.filter((r) => r.name === RETENTION_QUEUE);
    expect(timerRuns.length).toBeGreaterThanOrEqual(2);
    expect(timerRuns.every((r) => r.runs === 1)).toBe(true);
    // The newest period may still be running; the ones before are done.
    expect(timerRuns.slice(0, -1).every((r) => r.completed === 1)).toBe(true);
    // The retention job: once for its six-hour period, although two workers started (and one was killed).
    expect(retentionRuns).toHaveLength(1);
    expect(retentionRuns[0]).toMatchObject({ runs: 1, completed: 1 });
    // Accepted once each, but for the unconfirmed hand-overs and the invitations skipped because the customer answered first.
    expect(attempts.deliveries).toBe(expectedAddresses - unconfirmed.length - notToSend.size);
    for (const app of apps) expect(app.exited()).toBeNull();
  });
});
