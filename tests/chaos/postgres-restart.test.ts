// PostgreSQL stopped (fast shutdown) and started again under survey-submit traffic against the real server
// process: the process stays up, answers 503 quickly while the database is away, says so at /api/health and
// on the survey page, works again within 5 s of the database coming back, and no acknowledged submit is
// lost or stored twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { recordScenario } from './report.ts';
import { prepareDatabase, reportRentals, TOKEN_SECRET } from './setup-data.ts';
import { type SubmitAttempt, startSubmitTraffic } from './submit-traffic.ts';

const CLIENTS = 6;
const RENTALS = 400;
const DOWN_MS = 12_000;

let cluster: PgCluster;
let server: ServerProcess;
let data: Awaited<ReturnType<typeof prepareDatabase>>;

beforeAll(async () => {
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster);
  // Clients here retry one link every 100 ms through the outage: the per-link limit is not under test.
  server = await startServerProcess({
    DATABASE_URL: data.url,
    TOKEN_SECRET,
    QUEUE_POLL_MS: '200',
    QUEUE_MAINTENANCE_SECONDS: '5',
    // Sends that failed during the outage are retried after this (default 30 s, doubling): short here.
    SEND_RETRY_DELAY_SECONDS: '1',
    RESPOND_RATE_PER_TOKEN: '100000',
    RESPOND_RATE_PER_IP: '100000',
  });
});

beforeAll(async () => {
  // Whatever the hour: no quiet hours, so invitations are due at once and the queue works through the outage.
  const res = await fetch(`${server.baseUrl}/api/surveys/${data.surveyId}/invitation-rules`, {
    method: 'PUT',
    headers: { ...data.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ quietHours: { enabled: false }, reminders: { count: 0 } }),
  });
  expect(res.status, await res.text()).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await cluster?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statusCounts(attempts: SubmitAttempt[]) {
  const counts: Record<string, number> = {};
  for (const a of attempts) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

describe('PostgreSQL restart under submit traffic', () => {
  it('keeps the server up, answers 503 fast while down, recovers within 5 s, loses and doubles nothing', async () => {
    const tokens = await reportRentals(server.baseUrl, data.apiKey, RENTALS);
    expect(tokens).toHaveLength(RENTALS);
    const traffic = startSubmitTraffic(server.baseUrl, tokens, { clients: CLIENTS, timeoutMs: 10_000, retryAfterMs: 100 });
    const { acknowledged, attempts } = traffic;

    // Traffic flowing before the stop.
    for (let waited = 0; acknowledged.size < 30 && waited < 20_000; waited += 100) await sleep(100);
    const ackedBeforeStop = acknowledged.size;
    expect(
      ackedBeforeStop,
      `statuses: ${JSON.stringify(statusCounts(attempts))} ${traffic.unexpected.at(-1) ?? ''}\n${server.output.join('').slice(-2000)}`,
    ).toBeGreaterThan(0);

    await cluster.stop();
    const downAt = Date.now();
    const health: { at: number; status: number; body: unknown }[] = [];
    let surveyPage: { status: number; html: string } | null = null;
    while (Date.now() - downAt < DOWN_MS) {
      if (server.exited()) throw new Error(`the server exited (${server.exited()}) while the database was down:\n${server.output.join('').slice(-3000)}`);
      const started = Date.now();
      const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      health.push({ at: started, status: res.status, body: await res.json() });
      expect(Date.now() - started).toBeLessThan(2_000);
      if (!surveyPage && Date.now() - downAt > 3_000) {
        const page = await fetch(`${server.baseUrl}/s/${tokens[tokens.length - 1]}`, {
          headers: { 'accept-language': 'zh-CN' },
          signal: AbortSignal.timeout(5_000),
        });
        surveyPage = { status: page.status, html: await page.text() };
      }
      await sleep(500);
    }
    expect(server.exited()).toBeNull();

    const startingAt = Date.now();
    await cluster.start();
    const upAt = Date.now();
    let healthyAt: number | null = null;
    while (Date.now() - upAt < 10_000 && healthyAt === null) {
      const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (res?.status === 200) healthyAt = Date.now();
      else await sleep(200);
    }
    await sleep(3_000);
    // The rest (and any whose answer was lost with a dropped connection) once more, with the database up.
    await traffic.finish();

    const stored = await data.sql<{ token_count: number; responses: number; invitations: number; answers: number }[]>`
      select count(*)::int as responses, count(distinct invitation_id)::int as invitations,
        (select count(*)::int from answers) as answers, 0 as token_count
      from responses where status = 'finished'`;
    const [{ responses, invitations, answers }] = stored;
    const lost = Math.max(0, acknowledged.size - invitations);
    const doubled = responses - invitations + Math.max(0, invitations - acknowledged.size);
    recordScenario({
      scenario: 'PostgreSQL stop/start under submits',
      acknowledged: acknowledged.size,
      stored: responses,
      lost,
      doubled,
      notes: `${attempts.filter((a) => a.status === 503).length} × 503 while down, first 200 ${healthyAt ? '' : 'never '}after restart`,
    });

    // Still the same process.
    expect(server.exited()).toBeNull();
    // While down: quick 503s (and nothing else but 200s around the switch-over).
    // Requests answered before the database began to start again: one that waited for a connection across
    // the restart may rightly end in a 200.
    const whileDown = attempts.filter((a) => a.at > downAt + 1_000 && a.at + a.ms < startingAt);
    expect(whileDown.length).toBeGreaterThan(10);
    expect(whileDown.filter((a) => a.status !== 503).map((a) => `${a.status} at +${a.at - downAt} ms, took ${a.ms} ms`)).toEqual([]);
    expect(Math.max(...whileDown.map((a) => a.ms))).toBeLessThan(2_000);
    expect(
      attempts
        .filter((a) => a.status !== 200 && a.status !== 503)
        .map((a) => `${a.status} at +${a.at - downAt} ms (restart at +${startingAt - downAt} ms), took ${a.ms} ms`),
    ).toEqual([]);
    // Health: down while down, back within 5 s.
    const downHealth = health.filter((h) => h.at > downAt + 1_000);
    expect(downHealth.length).toBeGreaterThan(0);
    expect(
      downHealth
        .filter((h) => h.status !== 503 || (h.body as { database?: string }).database !== 'down')
        .map((h) => `${h.status} ${JSON.stringify(h.body)} at +${h.at - downAt} ms`),
    ).toEqual([]);
    expect(healthyAt).not.toBeNull();
    expect(healthyAt! - upAt).toBeLessThan(5_000);
    const firstOk = attempts.filter((a) => a.status === 200 && a.at >= upAt).map((a) => a.at + a.ms);
    expect(Math.min(...firstOk) - upAt).toBeLessThan(5_000);
    // Queue jobs resume by themselves: invitations reported after the restart are handed over (outbox here).
    const later = await reportRentals(server.baseUrl, data.apiKey, 10, 10_000);
    expect(later).toHaveLength(10);
    let open = -1;
    for (let waited = 0; waited < 30_000 && open !== 0; waited += 500) {
      [{ open }] = await data.sql<{ open: number }[]>`
        select count(*)::int as open from deliveries where status in ('scheduled', 'queued') and due_at <= now()`;
      if (open !== 0) await sleep(500);
    }
    const stuck =
      open === 0
        ? []
        : await data.sql`
      select d.status, d.attempts, d.last_error, j.state as job_state, j.retry_count
      from deliveries d left join pgboss.job j on j.data->>'deliveryId' = d.id::text
      where d.status in ('scheduled', 'queued') and d.due_at <= now() limit 5`;
    expect(open, JSON.stringify(stuck)).toBe(0);
    const [{ sentAfter }] = await data.sql<{ sentAfter: number }[]>`
      select count(*)::int as "sentAfter" from deliveries where status = 'sent' and sent_at >= ${new Date(upAt).toISOString()}`;
    expect(sentAfter).toBeGreaterThanOrEqual(10);
    // The customer's page: a polite page in both languages, not a crash.
    expect(surveyPage?.status).toBe(503);
    expect(surveyPage?.html).toContain('请一分钟后再试');
    expect(surveyPage?.html).toContain('Please try again in a minute');
    // Exactly what was acknowledged is stored, once each, with its two answers.
    expect(acknowledged.size).toBe(RENTALS);
    expect(lost).toBe(0);
    expect(doubled).toBe(0);
    expect(responses).toBe(RENTALS);
    expect(answers).toBe(RENTALS * 2);
  });
});
