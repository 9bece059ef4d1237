// npm run bench:submit — finished survey submissions per second through the real HTTP server (token lookup,
// row lock, answer validation against the survey version, answers replaced, invitation finished, rules job
// queued), beside a bare Hono route doing one INSERT into the same database, measured in the same run.
//   node --import tsx bench/submit.ts [--submissions=2000] [--clients=8,50] [--rounds=5]
import '../tests/support/loopback-only.ts';
import os from 'node:os';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../api/src/db/schema.ts';
import { validateAnswers } from '@rs/survey-definition';
import { templates } from '@rs/survey-templates';
import { buildApp } from '../api/src/app.ts';
import { createDatabase } from '../api/src/db/client.ts';
import { applyMigrations } from '../api/src/db/migrate.ts';
import { branches, customers, invitations } from '../api/src/db/schema.ts';
import { createRandom } from '../api/src/lib/random.ts';
import { simulateAnswers } from '../api/src/demo/simulate-answers.ts';
import { newInvitationToken } from '../api/src/distribution/tokens.ts';
import { parseEnv } from '../api/src/env.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import { createSurvey, publishSurvey } from '../api/src/surveys/versions.queries.ts';
import { databaseUrl, dropDatabases, startTestServer, uniqueName } from '../tests/support/postgres.ts';
import { writeResultsSection } from './results.ts';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const SUBMISSIONS = arg('submissions', 2000);
/** Clients in flight, one measured pair of runs (bare route, submits) per value. */
const CLIENTS = (process.argv.find((a) => a.startsWith('--clients='))?.split('=')[1] ?? '8,50').split(',').map(Number);
const CONCURRENCY = CLIENTS[0];
const WARMUP = arg('warmup', 50);
/** Turns per client count: bare route and submits alternate in this many slices. */
const ROUNDS = arg('rounds', 5);
/** Submits sent one at a time through a pool that records every statement (the profile: statements per submit, time per part). */
const PROFILED = arg('profiled', 40);
const log = (m: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

interface Sample {
  latencies: number[];
  seconds: number;
  failures: number;
}

/** Sends `count` requests with `concurrency` clients in flight; latencies in ms. */
async function drive(count: number, concurrency: number, send: (i: number) => Promise<Response>): Promise<Run> {
  return summarise([await sample(0, count, concurrency, send)]);
}

/** Requests `from` … `to - 1`, `concurrency` in flight. */
async function sample(from: number, to: number, concurrency: number, send: (i: number) => Promise<Response>): Promise<Sample> {
  const latencies: number[] = [];
  let next = from;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) failures++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failures };
}

function summarise(samples: Sample[]): Run {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), failures: samples.reduce((n, s) => n + s.failures, 0) };
}

/**
 * The two routes in turns of `count / rounds` requests each (bare, submit, bare, submit, …): the machine is
 * shared, and its load changes from one second to the next, so each route sees the same moments.
 */
async function alternate(count: number, concurrency: number, rounds: number, bare: (i: number) => Promise<Response>, submit: (i: number) => Promise<Response>) {
  const bareSamples: Sample[] = [];
  const submitSamples: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor((r * count) / rounds);
    const to = Math.floor(((r + 1) * count) / rounds);
    bareSamples.push(await sample(from, to, concurrency, bare));
    submitSamples.push(await sample(from, to, concurrency, submit));
  }
  return { bare: summarise(bareSamples), submit: summarise(submitSamples) };
}

async function main() {
  const load = os.loadavg()[0];
  const server = await startTestServer();
  const name = uniqueName('rs_bench_submit');
  const admin = (await import('postgres')).default(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = databaseUrl(server.adminUrl, name);
  await applyMigrations(url);
  const { db, sql } = createDatabase(url, { max: 10 });
  const [{ version: pgVersion }] = await sql<{ version: string }[]>`select split_part(version(), ' ', 2) as version`;
  try {
    const template = templates.find((t) => t.id === 'post-rental')!;
    const survey = await createSurvey(db, { name: 'bench', kind: 'post_rental', definition: template.definition });
    const version = await publishSurvey(db, survey.id);
    const definition = version.definition as SurveyDefinition;
    const [branch] = await db
      .insert(branches)
      .values({ code: 'B1', name: 'Bench', city: 'x', region: 'y' } as typeof branches.$inferInsert)
      .returning();
    const [customer] = await db.insert(customers).values({ externalId: 'bench-customer' }).returning();

    // One invitation per submission; the raw tokens only in memory, as in real links.
    // One invitation per submission, plus WARMUP more that only warm the route up (not measured).
    // Tokens [0, SUBMISSIONS × clients) are measured, one block per client count; the WARMUP after them are not.
    const MEASURED = SUBMISSIONS * CLIENTS.length;
    log(`creating ${MEASURED + WARMUP} invitations`);
    const tokens: string[] = [];
    const rows = Array.from({ length: MEASURED + WARMUP }, () => {
      const { token, tokenHash } = newInvitationToken();
      tokens.push(token);
      return {
        surveyId: survey.id,
        surveyVersionId: version.id,
        customerId: customer.id,
        branchId: branch.id,
        tokenHash,
        status: 'sent' as const,
        expiresAt: new Date(Date.now() + 86_400_000),
      };
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insert(invitations).values(rows.slice(i, i + 1000));

    const random = createRandom(7);
    const bodies = tokens.map(() =>
      JSON.stringify({
        answers: simulateAnswers(definition, { dimensions: { pickup: 0.7, vehicle: 0.8, staff: 0.75, value: 0.6 }, overall: 0.7, locale: 'zh-CN' }, random),
        locale: 'zh-CN',
      }),
    );
    await sql`create table bench_bare (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`;

    const env = parseEnv({ NODE_ENV: 'production', LOG_LEVEL: 'warn', RESPOND_RATE_PER_IP: '100000000', RESPOND_RATE_PER_TOKEN: '1000' });
    const app = buildApp({ db, sql, env, publicUrl: 'http://localhost', now: () => new Date() });
    const bare = new Hono().post('/bare', async (c) => {
      const body = await c.req.text();
      await sql`insert into bench_bare (body) values (${body}::jsonb)`;
      return c.json({ ok: true });
    });
    const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
      new Promise<{ port: number; close: () => void }>((resolve) => {
        const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() }));
      });
    const appServer = await listen(app.fetch);
    const bareServer = await listen(bare.fetch);
    const post = (port: number, path: string, body: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

    // Warm both paths (JIT, connection pool, prepared statements) the same way before measuring: the
    // submit route with its own invitations, so the measured ones stay unanswered.
    const bareWarm = await drive(WARMUP, CONCURRENCY, (i) => post(bareServer.port, '/bare', bodies[i]));
    const submitWarm = await drive(WARMUP, CONCURRENCY, (i) => post(appServer.port, `/api/respond/${tokens[MEASURED + i]}/submit`, bodies[MEASURED + i]));
    if (bareWarm.failures + submitWarm.failures > 0) throw new Error(`warm-up failed: ${bareWarm.failures} bare, ${submitWarm.failures} submits`);
    const runs: { clients: number; bare: Run; submit: Run }[] = [];
    for (const [k, clients] of CLIENTS.entries()) {
      const first = k * SUBMISSIONS;
      log(`bare INSERT route and survey submissions in ${ROUNDS} turns each, ${clients} clients`);
      const { bare, submit } = await alternate(
        SUBMISSIONS,
        clients,
        ROUNDS,
        (i) => post(bareServer.port, '/bare', bodies[first + i]),
        (i) => post(appServer.port, `/api/respond/${tokens[first + i]}/submit`, bodies[first + i]),
      );
      runs.push({ clients, bare, submit });
    }
    const submitFailures = runs.reduce((n, r) => n + r.submit.failures, 0);
    const endLoad = os.loadavg()[0];
    appServer.close();
    bareServer.close();

    // The profile: PROFILED more submits, one at a time, through an app whose pool notes each statement as
    // it is sent. A statement's time is from its sending to the next statement's (or the response's) end:
    // the round trip plus the JavaScript between them, so the parts add up to the request's time.
    const noted: { at: number; text: string }[] = [];
    const profSql = postgres(url, { max: 2, onnotice: () => {}, debug: (_c, text) => noted.push({ at: performance.now(), text: String(text) }) });
    const profApp = buildApp({ db: drizzle(profSql, { schema }), sql: profSql, env, publicUrl: 'http://localhost', now: () => new Date() });
    const profServer = await listen(profApp.fetch);
    const parts = new Map<string, { count: number; ms: number }>();
    let statements = 0;
    let roundTrips = 0;
    let requestMs = 0;
    const profileTokens: string[] = [];
    const profileRows = Array.from({ length: PROFILED }, () => {
      const { token, tokenHash } = newInvitationToken();
      profileTokens.push(token);
      return {
        surveyId: survey.id,
        surveyVersionId: version.id,
        customerId: customer.id,
        branchId: branch.id,
        tokenHash,
        status: 'sent' as const,
        expiresAt: new Date(Date.now() + 86_400_000),
      };
    });
    await db.insert(invitations).values(profileRows);
    for (let i = 0; i < PROFILED; i++) {
      noted.length = 0;
      const t0 = performance.now();
      const res = await post(profServer.port, `/api/respond/${profileTokens[i]}/submit`, bodies[i % bodies.length]);
      await res.arrayBuffer();
      const t1 = performance.now();
      if (!res.ok) throw new Error(`profiled submit failed: ${res.status}`);
      if (i < 5) continue; // the first ones prepare statements and warm the new pool
      requestMs += t1 - t0;
      statements += noted.length;
      roundTrips += noted.filter((n, j) => j === 0 || n.at - noted[j - 1].at >= 0.2).length;
      noted.forEach((n, j) => {
        const key = statementLabel(n.text);
        const part = parts.get(key) ?? { count: 0, ms: 0 };
        part.count++;
        part.ms += (noted[j + 1]?.at ?? t1) - n.at;
        parts.set(key, part);
      });
      if (noted.length > 0) {
        const before = parts.get('(HTTP, routing, validation before the first statement)') ?? { count: 0, ms: 0 };
        before.count++;
        before.ms += noted[0].at - t0;
        parts.set('(HTTP, routing, validation before the first statement)', before);
      }
    }
    profServer.close();
    await profSql.end({ timeout: 5 });
    const measured = PROFILED - 5;
    // Validation alone: the pure check of each body against the definition.
    const v0 = performance.now();
    for (let i = 0; i < 500; i++) validateAnswers(definition, JSON.parse(bodies[i % bodies.length]).answers, { final: true });
    const validationMs = (performance.now() - v0) / 500;

    const [{ finished }] = await sql<{ finished: number }[]>`select count(*)::int as finished from responses where status = 'finished'`;
    if (finished !== WARMUP + MEASURED + PROFILED - submitFailures)
      throw new Error(`expected ${WARMUP + MEASURED + PROFILED - submitFailures} finished responses, found ${finished}`);
    const [{ answers }] = await sql<{ answers: number }[]>`select count(*)::int as answers from answers`;

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const row = (label: string, r: Run) => `| ${label} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.failures} |`;
    const bursts = (statements: number, rounds: number) => `${(statements / measured).toFixed(1)} statements in ${(rounds / measured).toFixed(1)} round trips`;
    await writeResultsSection(
      'submit',
      [
        '## Survey submissions (`npm run bench:submit`)',
        '',
        `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at the start; PostgreSQL ${pgVersion} (${server.kind}).`,
        `${SUBMISSIONS} final submits of the post-rental template (${(answers / finished).toFixed(1)} answer rows each) per client count, over HTTP on loopback;`,
        `the bare route is a Hono handler doing one INSERT of the same JSON body into the same database, measured in the same run, the two routes`,
        `taking turns (${ROUNDS} slices of ${Math.floor(SUBMISSIONS / ROUNDS)} requests each, bare then submit) so both see the same moments of the shared machine; each route got ${WARMUP} unmeasured requests first.`,
        `Load average ${endLoad.toFixed(1)} at the end of the timed runs (other work on the machine slows both routes, not always alike).`,
        '',
        '| Clients | Path | per second | p50 | p99 | failed | submit ÷ bare |',
        '|---:|---|---:|---:|---:|---:|---:|',
        ...runs.flatMap((r) => [
          `| ${r.clients} ${row('bare Hono route, one INSERT', r.bare)} |`,
          `| ${r.clients} ${row('POST /api/respond/{token}/submit', r.submit)} ${(r.submit.perSecond / r.bare.perSecond).toFixed(2)}× |`,
        ]),
        '',
        (() => {
          const ratios = runs.map((r) => `${(r.submit.perSecond / r.bare.perSecond).toFixed(2)}× at ${r.clients} clients`).join(', ');
          const eight = runs.find((r) => r.clients === 8);
          const met = runs.every((r) => r.submit.perSecond / r.bare.perSecond >= 0.5) && eight !== undefined && eight.submit.p99 < 100;
          return `Goal (issue 15): ≥ 0.5× the bare route at 8 and 50 clients and p99 under 100 ms at 8 clients — ${ratios}${eight ? `, p99 ${ms(eight.submit.p99)} at 8 clients (the bare route's own p99 ${ms(eight.bare.p99)})` : ''}: ${met ? 'met' : '**not met**'}.`;
        })(),
        '',
        'Each submit takes its rate-limit hit, locks its invitation, validates every answer against the exact survey version, writes the response',
        'and its answer rows, finishes the invitation and analyses the comment (topics, sentiment), in one transaction; this survey has no alert',
        'rules, webhooks or reward programme (a submit of one that has them, or of a saved draft, takes the full transaction described below).',
        '',
        `Profile (${measured} more submits one at a time, each statement noted as the pool sends it): ${bursts(statements, roundTrips)} per submit`,
        '(statements sent less than 0.2 ms apart, before any answer could come back, count as one round trip: they are pipelined),',
        `${(requestMs / measured).toFixed(1)} ms per submit on its own; validating the answers against the definition alone takes ${validationMs.toFixed(2)} ms.`,
        'Time per part is from sending a statement to sending the next (its round trip and the JavaScript after it), averaged per submit:',
        '',
        '| Statement (first words) | per submit | ms per submit |',
        '|---|---:|---:|',
        ...[...parts.entries()]
          .sort((a, b) => b[1].ms - a[1].ms)
          .map(([k, p]) => `| ${k} | ${(p.count / measured).toFixed(1)} | ${(p.ms / measured).toFixed(2)} |`),
        '',
        '',
        'Before (the same profile by this script on an earlier version, 2026-12-02 11:27 UTC, load average 11.7; 8 clients: 55 submits/s against 514 bare, 0.11×):',
        '17.9 statements per submit, each its own round trip, 38.7 ms per submit on its own. First changes (0.16× at 8 clients):',
        'one rate-limit statement, survey definitions kept in memory per version id (published versions never change), the response inserted',
        'finished at once with an id made in the process, no delete for a new response, the text analysis only when there is a comment, rule,',
        'webhook and reward checks sent together: 13.7 statements in 12.1 round trips, the rate-limit statement committed on its own.',
        'Now: a first submit of a survey without alert rules, webhooks or rewards is one transaction of three round trips: (1) begin;',
        '(2) the rate-limit hit (in the transaction: a refused or invalid submit still counts, as the transaction commits), the invitation lock',
        'and one statement saying whether a response exists and whether the survey has enabled alert rules, webhooks on finished responses or',
        'an active reward programme; (3) the response, its answer rows (one statement over a JSON parameter: the same prepared statement',
        'whatever their number), the invitation status and commit, sent together. Raw SQL on that path (no query building). Anything else',
        '(a draft, a repeat, an expired or opted-out link, rules, webhooks, rewards) commits the hit and takes the full transaction.',
        "The begin is a round trip of its own because the transaction is the driver's (sql.begin): statements pipelined on a reserved",
        'connection that closes are never settled, which left submits hanging after a database restart (tests/chaos/postgres-restart.test.ts).',
        "The shipped lexicon is seeded through the pool before a process's first submit, not inside one submit's transaction (concurrent",
        'submits would analyse comments with topics their transactions cannot see yet: tests/integration/answering-submit.test.ts).',
        `What is left per submit: ${(statements / measured).toFixed(1)} statements in ${(roundTrips / measured).toFixed(1)} round trips; the comment's analysis (about every`,
        'second submit here) is four more round trips inside the transaction (lexicon version and the comment read back, the old analysis',
        'deleted, the new one written: api/src/text/text.queries.ts, analyseResponses), then commit with its WAL flush. Against one INSERT for the',
        'bare route. On this 2-core machine shared with other work both routes compete for the same two cores with PostgreSQL and the client,',
        'so the ratio follows CPU time per request more than round trips, and both figures move with the load of the moment.',
      ].join('\n'),
    );
    for (const r of runs)
      log(
        `${r.clients} clients: submit ${r.submit.perSecond.toFixed(0)}/s (p50 ${ms(r.submit.p50)}, p99 ${ms(r.submit.p99)}); bare ${r.bare.perSecond.toFixed(0)}/s`,
      );
  } finally {
    await sql.end({ timeout: 5 });
    await dropDatabases(server.adminUrl, [name]).catch(() => {});
    await server.stop();
  }
}

/** A statement's first words, short enough for a table row. */
function statementLabel(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim().replace(/\|/g, '/').replace(/`/g, "'");
  return `\`${t.length > 70 ? `${t.slice(0, 70)}…` : t}\``;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
