// npm run bench:analytics — issue 15, goal 4: every dashboard API call under 300 ms and every staff page's
// server render under 500 ms at 200 branches / 1M responses / 12 months, measured over HTTP on loopback with a
// signed-in staff session (the API and the built SvelteKit server in one process, as `npm start` runs them).
// Beside each API figure: the same figure computed by DuckDB over a Parquet export of the same answers (one row
// per response, its answers in columns), and the script fails unless DuckDB's figure equals ours.
// Data: generate_series inside PostgreSQL (tests/support/analytics-bench-data.ts), in a database of its own.
//   node --import tsx bench/analytics.ts [--responses=1000000] [--branches=200] [--runs=7] [--page-runs=5] [--keep] [--no-build] [--no-results]
// --no-build reuses the web build copied to bench/.tmp/web-build by an earlier run.
import '../tests/support/loopback-only.ts';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { getRequestListener } from '@hono/node-server';
import postgres from 'postgres';
import { templates } from '@rs/survey-templates';
import type { SurveyDefinition } from '@rs/survey-definition';
import { ensureFacts } from '../api/src/analytics/engine/facts.queries.ts';
import { analysePendingComments, listCommentsWithoutAnalysis } from '../api/src/text/text.queries.ts';
import { loadSurveyContext, type SurveyContext } from '../api/src/analytics/engine/survey-context.ts';
import { buildApp } from '../api/src/app.ts';
import { createDatabase } from '../api/src/db/client.ts';
import { applyMigrations } from '../api/src/db/migrate.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from '../api/src/demo/seed.ts';
import { returningCustomerCondition } from '../api/src/distribution/segments.ts';
import { parseEnv } from '../api/src/env.ts';
import { CLIENT_ADDRESS_HEADER } from '../api/src/lib/client-address.ts';
import { createSurvey, publishSurvey } from '../api/src/surveys/versions.queries.ts';
import { DEFAULT_BENCH_SIZE, generateBenchData } from '../tests/support/analytics-bench-data.ts';
import { databaseUrl, dropDatabases, startTestServer, uniqueName } from '../tests/support/postgres.ts';
import { writeResultsSection } from './results.ts';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const RESPONSES = arg('responses', DEFAULT_BENCH_SIZE.responses);
const BRANCHES = arg('branches', DEFAULT_BENCH_SIZE.branches);
/** Warm runs per API call (after one cold run); p50 and p95 are of these. */
const RUNS = arg('runs', 7);
const PAGE_RUNS = arg('page-runs', 5);
const KEEP = process.argv.includes('--keep');
const NO_BUILD = process.argv.includes('--no-build');
/** A check run (e.g. a small size): measure and compare, but leave bench/RESULTS.md as it is. */
const NO_RESULTS = process.argv.includes('--no-results');
const TZ = 'Asia/Shanghai';
const API_LIMIT_MS = 300;
const PAGE_LIMIT_MS = 500;
/** DuckDB's figure and ours must agree to this relative tolerance (sums of doubles in another order). */
const TOLERANCE = 1e-9;

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const tmpDir = path.join(repoRoot, 'bench', '.tmp');
const webCopy = path.join(tmpDir, 'web-build');
const API_FETCH = Symbol.for('rental-satisfaction.apiFetch');

const log = (message: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const fmt = (n: number) => n.toLocaleString('en');

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await f();
  return { ms: performance.now() - start, value };
}

/** Nearest-rank percentile of a sorted list. */
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

interface Timing {
  cold: number;
  p50: number;
  p95: number;
}

/** Warm runs after a cold run of more than this: 2 (a call of many seconds says what it needs to in 3 runs). */
const SLOW_MS = 5000;
/** After a cold run of more than this, none: its figure is the cold one (a minute more per run tells nothing new). */
const VERY_SLOW_MS = 60_000;

async function repeat(runs: number, f: () => Promise<unknown>): Promise<Timing & { last: unknown; runs: number }> {
  const first = await timed(f);
  const warm: number[] = [];
  let last: unknown = first.value;
  const count = first.ms > VERY_SLOW_MS ? 0 : first.ms > SLOW_MS ? Math.min(2, runs) : runs;
  for (let i = 0; i < count; i++) {
    const t = await timed(f);
    warm.push(t.ms);
    last = t.value;
  }
  if (warm.length === 0) warm.push(first.ms);
  warm.sort((a, b) => a - b);
  return { cold: first.ms, p50: percentile(warm, 0.5), p95: percentile(warm, 0.95), last, runs: count };
}

/** A figure both sides computed: a name and a number (or null: not computable / suppressed). */
type Figures = Map<string, number | string | null>;

function compareFigures(label: string, ours: Figures, theirs: Figures): { checked: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [key, value] of ours) {
    if (!theirs.has(key)) {
      mismatches.push(`${label}: ${key} = ${value} ours, missing in DuckDB`);
      continue;
    }
    const other = theirs.get(key)!;
    checked++;
    if (typeof value === 'number' && typeof other === 'number') {
      if (Math.abs(value - other) > TOLERANCE * Math.max(1, Math.abs(value))) mismatches.push(`${label}: ${key} = ${value} ours, ${other} DuckDB`);
    } else if (value !== other) mismatches.push(`${label}: ${key} = ${value} ours, ${other} DuckDB`);
  }
  for (const key of theirs.keys()) if (!ours.has(key)) mismatches.push(`${label}: ${key} = ${theirs.get(key)} in DuckDB, missing in ours`);
  return { checked, mismatches };
}

interface ApiRow {
  label: string;
  request: string;
  timing: Timing;
  duck: (Timing & { checked: number; differ: number }) | null;
}

interface PageRow {
  path: string;
  timing: Timing;
  bytes: number;
}

/** Builds the web app under the team's build lock and copies it, so other builds cannot change it during the run. */
function copyWebBuild() {
  if (NO_BUILD && existsSync(path.join(webCopy, 'handler.js'))) return;
  log('building the web app (under /tmp/rs-web.lock) …');
  execFileSync(
    'flock',
    [
      '/tmp/rs-web.lock',
      'sh',
      '-c',
      `mkdir -p "${tmpDir}" && { npm run build > "${tmpDir}/web-build.log" 2>&1 || { tail -40 "${tmpDir}/web-build.log"; exit 1; }; } && rm -rf "${webCopy}" && cp -r web/build "${webCopy}"`,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

async function main() {
  const load = os.loadavg()[0];
  log(`cpus ${os.cpus().length}, load ${load.toFixed(1)}; ${BRANCHES} branches, ${fmt(RESPONSES)} responses`);
  copyWebBuild();
  process.env.COMPANY_TIME_ZONE = TZ;
  const server = await startTestServer();
  const name = uniqueName('rs_bench_analytics');
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrl(server.adminUrl, name);
  const { db, sql } = createDatabase(url, { max: 10 });
  await mkdir(tmpDir, { recursive: true });
  const parquet = path.join(tmpDir, `${name}.parquet`);
  const csv = path.join(tmpDir, `${name}.csv`);
  let closeHttp = () => {};
  try {
    await applyMigrations(url);
    const [{ version: pgVersion }] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    const template = templates.find((t) => t.id === 'post-rental')!;
    const survey = await createSurvey(db, { name: 'Bench', kind: 'post_rental', definition: template.definition });
    const version = await publishSurvey(db, survey.id);
    // The data ends now, so the dashboard's default period (the last 90 days up to today) has answers.
    const end = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const size = {
      ...DEFAULT_BENCH_SIZE,
      responses: RESPONSES,
      branches: BRANCHES,
      customers: Math.round(RESPONSES * 0.35),
      extraRentals: Math.round(RESPONSES / 4),
      end,
    };

    log('generating data …');
    const generation = await timed(() =>
      generateBenchData(sql, { surveyId: survey.id, versionId: version.id, definition: version.definition as SurveyDefinition }, size, (step) =>
        log(`  ${step}`),
      ),
    );
    const counts = generation.value;
    log(`generated ${fmt(counts.responses)} responses, ${fmt(counts.answers)} answers in ${ms(generation.ms)}`);

    const context = await loadSurveyContext(sql, survey.id);
    const build = await timed(() => ensureFacts(sql, context, { timeZone: TZ }));
    log(`rollups built in ${ms(build.ms)}`);
    // generate_series bypasses the submit path, which analyses comments as they arrive, and runs with the
    // triggers off: the comments are listed as waiting, then the back-fill (the text job's work) analyses them.
    const textBackfill = await timed(async () => {
      await listCommentsWithoutAnalysis(sql);
      return analysePendingComments(sql);
    });
    log(`comments of ${fmt(textBackfill.value)} responses analysed in ${ms(textBackfill.ms)}`);
    const [sizes] = await sql<{ answers: string; facts: string; daily: string }[]>`
      select pg_size_pretty(pg_total_relation_size('answers')) as answers, pg_size_pretty(pg_total_relation_size('analytics_response_facts')) as facts,
             pg_size_pretty(pg_total_relation_size('analytics_daily')) as daily`;

    // The analyst's copy: one row per finished response with its segments and its numeric answers in columns.
    log('exporting the answers for DuckDB …');
    const exported = await timed(() => exportAnswers(sql, context, csv));
    const duck = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) });
    const dc = await duck.connect();
    const converted = await timed(() =>
      dc.run(`copy (select * from read_csv('${csv}', header = true, auto_detect = true, sample_size = -1)) to '${parquet}' (format parquet)`),
    );
    await rm(csv);
    const parquetBytes = (await stat(parquet)).size;
    await dc.run(`create view answers as select * from read_parquet('${parquet}')`);
    log(`export ${ms(exported.ms)}, parquet ${ms(converted.ms)} (${(parquetBytes / 2 ** 20).toFixed(0)} MiB)`);

    // The server: the API and the web app's built handler on one port, wired as api/src/main.ts wires them.
    const env = parseEnv({ NODE_ENV: 'production', LOG_LEVEL: 'warn', DEMO_DATA: 'false', COMPANY_TIME_ZONE: TZ, WORKERS: 'false' });
    const app = buildApp({ db, sql, env, publicUrl: 'http://127.0.0.1', now: () => new Date() });
    await seedDemoUsers({ db, now: new Date() });
    (globalThis as Record<symbol, unknown>)[API_FETCH] = (request: Request) => app.fetch(request);
    process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
    process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
    const { handler: webHandler } = (await import(pathToFileURL(path.join(webCopy, 'handler.js')).href)) as {
      handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next?: () => void) => void;
    };
    const apiListener = getRequestListener(app.fetch);
    const httpServer = createServer((req, res) => {
      const u = req.url ?? '/';
      if (u === '/api' || u.startsWith('/api/')) return void apiListener(req, res);
      req.headers['x-forwarded-proto'] = 'http';
      req.headers[CLIENT_ADDRESS_HEADER] = '127.0.0.1';
      webHandler(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    });
    const port = await new Promise<number>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve((httpServer.address() as { port: number }).port)));
    closeHttp = () => httpServer.close();
    const base = `http://127.0.0.1:${port}`;

    const adminUser = DEMO_USERS.find((u) => u.role === 'admin')!;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: adminUser.email, password: DEMO_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('rs_session='));
    if (!cookie) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);

    const getJson = async (route: string, params: Record<string, string | string[]>) => {
      const search = new URLSearchParams({ survey: survey.id });
      for (const [k, v] of Object.entries(params)) for (const value of Array.isArray(v) ? v : [v]) search.append(k, value);
      const res = await fetch(`${base}/api/analytics/${route}?${search}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET /api/analytics/${route}?${search}: ${res.status} ${body.slice(0, 300)}`);
      return JSON.parse(body) as Record<string, unknown>;
    };

    // Periods, as dates of the company time zone: the last 365 days up to today, and the last 30.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
    const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const year = { from: addDays(today, -364), to: today };
    const month = { from: addDays(today, -29), to: today };
    const quarter = { from: addDays(today, -89), to: today };

    const q = duckQueries(context, dc);
    const mismatches: string[] = [];
    const apiRows: ApiRow[] = [];
    const measureApi = async (
      label: string,
      route: string,
      params: Record<string, string | string[]>,
      compare?: { ours: (body: Record<string, unknown>) => Figures; theirs: () => Promise<Figures> },
    ) => {
      const timing = await repeat(RUNS, () => getJson(route, params));
      let duckRow: ApiRow['duck'] = null;
      if (compare) {
        const duckTiming = await repeat(RUNS, compare.theirs);
        const result = compareFigures(label, compare.ours(timing.last as Record<string, unknown>), duckTiming.last as Figures);
        mismatches.push(...result.mismatches);
        duckRow = { cold: duckTiming.cold, p50: duckTiming.p50, p95: duckTiming.p95, checked: result.checked, differ: result.mismatches.length };
      }
      const request = `GET /api/analytics/${route}?${Object.entries(params)
        .filter(([k]) => k !== 'from' && k !== 'to')
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
        .join('&')}`;
      apiRows.push({ label, request, timing, duck: duckRow });
      log(
        `${label}: cold ${ms(timing.cold)}, p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)}${duckRow ? `; DuckDB p50 ${ms(duckRow.p50)}, ${duckRow.checked} figures equal` : ''}`,
      );
    };

    const summaryOf = (groupBy: string, period: { from: string; to: string }, extra: Record<string, string> = {}) => ({
      ours: (body: Record<string, unknown>) => summaryFigures(body),
      theirs: () => q.summary(groupBy, period, extra),
    });
    for (const groupBy of ['none', 'branch', 'region', 'tier', 'customerType', 'vehicleClass', 'channel', 'newReturning', 'month']) {
      await measureApi(`summary by ${groupBy}, 12 months`, 'summary', { groupBy, ...year }, summaryOf(groupBy, year));
    }
    await measureApi('summary by branch, 30 days', 'summary', { groupBy: 'branch', ...month }, summaryOf('branch', month));
    await measureApi('summary by branch, 12 months, tier A', 'summary', { groupBy: 'branch', tier: 'A', ...year }, summaryOf('branch', year, { tier: 'A' }));
    await measureApi(
      'summary by region, 12 months, business customers',
      'summary',
      { groupBy: 'region', customerType: 'business', ...year },
      summaryOf('region', year, { customerType: 'business' }),
    );
    await measureApi('summary by region, weighted by branch volume', 'summary', { groupBy: 'region', weight: 'branchVolume', ...year });
    await measureApi(
      'trend: NPS by branch × month',
      'trend',
      { interval: 'month', groupBy: 'branch', metric: 'nps', ...year },
      {
        ours: trendFigures,
        theirs: () => q.trend('branch', year, {}),
      },
    );
    await measureApi(
      'trend: NPS by tier × month',
      'trend',
      { interval: 'month', groupBy: 'tier', metric: 'nps', ...year },
      {
        ours: trendFigures,
        theirs: () => q.trend('tier', year, {}),
      },
    );
    const driversCompare = (extra: Record<string, string>, set: 'dimensions' | 'items') => ({
      ours: driverFigures,
      theirs: async () => q.drivers(year, extra, set, lastDrivers.get(JSON.stringify([extra, set])) ?? []),
    });
    // DuckDB correlates the drivers the API kept (the coverage rule is the API's choice, the figures are recomputed).
    const lastDrivers = new Map<string, string[]>();
    const driverCase = async (label: string, extra: Record<string, string>, set: 'dimensions' | 'items') => {
      const body = await getJson('drivers', { ...extra, ...(set === 'items' ? { drivers: 'items' } : {}), ...year });
      lastDrivers.set(
        JSON.stringify([extra, set]),
        (body.drivers as { id: string }[]).map((d) => d.id),
      );
      await measureApi(label, 'drivers', { ...extra, ...(set === 'items' ? { drivers: 'items' } : {}), ...year }, driversCompare(extra, set));
    };
    await driverCase('drivers, 12 months', {}, 'dimensions');
    await driverCase('drivers of business customers', { customerType: 'business' }, 'dimensions');
    await driverCase('drivers of tier A', { tier: 'A' }, 'dimensions');
    await driverCase('drivers of SUV rentals', { vehicleClass: 'suv' }, 'dimensions');
    await driverCase('drivers by item, 12 months', {}, 'items');
    await measureApi(
      'change: NPS, last 90 days vs the 90 before, by tier × customer type',
      'change',
      { metric: 'nps', segment: ['tier', 'customerType'], ...quarter },
      { ours: changeFigures, theirs: () => q.change(quarter) },
    );
    await measureApi('filter options', 'filter-options', { lang: 'zh-CN' }, { ours: filterOptionFigures, theirs: () => q.filterOptions() });
    await measureApi('compare branches, 30 days', 'compare', { groupBy: 'branch', ...month });
    await measureApi('compare with the previous period, 90 days', 'compare', { against: 'previous', ...quarter });
    await measureApi('problems, 12 months', 'problems', { ...year });
    await measureApi('loyalty, 12 months', 'loyalty', { ...year });
    await measureApi('funnel, 12 months', 'funnel', { ...year });

    // Where the time of the segment rows goes: the facts rows read and joined alone (a count per segment), without
    // the ~60 sums per group the blocks need; the daily rollup read alone; the sizes against shared_buffers.
    const since = sql`((${year.from}::date)::timestamp at time zone ${TZ})`;
    const profile = {
      factsScan: await repeat(2, () => sql`select count(*) from analytics_response_facts f where f.survey_id = ${survey.id} and f.finished_at >= ${since}`),
      customersJoin: await repeat(
        2,
        () => sql`select coalesce(c.value_tier, 'unknown'), count(*) from analytics_response_facts f left join customers c on c.id = f.customer_id
                  where f.survey_id = ${survey.id} and f.finished_at >= ${since} group by 1`,
      ),
      rentalsJoin: await repeat(
        2,
        () => sql`select coalesce(rt.booking_channel, 'unknown'), count(*) from analytics_response_facts f left join rentals rt on rt.id = f.rental_id
                  where f.survey_id = ${survey.id} and f.finished_at >= ${since} group by 1`,
      ),
      dailyScan: await repeat(2, () => sql`select count(*) from analytics_daily d where d.survey_id = ${survey.id} and d.day >= ${year.from}::date`),
    };
    const [settings] = await sql<Record<string, string>[]>`
      select current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
             current_setting('max_parallel_workers_per_gather') as parallel,
             pg_size_pretty(pg_relation_size('analytics_response_facts')) as facts, pg_size_pretty(pg_relation_size('customers')) as customers,
             pg_size_pretty(pg_relation_size('rentals')) as rentals, (select count(*) from analytics_daily)::text as daily_rows`;
    log(
      `profile: facts ${ms(profile.factsScan.p50)}, ⋈ customers ${ms(profile.customersJoin.p50)}, ⋈ rentals ${ms(profile.rentalsJoin.p50)}, daily ${ms(profile.dailyScan.p50)}`,
    );

    // Every staff page, rendered by the SvelteKit server with the session cookie (HTML read in full).
    const [ids] = await sql<{ response: string; user: string; region: string; version: number }[]>`
      select (select id from responses order by finished_at desc limit 1) as response, (select id from users order by email limit 1) as "user",
             (select code from regions order by code limit 1) as region,
             (select version from survey_versions where survey_id = ${survey.id} order by version desc limit 1) as version`;
    const yearQuery = `?from=${year.from}&to=${year.to}`;
    const pages = [
      '/dashboard',
      `/dashboard${yearQuery}`,
      `/dashboard${yearQuery}&tier=A`,
      '/dashboard/dimensions',
      '/dashboard/problems',
      '/dashboard/comments',
      '/dashboard/loyalty',
      '/drivers',
      `/drivers${yearQuery}&customerType=business`,
      '/branches',
      '/branches/B001',
      '/branches/B001/dimensions',
      `/regions/${encodeURIComponent(ids.region)}`,
      '/responses',
      `/responses/${ids.response}`,
      '/topics',
      '/segments',
      '/surveys',
      `/surveys/${survey.id}`,
      `/surveys/${survey.id}/versions/${ids.version}`,
      '/cases',
      '/cases/metrics',
      '/cases/rules',
      '/distribution',
      '/distribution/deliveries',
      '/distribution/import',
      '/distribution/outbox',
      '/distribution/rules',
      `/distribution/rules/${survey.id}`,
      '/account',
      '/admin/users',
      `/admin/users/${ids.user}`,
      '/admin/branches',
      '/admin/regions',
      '/admin/api-keys',
      '/admin/audit',
      '/admin/privacy',
      '/admin/webhooks',
    ];
    const pageRows: PageRow[] = [];
    const pageFailures: string[] = [];
    for (const page of pages) {
      let bytes = 0;
      let timing: Timing;
      try {
        timing = await repeat(PAGE_RUNS, async () => {
          const res = await fetch(`${base}${page}`, { headers: { cookie, 'accept-language': 'zh-CN' }, redirect: 'manual' });
          const html = await res.text();
          if (res.status !== 200) throw new Error(`GET ${page}: ${res.status} ${html.slice(0, 200)}`);
          bytes = html.length;
        });
      } catch (error) {
        pageFailures.push(String(error));
        log(String(error));
        continue;
      }
      pageRows.push({ path: page.replace(survey.id, '{survey}').replace(ids.response, '{response}').replace(ids.user, '{user}'), timing, bytes });
      log(`page ${page}: cold ${ms(timing.cold)}, p50 ${ms(timing.p50)}, p95 ${ms(timing.p95)}`);
    }
    closeHttp();

    dc.closeSync();
    duck.closeSync();

    const apiOver = apiRows.filter((r) => r.timing.p95 >= API_LIMIT_MS);
    const pagesOver = pageRows.filter((r) => r.timing.p95 >= PAGE_LIMIT_MS);
    if (!NO_RESULTS)
      await writeResults({
        pgVersion,
        load,
        counts,
        sizes,
        generation: generation.ms,
        build: build.ms,
        textBackfill: { ms: textBackfill.ms, responses: textBackfill.value },
        export: exported.ms,
        parquet: converted.ms,
        parquetBytes,
        apiRows,
        pageRows,
        profile,
        settings,
        pageFailures,
        apiOver,
        pagesOver,
      });
    if (mismatches.length > 0) console.error(`DuckDB's figures differ from ours:\n${mismatches.slice(0, 40).join('\n')}`);
    if (pageFailures.length > 0) console.error(`Pages that did not answer 200:\n${pageFailures.join('\n')}`);
    if (mismatches.length + pageFailures.length > 0) process.exitCode = 1;
    if (apiOver.length + pagesOver.length > 0) {
      console.error(
        `Over the limits: ${[...apiOver.map((r) => `${r.label} p95 ${ms(r.timing.p95)}`), ...pagesOver.map((r) => `${r.path} p95 ${ms(r.timing.p95)}`)].join('; ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    closeHttp();
    await sql.end({ timeout: 5 });
    await admin.end();
    await rm(parquet, { force: true });
    await rm(csv, { force: true });
    if (!KEEP) await dropDatabases(server.adminUrl, [name]).catch(() => {});
    await server.stop();
  }
}

/** One row per finished response: day (company time zone), segments, and every numeric answer the figures use. */
async function exportAnswers(sql: ReturnType<typeof createDatabase>['sql'], context: SurveyContext, file: string) {
  const columns = answerColumns(context);
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const pivot = columns
    .map(
      (c) =>
        `max(a.value_number) filter (where a.question_id = ${quote(c.questionId)} and ${c.itemId ? `a.item_id = ${quote(c.itemId)}` : 'a.item_id is null'}) as "${c.name}"`,
    )
    .join(', ');
  const query = `
    select r.id as response_id, (r.finished_at at time zone ${quote(TZ)})::date as day, b.code as branch, b.region, c.value_tier as tier,
           c.customer_type, rt.vehicle_class, rt.booking_channel as channel,
           case when rt.id is null then null when ${returningCustomerCondition('rt')} then 'returning' else 'new' end as new_returning,
           ${columns.map((c) => `x."${c.name}"`).join(', ')}
    from responses r
    left join (select a.response_id, ${pivot} from answers a group by a.response_id) x on x.response_id = r.id
    left join branches b on b.id = r.branch_id
    left join customers c on c.id = r.customer_id
    left join rentals rt on rt.id = r.rental_id
    where r.survey_id = ${quote(context.id)} and r.status = 'finished' and r.finished_at is not null`;
  const reserved = await sql.reserve();
  try {
    await reserved.unsafe(`set work_mem = '256MB'`);
    const stream = await reserved.unsafe(`copy (${query}) to stdout (format csv, header)`).readable();
    await pipeline(stream, createWriteStream(file));
  } finally {
    reserved.release();
  }
}

interface AnswerColumn {
  name: string;
  questionId: string;
  itemId: string | null;
}

/** The recommend and satisfaction questions and every dimension item, as export columns. */
function answerColumns(context: SurveyContext): AnswerColumn[] {
  const columns = new Map<string, AnswerColumn>();
  const add = (questionId: string, itemId: string | null) => {
    const name = itemId ? `${questionId}.${itemId}` : questionId;
    columns.set(name, { name, questionId, itemId });
  };
  if (context.metrics.nps) add(context.metrics.nps, null);
  if (context.metrics.csat) add(context.metrics.csat, null);
  for (const item of context.dimensionItems) add(item.questionId, item.itemId);
  return [...columns.values()];
}

/** The DuckDB side: each figure written as an analyst would, from the definitions in docs/statistics.md. */
function duckQueries(context: SurveyContext, dc: DuckDBConnection) {
  const col = (questionId: string, itemId: string | null = null) => `"${itemId ? `${questionId}.${itemId}` : questionId}"`;
  const nps = col(context.metrics.nps!);
  const csat = col(context.metrics.csat!);
  const csatQuestion = context.latest.pages.flatMap((p) => p.questions).find((x) => x.id === context.metrics.csat);
  const csatMax = csatQuestion?.type === 'rating' ? csatQuestion.max : 5;
  const dimensions = context.latest.dimensions.map((d) => ({
    id: d.id,
    weight: d.weight,
    items: context.dimensionItems.filter((i) => i.dimensionId === d.id),
  }));
  // CSI of a group: each item's mean rescaled to 0–100, item-weighted within its dimension (items with answers),
  // dimensions design-weighted over those with a score.
  const dimensionScore = (d: (typeof dimensions)[number]) => {
    if (d.items.length === 0) return 'null::double';
    const rescaled = (i: (typeof d.items)[number]) => `100.0 * (avg(${col(i.questionId, i.itemId)}) - ${i.min}) / ${i.max - i.min}`;
    const num = d.items.map((i) => `coalesce(${i.itemWeight} * ${rescaled(i)}, 0)`).join(' + ');
    const den = d.items.map((i) => `(case when count(${col(i.questionId, i.itemId)}) > 0 then ${i.itemWeight} else 0 end)`).join(' + ');
    return `((${num}) / nullif(${den}, 0))`;
  };
  const csi = `((${dimensions.map((d) => `coalesce(${d.weight} * ${dimensionScore(d)}, 0)`).join(' + ')}) / nullif(${dimensions
    .map((d) => `(case when ${dimensionScore(d)} is not null then ${d.weight} else 0 end)`)
    .join(' + ')}, 0))`;
  const groupExpr: Record<string, string> = {
    none: `'total'`,
    branch: `coalesce(branch, 'unknown')`,
    region: `coalesce(region, 'unknown')`,
    tier: `coalesce(tier, 'unknown')`,
    customerType: `coalesce(customer_type, 'unknown')`,
    vehicleClass: `coalesce(vehicle_class, 'unknown')`,
    channel: `coalesce(channel, 'unknown')`,
    newReturning: `coalesce(new_returning, 'unknown')`,
    month: `strftime(date_trunc('month', day), '%Y-%m-%d')`,
  };
  const filterColumn: Record<string, string> = { tier: 'tier', customerType: 'customer_type', vehicleClass: 'vehicle_class', channel: 'channel' };
  const where = (period: { from: string; to: string }, extra: Record<string, string>) =>
    [`day between '${period.from}' and '${period.to}'`, ...Object.entries(extra).map(([k, v]) => `${filterColumn[k]} = '${v.replace(/'/g, "''")}'`)].join(
      ' and ',
    );
  const npsScore = `100.0 * (count(*) filter (where ${nps} >= 9) - count(*) filter (where ${nps} <= 6)) / nullif(count(${nps}), 0)`;
  const rows = async (text: string) => (await dc.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[];
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const minN = context.minN;

  return {
    async summary(groupBy: string, period: { from: string; to: string }, extra: Record<string, string>): Promise<Figures> {
      const result = await rows(`
        select ${groupExpr[groupBy]} as k, count(*) as responses, count(${nps}) as nps_n, ${npsScore} as nps,
               count(${csat}) as csat_n, 100.0 * count(*) filter (where ${csat} >= ${csatMax - 1}) / nullif(count(${csat}), 0) as csat_top2,
               ${csi} as csi, count(coalesce(${context.dimensionItems.map((i) => col(i.questionId, i.itemId)).join(', ')})) as csi_n
        from answers where ${where(period, extra)} group by 1`);
      const figures: Figures = new Map();
      // Month groups: the API lists every month of the period, empty ones with n = 0; only months with answers are compared.
      for (const r of result) {
        const key = groupBy === 'none' ? 'total' : String(r.k);
        figures.set(`${key} responses`, num(r.responses));
        figures.set(`${key} nps.n`, num(r.nps_n));
        figures.set(`${key} nps`, num(r.nps_n)! < minN ? null : num(r.nps));
        figures.set(`${key} csat.n`, num(r.csat_n));
        figures.set(`${key} csat top-2`, num(r.csat_n)! < minN ? null : num(r.csat_top2));
        figures.set(`${key} csi`, num(r.csi_n)! < minN ? null : num(r.csi));
      }
      if (groupBy !== 'none') {
        const [total] = await rows(`select count(*) as responses, ${npsScore} as nps, count(${nps}) as nps_n from answers where ${where(period, extra)}`);
        figures.set('total responses', num(total.responses));
        figures.set('total nps', num(total.nps_n)! < minN ? null : num(total.nps));
      }
      return figures;
    },
    async trend(groupBy: string, period: { from: string; to: string }, extra: Record<string, string>): Promise<Figures> {
      const result = await rows(`
        select ${groupExpr[groupBy]} as k, ${groupExpr.month} as m, count(${nps}) as n, ${npsScore} as nps, count(*) as responses
        from answers where ${where(period, extra)} group by 1, 2`);
      const figures: Figures = new Map();
      for (const r of result) {
        figures.set(`${r.k} ${r.m} n`, num(r.n));
        figures.set(`${r.k} ${r.m} nps`, num(r.n)! < minN || num(r.responses)! < minN ? null : num(r.nps));
      }
      return figures;
    },
    async drivers(period: { from: string; to: string }, extra: Record<string, string>, set: 'dimensions' | 'items', ids: string[]): Promise<Figures> {
      // A respondent's dimension score: the item-weighted mean of their rescaled answers to its items.
      const respondentScore = (d: (typeof dimensions)[number]) => {
        const num = d.items.map((i) => `coalesce(${i.itemWeight} * 100.0 * (${col(i.questionId, i.itemId)} - ${i.min}) / ${i.max - i.min}, 0)`).join(' + ');
        const den = d.items.map((i) => `(case when ${col(i.questionId, i.itemId)} is not null then ${i.itemWeight} else 0 end)`).join(' + ');
        return `((${num}) / nullif(${den}, 0))`;
      };
      const x = ids.map((id) => {
        if (set === 'dimensions') return respondentScore(dimensions.find((d) => d.id === id)!);
        const [questionId, itemId] = id.split('.');
        return `${col(questionId, itemId ?? null)}::double`;
      });
      const [r] = await rows(`
        select count(*) as n, ${x.map((_, j) => `corr(y, x${j}) as r${j}`).join(', ')}
        from (select ${nps}::double as y, ${x.map((e, j) => `${e} as x${j}`).join(', ')} from answers where ${where(period, extra)})
        where y is not null and ${x.map((_, j) => `x${j} is not null`).join(' and ')}`);
      const figures: Figures = new Map([['n', num(r.n)]]);
      ids.forEach((id, j) => figures.set(`r ${id}`, num(r[`r${j}`])));
      return figures;
    },
    async change(period: { from: string; to: string }): Promise<Figures> {
      const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1;
      const before = new Date(Date.parse(period.from) - days * 86_400_000).toISOString().slice(0, 10);
      const result = await rows(`
        select case when day >= '${period.from}' then 'current' else 'previous' end as p, count(${nps}) as n, ${npsScore} as nps
        from answers where day between '${before}' and '${period.to}' and ${nps} is not null group by 1`);
      const figures: Figures = new Map();
      for (const r of result) {
        figures.set(`${r.p} n`, num(r.n));
        figures.set(`${r.p} nps`, num(r.nps));
      }
      return figures;
    },
    async filterOptions(): Promise<Figures> {
      const [r] = await rows(`
        select string_agg(distinct vehicle_class, ',' order by vehicle_class) as classes, string_agg(distinct branch, ',' order by branch) as branches,
               string_agg(distinct region, ',' order by region) as regions from answers`);
      return new Map([
        ['vehicle classes', String(r.classes)],
        ['branches', String(r.branches)],
        ['regions', String(r.regions)],
      ]);
    },
  };
}

interface Group {
  key: string;
  responses: number;
  nps: { n: number; score: number | null };
  csat: { n: number; top2: number | null };
  csi: { score: number | null };
}

function summaryFigures(body: Record<string, unknown>): Figures {
  const figures: Figures = new Map();
  const groups = body.groups as Group[];
  const total = body.total as Group;
  if (body.groupBy === 'none') groups.push({ ...total, key: 'total' });
  for (const g of groups) {
    if (g.responses === 0) continue;
    figures.set(`${g.key} responses`, g.responses);
    figures.set(`${g.key} nps.n`, g.nps.n);
    figures.set(`${g.key} nps`, g.nps.score);
    figures.set(`${g.key} csat.n`, g.csat.n);
    figures.set(`${g.key} csat top-2`, g.csat.top2);
    figures.set(`${g.key} csi`, g.csi.score);
  }
  if (body.groupBy !== 'none') {
    figures.set('total responses', total.responses);
    figures.set('total nps', total.nps.score);
  }
  return figures;
}

function trendFigures(body: Record<string, unknown>): Figures {
  const figures: Figures = new Map();
  for (const s of body.series as { key: string; points: { period: string; n: number; value: number | null; suppressed: boolean }[] }[]) {
    for (const p of s.points) {
      if (p.n === 0) continue;
      figures.set(`${s.key} ${p.period} n`, p.n);
      figures.set(`${s.key} ${p.period} nps`, p.suppressed ? null : p.value);
    }
  }
  return figures;
}

function driverFigures(body: Record<string, unknown>): Figures {
  const figures: Figures = new Map([['n', body.n as number]]);
  for (const d of body.drivers as { id: string; r: number }[]) figures.set(`r ${d.id}`, d.r);
  return figures;
}

function changeFigures(body: Record<string, unknown>): Figures {
  const figures: Figures = new Map();
  for (const p of ['previous', 'current'] as const) {
    const period = body[p] as { n: number; value: number };
    figures.set(`${p} n`, period.n);
    figures.set(`${p} nps`, period.value);
  }
  return figures;
}

function filterOptionFigures(body: Record<string, unknown>): Figures {
  return new Map([
    ['vehicle classes', (body.vehicleClasses as string[]).join(',')],
    ['branches', (body.branches as { key: string }[]).map((b) => b.key).join(',')],
    ['regions', (body.regions as { key: string }[]).map((r) => r.key).join(',')],
  ]);
}

async function writeResults(r: {
  pgVersion: string;
  load: number;
  counts: { responses: number; answers: number; rentals: number };
  sizes: { answers: string; facts: string; daily: string };
  generation: number;
  build: number;
  textBackfill: { ms: number; responses: number };
  export: number;
  parquet: number;
  parquetBytes: number;
  apiRows: ApiRow[];
  pageRows: PageRow[];
  profile: Record<'factsScan' | 'customersJoin' | 'rentalsJoin' | 'dailyScan', Timing>;
  settings: Record<string, string>;
  pageFailures: string[];
  apiOver: ApiRow[];
  pagesOver: PageRow[];
}) {
  const mark = (p95: number, limit: number) => (p95 < limit ? 'met' : '**NOT met**');
  const lines = [
    '## Analytics (`npm run bench:analytics`)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `load average ${r.load.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (the machine is shared; every figure is slowed alike); ` +
      `PostgreSQL ${r.pgVersion}; DuckDB (npm @duckdb/node-api) in the same process, ${os.cpus().length} threads.`,
    `Data: ${BRANCHES} branches, ${fmt(r.counts.responses)} finished responses of the post-rental template over the last 365 days, ` +
      `${fmt(r.counts.answers)} answer rows (${r.sizes.answers} with indexes), ${fmt(r.counts.rentals)} rentals; generated with generate_series in ${ms(r.generation)}; ` +
      `rollups built in ${ms(r.build)} (per-response facts ${r.sizes.facts}, daily sums per branch ${r.sizes.daily}); ` +
      `comments of ${fmt(r.textBackfill.responses)} responses analysed by the text back-fill in ${ms(r.textBackfill.ms)} (submits analyse theirs as they arrive).`,
    `DuckDB's copy: the finished responses exported from PostgreSQL (COPY … TO STDOUT, CSV, ${ms(r.export)}), one row per response with its day in the ` +
      `company time zone, branch, region, tier, customer type, vehicle class, channel, new/returning and each numeric answer in a column; converted ` +
      `to Parquet in ${ms(r.parquet)} (${(r.parquetBytes / 2 ** 20).toFixed(0)} MiB). DuckDB computes each figure from those answers (NPS from the 0–10 answers, CSAT top-2, CSI from the item means ` +
      `and the survey's weights, Pearson r of each driver over the listwise-complete respondents; for the change analysis the n and NPS of both periods, not the decomposition and its bootstrap); the script fails unless every figure equals ours ` +
      `(relative difference ≤ ${TOLERANCE}; suppressed figures (n below the survey's minimum) compare as null).`,
    '',
    `API calls: GET over HTTP on loopback with a signed-in admin session (cookie), JSON read in full; one cold request, then ${RUNS} more (2 when the cold one took over ${SLOW_MS / 1000} s): ` +
      `p50 and p95 of those (nearest rank). "12 months" = the last 365 days; "30 days" / "90 days" up to today. Limit: ${API_LIMIT_MS} ms.`,
    '',
    '| Call | Request | Cold | p50 | p95 | < 300 ms | DuckDB p50 | DuckDB p95 | figures equal |',
    '|---|---|---:|---:|---:|---|---:|---:|---:|',
    ...r.apiRows.map(
      (a) =>
        `| ${a.label} | \`${a.request}\` | ${ms(a.timing.cold)} | ${ms(a.timing.p50)} | ${ms(a.timing.p95)} | ${mark(a.timing.p95, API_LIMIT_MS)} | ` +
        `${a.duck ? ms(a.duck.p50) : '–'} | ${a.duck ? ms(a.duck.p95) : '–'} | ${a.duck ? (a.duck.differ > 0 ? `**${a.duck.differ} differ** of ${a.duck.checked}` : a.duck.checked) : '–'} |`,
    ),
    '',
    `Staff pages: GET of the page as a browser's first request (server render by the built SvelteKit app with the session cookie, its API ` +
      `calls in-process as under \`npm start\`, HTML read in full); one cold request, then ${PAGE_RUNS} more (2 when the cold one took over ${SLOW_MS / 1000} s). Limit: ${PAGE_LIMIT_MS} ms. ` +
      'Not measured (no such row in the generated data): /cases/{id}, /cases/rules/{id}, /admin/webhooks/{id}, /distribution/import/{id}; ' +
      '/ and /admin only redirect to a page below.' +
      (r.pageFailures.length > 0 ? ` Pages that did not answer 200 (the script fails): ${r.pageFailures.join('; ')}.` : ''),
    '',
    '| Page | HTML | Cold | p50 | p95 | < 500 ms |',
    '|---|---:|---:|---:|---:|---|',
    ...r.pageRows.map(
      (p) =>
        `| \`${p.path}\` | ${(p.bytes / 1024).toFixed(0)} KiB | ${ms(p.timing.cold)} | ${ms(p.timing.p50)} | ${ms(p.timing.p95)} | ${mark(p.timing.p95, PAGE_LIMIT_MS)} |`,
    ),
    '',
    `Where the time goes (measured in this run, p50 of 2 after a cold one): a call without a customer or rental segment reads the daily ` +
      `rollup (${fmt(Number(r.settings.daily_rows))} rows of branch × day; reading a year of them alone: ${ms(r.profile.dailyScan.p50)}) and sums ` +
      `its ~60 columns and array slots per group. The per-response facts are read when no rollup holds the question (two segment ` +
      `kinds at once): counting a year of facts rows alone takes ${ms(r.profile.factsScan.p50)}, ` +
      `joined to the customers for the tier ${ms(r.profile.customersJoin.p50)}, joined to the rentals for the channel ${ms(r.profile.rentalsJoin.p50)}; ` +
      `the rest of such a call is the ~60 sums per group over the slots of each response's arrays (answers, dimension scores), ` +
      `about 1M rows × 60 aggregate steps. The facts table (${r.settings.facts}), customers (${r.settings.customers}) and rentals ` +
      `(${r.settings.rentals}) do not fit in shared_buffers (${r.settings.shared_buffers}, the embedded server's default; work_mem ` +
      `${r.settings.work_mem}, ${r.settings.parallel} parallel workers per query), so every such call reads them again from the OS cache. ` +
      'Calls with at most one segment kind (a summary or trend by tier, customer type, vehicle class, channel or new/returning, a ' +
      'segment filter, the drivers of a segment) sum the segment rollup (analytics_segments: the same sums per branch, day or ' +
      'month and one segment value; api/src/analytics/engine/segments.queries.ts), thousands of rows instead of a million; two kinds at ' +
      'once read the facts as above. DuckDB reads only the columns a question needs from a compressed columnar file and aggregates ' +
      'them vectorised on both cores. The calls still over the limit do more than sum a rollup: drivers by item correlate every item ' +
      'over the listwise-complete responses, the change analysis draws its bootstrap replicates (docs/statistics.md), problems and ' +
      'loyalty read per-response and per-customer rows; a staff page adds up the calls it makes.',
    '',
    `Goal (issue 15): every dashboard call under ${API_LIMIT_MS} ms — ${r.apiRows.length - r.apiOver.length} of ${r.apiRows.length} at p95` +
      `${r.apiOver.length > 0 ? `; over: ${r.apiOver.map((a) => `${a.label} (${ms(a.timing.p95)})`).join(', ')}` : ''}: **${r.apiOver.length === 0 ? 'met' : 'not met'}**; ` +
      `every staff page under ${PAGE_LIMIT_MS} ms — ${r.pageRows.length - r.pagesOver.length} of ${r.pageRows.length} at p95` +
      `${r.pagesOver.length > 0 ? `; over: ${r.pagesOver.map((p) => `${p.path} (${ms(p.timing.p95)})`).join(', ')}` : ''}: **${r.pagesOver.length === 0 ? 'met' : 'not met'}**.`,
  ];
  await writeResultsSection('analytics', lines.join('\n'));
  log('results written to bench/RESULTS.md');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
