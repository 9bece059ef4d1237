// npm run bench:submit — finished survey submissions per second through the real HTTP server (token lookup,
// row lock, answer validation against the survey version, answers replaced, invitation finished, rules job
// queued), beside a bare Hono route doing one INSERT into the same database, measured in the same run.
//   node --import tsx bench/submit.ts [--submissions=2000] [--concurrency=8]
import os from 'node:os';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { templates } from '@rs/survey-templates';
import { buildApp } from '../api/src/app.ts';
import { createDatabase } from '../api/src/db/client.ts';
import { applyMigrations } from '../api/src/db/migrate.ts';
import { branches, customers, invitations } from '../api/src/db/schema.ts';
import { createRandom } from '../api/src/demo/random.ts';
import { simulateAnswers } from '../api/src/demo/simulate-answers.ts';
import { newInvitationToken } from '../api/src/distribution/tokens.ts';
import { parseEnv } from '../api/src/env.ts';
import type { SurveyDefinition } from '../api/src/surveys/definition/index.ts';
import { createSurvey, publishSurvey } from '../api/src/surveys/versions.queries.ts';
import { databaseUrl, dropDatabases, startTestServer, uniqueName } from '../tests/support/postgres.ts';
import { writeResultsSection } from './results.ts';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const SUBMISSIONS = arg('submissions', 2000);
const CONCURRENCY = arg('concurrency', 8);
const log = (m: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

/** Sends `count` requests with `concurrency` clients in flight; latencies in ms. */
async function drive(count: number, concurrency: number, send: (i: number) => Promise<Response>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: count / elapsed, p50: at(0.5), p99: at(0.99), failures };
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
    const [branch] = await db.insert(branches).values({ code: 'B1', name: 'Bench', city: 'x', region: 'y' }).returning();
    const [customer] = await db.insert(customers).values({ externalId: 'bench-customer' }).returning();

    // One invitation per submission; the raw tokens only in memory, as in real links.
    log(`creating ${SUBMISSIONS} invitations`);
    const tokens: string[] = [];
    const rows = Array.from({ length: SUBMISSIONS }, () => {
      const { token, tokenHash } = newInvitationToken();
      tokens.push(token);
      return { surveyId: survey.id, surveyVersionId: version.id, customerId: customer.id, branchId: branch.id, tokenHash, status: 'sent' as const, expiresAt: new Date(Date.now() + 86_400_000) };
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insert(invitations).values(rows.slice(i, i + 1000));

    const random = createRandom(7);
    const bodies = tokens.map(() =>
      JSON.stringify({ answers: simulateAnswers(definition, { dimensions: { pickup: 0.7, vehicle: 0.8, staff: 0.75, value: 0.6 }, overall: 0.7, locale: 'zh-CN' }, random), locale: 'zh-CN' }),
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

    // Warm both paths (JIT, connection pool) before measuring.
    await drive(50, CONCURRENCY, (i) => post(bareServer.port, '/bare', bodies[i]));
    log('bare INSERT route');
    const bareRun = await drive(SUBMISSIONS, CONCURRENCY, (i) => post(bareServer.port, '/bare', bodies[i]));
    log('survey submissions');
    const submitRun = await drive(SUBMISSIONS, CONCURRENCY, (i) => post(appServer.port, `/api/respond/${tokens[i]}/submit`, bodies[i]));
    appServer.close();
    bareServer.close();

    const [{ finished }] = await sql<{ finished: number }[]>`select count(*)::int as finished from responses where status = 'finished'`;
    if (finished !== SUBMISSIONS - submitRun.failures) throw new Error(`expected ${SUBMISSIONS - submitRun.failures} finished responses, found ${finished}`);
    const [{ answers }] = await sql<{ answers: number }[]>`select count(*)::int as answers from answers`;

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const row = (label: string, r: Run) => `| ${label} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.failures} |`;
    await writeResultsSection(
      'submit',
      [
        '## Survey submissions (`npm run bench:submit`)',
        '',
        `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at the start; PostgreSQL ${pgVersion} (${server.kind}).`,
        `${SUBMISSIONS} final submits of the post-rental template (${(answers / finished).toFixed(1)} answer rows each) over HTTP on loopback, ${CONCURRENCY} clients in flight;`,
        'the bare route is a Hono handler doing one INSERT of the same JSON body into the same database, measured in the same run.',
        '',
        '| Path | per second | p50 | p99 | failed |',
        '|---|---:|---:|---:|---:|',
        row('bare Hono route, one INSERT', bareRun),
        row('POST /api/respond/{token}/submit', submitRun),
        '',
        `Submissions run at ${((submitRun.perSecond / bareRun.perSecond) * 100).toFixed(0)} % of the bare insert rate: each one locks its invitation, validates every answer against`,
        'the exact survey version, writes the response and its answer rows, finishes the invitation and queues the closed-loop rule check in one transaction.',
      ].join('\n'),
    );
    log(`submit ${submitRun.perSecond.toFixed(0)}/s (p50 ${ms(submitRun.p50)}, p99 ${ms(submitRun.p99)}); bare ${bareRun.perSecond.toFixed(0)}/s`);
  } finally {
    await sql.end({ timeout: 5 });
    await dropDatabases(server.adminUrl, [name]).catch(() => {});
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
