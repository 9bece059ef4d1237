// npm run bench:analytics — the analytics engine on generated data: 200 branches, 1M finished responses
// of the post-rental survey (~20M answer rows), made with generate_series in a database of its own on
// the embedded PostgreSQL (or the server DATABASE_URL names). Measures summary by branch × month and
// drivers beside a bare SELECT … GROUP BY over the same answers in the same run, and writes the figures
// to bench/RESULTS.md.
//   node --import tsx bench/analytics.ts [--responses=1000000] [--branches=200] [--runs=2] [--keep]
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { templates } from '@rs/survey-templates';
import { buildCompare } from '../api/src/analytics/compare.queries.ts';
import { compareQuerySchema } from '../api/src/analytics/compare.schemas.ts';
import { buildDrivers } from '../api/src/analytics/drivers.queries.ts';
import { driversQuerySchema } from '../api/src/analytics/drivers.schemas.ts';
import { ensureFacts } from '../api/src/analytics/facts.ts';
import { buildSummary } from '../api/src/analytics/summary.queries.ts';
import { summaryQuerySchema } from '../api/src/analytics/summary.schemas.ts';
import { loadSurveyContext } from '../api/src/analytics/survey-context.ts';
import { buildTrend } from '../api/src/analytics/trend.queries.ts';
import { trendQuerySchema } from '../api/src/analytics/trend.schemas.ts';
import { createDatabase } from '../api/src/db/client.ts';
import { applyMigrations } from '../api/src/db/migrate.ts';
import type { SurveyDefinition } from '../api/src/surveys/definition/index.ts';
import { createSurvey, publishSurvey } from '../api/src/surveys/versions.queries.ts';
import { DEFAULT_BENCH_SIZE, generateBenchData } from '../tests/support/analytics-bench-data.ts';
import { databaseUrl, dropDatabases, startTestServer, uniqueName } from '../tests/support/postgres.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const RESPONSES = arg('responses', DEFAULT_BENCH_SIZE.responses);
const BRANCHES = arg('branches', DEFAULT_BENCH_SIZE.branches);
const RUNS = arg('runs', 2);
const KEEP = process.argv.includes('--keep');
const TZ = 'Asia/Shanghai';

const log = (message: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const seconds = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await f();
  return { ms: performance.now() - start, value };
}

interface Measurement {
  label: string;
  detail: string;
  first: number;
  median: number;
  min: number;
  rows?: number;
}

/** One cold run, then RUNS warm ones; JSON serialisation included, as a handler would do. */
async function measure(label: string, detail: string, f: () => Promise<unknown>): Promise<Measurement> {
  const runs: number[] = [];
  let rows: number | undefined;
  for (let i = 0; i <= RUNS; i++) {
    const { ms, value } = await timed(async () => {
      const result = await f();
      JSON.stringify(result);
      return result;
    });
    runs.push(ms);
    if (Array.isArray(value)) rows = value.length;
  }
  const warm = runs.slice(1).sort((a, b) => a - b);
  const m = { label, detail, first: runs[0], median: warm[Math.floor(warm.length / 2)], min: warm[0], rows };
  log(`${label}: first ${seconds(m.first)}, median ${seconds(m.median)}`);
  return m;
}

async function main() {
  const load = os.loadavg()[0];
  log(`cpus ${os.cpus().length}, load ${load.toFixed(1)}; ${BRANCHES} branches, ${RESPONSES.toLocaleString('en')} responses`);
  const server = await startTestServer();
  const name = uniqueName('rs_bench_analytics');
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrl(server.adminUrl, name);
  const { db, sql } = createDatabase(url, { max: 6 });
  try {
    await applyMigrations(url);
    const [{ version: pgVersion }] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    const [{ jit }] = await sql<{ jit: string }[]>`
      select case when current_setting('jit') = 'on' and pg_jit_available() then 'on' else 'off' end as jit`;
    const template = templates.find((t) => t.id === 'post-rental')!;
    const survey = await createSurvey(db, { name: 'Bench', kind: 'post_rental', definition: template.definition });
    const version = await publishSurvey(db, survey.id);
    const size = { ...DEFAULT_BENCH_SIZE, responses: RESPONSES, branches: BRANCHES, customers: Math.round(RESPONSES * 0.35), extraRentals: Math.round(RESPONSES / 4) };

    log('generating data …');
    const generation = await timed(() =>
      generateBenchData(sql, { surveyId: survey.id, versionId: version.id, definition: version.definition as SurveyDefinition }, size, (step) => log(`  ${step}`)),
    );
    const counts = generation.value;
    log(`generated ${counts.responses} responses, ${counts.answers} answers in ${seconds(generation.ms)}`);

    log('building the facts rollup …');
    const context = await loadSurveyContext(sql, survey.id);
    const build = await timed(() => ensureFacts(sql, context, { timeZone: TZ }));
    log(`rollup built in ${seconds(build.ms)}`);
    const [sizes] = await sql<{ answers: string; facts: string; daily: string }[]>`
      select pg_size_pretty(pg_total_relation_size('answers')) as answers, pg_size_pretty(pg_total_relation_size('analytics_response_facts')) as facts,
             pg_size_pretty(pg_total_relation_size('analytics_daily')) as daily`;

    const options = { timeZone: TZ, branchScope: null };
    const endDay = new Date(size.end.getTime() - 86_400_000).toISOString().slice(0, 10);
    const lastMonth = { from: `${endDay.slice(0, 7)}-01`, to: endDay };
    const months: { from: string; to: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const start = new Date(Date.UTC(+lastMonth.from.slice(0, 4), +lastMonth.from.slice(5, 7) - 1 - i, 1));
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
      months.unshift({ from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) });
    }
    const year = { from: months[0].from, to: months[11].to };
    const q = <T>(schema: { parse: (x: unknown) => T }, params: Record<string, unknown>) => schema.parse({ survey: survey.id, ...params });
    const results: Measurement[] = [];

    // The baseline: the same answers scanned and grouped with no statistics at all.
    const bareMonth = (period: { from: string; to: string }) => sql`
      select b.code, to_char(date_trunc('month', r.finished_at at time zone ${TZ}), 'YYYY-MM') as month, a.question_id, a.item_id,
             count(*)::int as n, avg(a.value_number) as mean
      from answers a join responses r on r.id = a.response_id join branches b on b.id = r.branch_id
      where r.survey_id = ${survey.id} and r.status = 'finished'
        and r.finished_at >= (${period.from}::date)::timestamp at time zone ${TZ}
        and r.finished_at < (${period.to}::date + 1)::timestamp at time zone ${TZ}
      group by 1, 2, 3, 4`;
    results.push(await measure('bare scan, branch × month, 12 months', 'SELECT … GROUP BY branch, month, question, item over answers ⋈ responses', () => bareMonth(year)));
    results.push(await measure('bare scan, branch, 1 month', 'the same for the last month', () => bareMonth(lastMonth)));

    results.push(await measure('summary by branch, 1 month', 'GET /summary?groupBy=branch&from…to = one month', () => buildSummary(sql, q(summaryQuerySchema, { groupBy: 'branch', ...lastMonth }), options)));
    results.push(
      await measure('summary by branch × month, 12 requests', 'GET /summary?groupBy=branch once per month of the year', async () => {
        for (const month of months) await buildSummary(sql, q(summaryQuerySchema, { groupBy: 'branch', ...month }), options);
      }),
    );
    results.push(
      await measure('trend by branch × month, 1 request', 'GET /trend?interval=month&groupBy=branch&metric=csi (2,400 cells)', () =>
        buildTrend(sql, q(trendQuerySchema, { interval: 'month', groupBy: 'branch', metric: 'csi', ...year }), options),
      ),
    );
    results.push(await measure('summary by branch, 12 months', 'GET /summary?groupBy=branch over the year', () => buildSummary(sql, q(summaryQuerySchema, { groupBy: 'branch', ...year }), options)));
    results.push(await measure('summary by month, 12 months', 'GET /summary?groupBy=month over the year', () => buildSummary(sql, q(summaryQuerySchema, { groupBy: 'month', ...year }), options)));
    results.push(
      await measure('summary by region, weighted', 'GET /summary?groupBy=region&weight=branchVolume over the year', () =>
        buildSummary(sql, q(summaryQuerySchema, { groupBy: 'region', weight: 'branchVolume', ...year }), options),
      ),
    );
    results.push(
      await measure('summary by tier, 12 months', 'GET /summary?groupBy=tier: a customer segment, so from the per-response facts', () =>
        buildSummary(sql, q(summaryQuerySchema, { groupBy: 'tier', ...year }), options),
      ),
    );
    results.push(
      await measure('summary by branch, 1 month, business customers', 'GET /summary?groupBy=branch&customerType=business (facts)', () =>
        buildSummary(sql, q(summaryQuerySchema, { groupBy: 'branch', customerType: 'business', ...lastMonth }), options),
      ),
    );
    results.push(await measure('compare branches, 1 month', 'GET /compare?groupBy=branch (200 tests, Holm)', () => buildCompare(sql, q(compareQuerySchema, { groupBy: 'branch', ...lastMonth }), options)));
    results.push(await measure('drivers, 12 months', 'GET /drivers (7 dimensions, relative weights)', () => buildDrivers(sql, q(driversQuerySchema, year), options)));
    results.push(await measure('drivers, 1 month', 'GET /drivers for the last month', () => buildDrivers(sql, q(driversQuerySchema, lastMonth), options)));
    results.push(await measure('drivers, 1 branch, 12 months', 'GET /drivers?branch=B001', () => buildDrivers(sql, q(driversQuerySchema, { branch: 'B001', ...year }), options)));
    results.push(
      await measure('drivers, 12 months, business customers', 'GET /drivers?customerType=business (facts)', () =>
        buildDrivers(sql, q(driversQuerySchema, { customerType: 'business', ...year }), options),
      ),
    );
    results.push(
      await measure('drivers by item, 12 months', 'GET /drivers?drivers=items (19 items)', () => buildDrivers(sql, q(driversQuerySchema, { drivers: 'items', ...year }), options)),
    );

    // Upkeep: 1,000 responses finished since the last read are folded in by the next one.
    const [{ surveyVersion }] = await sql<{ surveyVersion: string }[]>`select survey_version_id as "surveyVersion" from responses limit 1`;
    await sql`
      with fresh as (
        insert into responses (survey_id, survey_version_id, branch_id, customer_id, rental_id, locale, status, started_at, finished_at)
        select survey_id, ${surveyVersion}, branch_id, customer_id, null, locale, 'finished', finished_at, finished_at
        from responses order by finished_at desc limit 1000
        returning id)
      insert into answers (response_id, question_id, item_id, value_number)
      select id, q, null, case when q = 'q_nps' then 9 else 5 end from fresh cross join unnest(array['q_nps', 'q_csat']) q`;
    const upkeep = await timed(() => buildSummary(sql, q(summaryQuerySchema, { groupBy: 'branch', ...lastMonth }), options));
    log(`summary after 1,000 new responses: ${seconds(upkeep.ms)}`);

    await writeResults({
      pgVersion,
      jit,
      server: server.kind,
      load,
      counts,
      sizes,
      generation: generation.ms,
      build: build.ms,
      upkeep: upkeep.ms,
      results,
    });
  } finally {
    await sql.end({ timeout: 5 });
    await admin.end();
    if (!KEEP) await dropDatabases(server.adminUrl, [name]).catch(() => {});
    await server.stop();
  }
}

async function writeResults(r: {
  pgVersion: string;
  jit: string;
  server: string;
  load: number;
  counts: { responses: number; answers: number; rentals: number };
  sizes: { answers: string; facts: string; daily: string };
  generation: number;
  build: number;
  upkeep: number;
  results: Measurement[];
}) {
  const file = path.join(here, 'RESULTS.md');
  const fmt = (n: number) => n.toLocaleString('en');
  const bare = r.results.find((m) => m.label.startsWith('bare scan, branch × month'))!;
  const lines = [
    '<!-- bench:analytics -->',
    '## Analytics (`npm run bench:analytics`)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${r.load.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end ` +
      `(other work on the machine slows every figure alike); PostgreSQL ${r.pgVersion} (${r.server}, jit ${r.jit}).`,
    `Data: ${BRANCHES} branches, ${fmt(r.counts.responses)} finished responses of the post-rental template over 12 months, ` +
      `${fmt(r.counts.answers)} answer rows (${r.sizes.answers} with indexes), ${fmt(r.counts.rentals)} rentals; generated with generate_series in ${seconds(r.generation)}.`,
    `Rollups built once from the answers in ${seconds(r.build)}: the per-response facts (${r.sizes.facts}) and the daily sums per branch ` +
      `(${r.sizes.daily}); afterwards the triggers list changed responses and the next read folds them in (the first summary after ` +
      `1,000 new responses took ${seconds(r.upkeep)}).`,
    '',
    `Each figure: the first (cold) run, then the median and the best of ${RUNS} more; analytics calls are the query functions behind the routes, JSON included.`,
    '',
    '| What | Detail | First | Median | Best | Bare 12-month scan ÷ median |',
    '|---|---|---:|---:|---:|---:|',
    ...r.results.map((m) => {
      const ratio = bare.median / m.median;
      return `| ${m.label} | ${m.detail} | ${seconds(m.first)} | ${seconds(m.median)} | ${seconds(m.min)} | ${ratio >= 10 ? Math.round(ratio).toLocaleString('en') : ratio.toFixed(1)} |`;
    }),
    '',
    'Reading: without customer or rental segments (branch, region and period filters and groupings — the league table, the trend, the',
    'default drivers) the analytics read the daily rollup: one row per branch and day with every sum the blocks need, Σx and Σx·x of the',
    'default driver analysis included. With a segment (tier, customer type, vehicle class, channel, new/returning) or another driver set they',
    'read the per-response facts (one narrow row per response with each respondent’s dimension scores and index) instead of the ~20 answer',
    'rows per response the bare scan joins and groups. Either way NPS, CSAT, CSI with every dimension and PP100 come out of one GROUP BY.',
    '<!-- /bench:analytics -->',
  ];
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch {
    existing = '# Benchmark results\n';
  }
  const section = lines.join('\n');
  const pattern = /<!-- bench:analytics -->[\s\S]*?<!-- \/bench:analytics -->/;
  const next = pattern.test(existing) ? existing.replace(pattern, section) : `${existing.trimEnd()}\n\n${section}\n`;
  await writeFile(file, next);
  log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
