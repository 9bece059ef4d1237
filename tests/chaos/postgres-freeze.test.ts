// PostgreSQL frozen (every server process stopped with SIGSTOP: connections stay open, nothing answers, as
// with a hung host or a network partition) under survey-submit traffic against the real server process.
// Requests must not wait for the whole outage: they answer 503 within seconds (the database watchdog,
// api/src/lib/database-watchdog.ts), /api/health says "down", the survey page shows its polite page, and
// after the thaw everything works again with no acknowledged submit lost or stored twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { recordScenario } from './report.ts';
import { prepareDatabase, reportRentals, TOKEN_SECRET } from './setup-data.ts';
import { startSubmitTraffic } from './submit-traffic.ts';

const CLIENTS = 4;
const RENTALS = 200;
const FROZEN_MS = 25_000;
/** Longest a request may take while the database is frozen: the watchdog's 3 s wait and two 2 s checks, with room. */
const ANSWER_WITHIN_MS = 12_000;

let cluster: PgCluster;
let server: ServerProcess;
let data: Awaited<ReturnType<typeof prepareDatabase>>;

beforeAll(async () => {
  cluster = await startPgCluster();
  data = await prepareDatabase(cluster);
  server = await startServerProcess({
    DATABASE_URL: data.url,
    TOKEN_SECRET,
    QUEUE_POLL_MS: '200',
    RESPOND_RATE_PER_TOKEN: '100000',
    RESPOND_RATE_PER_IP: '100000',
  });
});

afterAll(async () => {
  cluster?.thaw();
  await server?.stop();
  await data?.sql.end({ timeout: 1 }).catch(() => {});
  await cluster?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL frozen under submit traffic', () => {
  it('answers 503 within seconds instead of hanging, recovers after the thaw, loses and doubles nothing', async () => {
    const tokens = await reportRentals(server.baseUrl, data.apiKey, RENTALS);
    expect(tokens).toHaveLength(RENTALS);
    // Longer than the freeze: a request that hangs through the outage shows as one that took that long.
    const traffic = startSubmitTraffic(server.baseUrl, tokens, { clients: CLIENTS, timeoutMs: FROZEN_MS + 20_000, retryAfterMs: 200 });
    const { acknowledged, attempts } = traffic;
    for (let waited = 0; acknowledged.size < 20 && waited < 20_000; waited += 100) await sleep(100);
    expect(acknowledged.size).toBeGreaterThan(0);

    cluster.freeze();
    const frozenAt = Date.now();
    const health: { at: number; ms: number; status: number }[] = [];
    let surveyPage: { status: number; html: string; ms: number } | null = null;
    while (Date.now() - frozenAt < FROZEN_MS) {
      expect(server.exited()).toBeNull();
      const started = Date.now();
      const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
      health.push({ at: started, ms: Date.now() - started, status: res.status });
      await res.text();
      if (!surveyPage && Date.now() - frozenAt > 2_000) {
        const pageStarted = Date.now();
        const page = await fetch(`${server.baseUrl}/s/${tokens[tokens.length - 1]}`, {
          headers: { 'accept-language': 'en' },
          signal: AbortSignal.timeout(FROZEN_MS),
        });
        surveyPage = { status: page.status, html: await page.text(), ms: Date.now() - pageStarted };
      }
      await sleep(500);
    }
    const thawAt = Date.now();
    cluster.thaw();

    let healthyAt: number | null = null;
    while (Date.now() - thawAt < 15_000 && healthyAt === null) {
      const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (res?.status === 200) healthyAt = Date.now();
      else await sleep(200);
    }
    await sleep(2_000);
    await traffic.finish();

    const [{ responses, invitations, answers }] = await data.sql<{ responses: number; invitations: number; answers: number }[]>`
      select count(*)::int as responses, count(distinct invitation_id)::int as invitations, (select count(*)::int from answers) as answers
      from responses where status = 'finished'`;
    const lost = Math.max(0, acknowledged.size - invitations);
    const doubled = responses - invitations + Math.max(0, invitations - acknowledged.size);
    // Requests that began while the database was frozen, early enough to be answered before the thaw.
    const whileFrozen = attempts.filter((a) => a.at >= frozenAt && a.at < thawAt - ANSWER_WITHIN_MS);
    recordScenario({
      scenario: 'PostgreSQL frozen (SIGSTOP) under submits',
      acknowledged: acknowledged.size,
      stored: responses,
      lost,
      doubled,
      notes: `${whileFrozen.filter((a) => a.status === 503).length} × 503 while frozen, slowest ${Math.max(...whileFrozen.map((a) => a.ms))} ms`,
    });

    expect(server.exited()).toBeNull();
    expect(traffic.unexpected).toEqual([]);
    // Nothing waited for the outage: each request begun while frozen was answered 503 within seconds.
    expect(whileFrozen.length).toBeGreaterThan(3);
    expect(whileFrozen.filter((a) => a.status !== 503 || a.ms > ANSWER_WITHIN_MS).map((a) => `${a.status} after ${a.ms} ms`)).toEqual([]);
    // Those in flight at the moment of the freeze too.
    const caught = attempts.filter((a) => a.at < frozenAt && a.at + a.ms > frozenAt);
    expect(caught.filter((a) => a.at + a.ms > frozenAt + ANSWER_WITHIN_MS).map((a) => `${a.status} after ${a.ms} ms`)).toEqual([]);
    // Health said down, within its own 2 s bound; the survey page was the polite one.
    const frozenHealth = health.filter((h) => h.at > frozenAt + 500);
    expect(frozenHealth.length).toBeGreaterThan(3);
    expect(frozenHealth.every((h) => h.status === 503 && h.ms < 5_000)).toBe(true);
    expect(surveyPage?.status).toBe(503);
    expect(surveyPage?.html).toContain('Please try again in a minute');
    expect(surveyPage!.ms).toBeLessThan(ANSWER_WITHIN_MS);
    // Back by itself after the thaw, and exactly what was acknowledged is stored, once each.
    expect(healthyAt).not.toBeNull();
    expect(acknowledged.size).toBe(RENTALS);
    expect(lost).toBe(0);
    expect(doubled).toBe(0);
    expect(responses).toBe(RENTALS);
    expect(answers).toBe(RENTALS * 2);
  });
});
