// `npm start`: one process serving the web app and the API on one port, with its own PostgreSQL
// unless DATABASE_URL names one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { announceAccess } from './access/bootstrap.ts';
import { startAccessJobs } from './access/retention.ts';
import { buildApp } from './app.ts';
import { createDatabase } from './db/client.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from './db/embedded.ts';
import { applyMigrations } from './db/migrate.ts';
import { secretFromFile } from './distribution/tokens.ts';
import { startCaseWorkers } from './cases/cases.jobs.ts';
import { startDistributionWorker } from './distribution/worker.ts';
import { DEMO_PASSWORD, seedDemoData, seedDemoUsers } from './demo/seed.ts';
import { parseEnv } from './env.ts';
import { log, setLogLevel } from './lib/logger.ts';
import { startBoss } from './queue/queue.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const webBuild = path.join(repoRoot, 'web', 'build', 'handler.js');
const API_FETCH = Symbol.for('rental-satisfaction.apiFetch');

/** Newest modification time under the folders the web build is made from. */
function newestSourceTime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return newest;
}

/** Builds the web app when there is no build, or when its sources changed since (after a git pull). */
function buildWebIfNeeded() {
  const sources = [path.join(repoRoot, 'web', 'src'), path.join(repoRoot, 'web', 'static'), path.join(repoRoot, 'api', 'src', 'surveys', 'definition')];
  if (existsSync(webBuild) && statSync(webBuild).mtimeMs >= newestSourceTime(sources)) return;
  log.info(existsSync(webBuild) ? 'Web sources changed: rebuilding the web app…' : 'Building the web app (first start)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the web app failed');
}

// Module scope so a failed start can still stop the PostgreSQL it started.
let embedded: EmbeddedPostgresServer | undefined;

async function main() {
  const args = new Set(process.argv.slice(2));
  const env = parseEnv({ ...process.env, ...(args.has('--no-demo') ? { DEMO_DATA: 'false' } : {}) });
  setLogLevel(env.LOG_LEVEL);

  let shuttingDown = false;
  const cleanups: (() => Promise<unknown>)[] = [];
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal} received, stopping…`);
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log.warn(`while stopping: ${e}`));
    await embedded?.stop().catch((e) => log.warn(`while stopping PostgreSQL: ${e}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  buildWebIfNeeded();

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve(repoRoot, env.PG_DATA_DIR), port: env.PG_PORT });
    log.info(`Embedded PostgreSQL running on 127.0.0.1:${embedded.port}`);
    databaseUrl = await ensureDatabase(embedded.adminUrl, 'rental_satisfaction');
  }
  await applyMigrations(databaseUrl);

  const { db, sql } = createDatabase(databaseUrl);
  cleanups.push(() => sql.end({ timeout: 5 }));
  // Survey links are derived from this secret: kept beside the data so links survive restarts.
  env.TOKEN_SECRET ??= await secretFromFile(path.resolve(repoRoot, env.PG_DATA_DIR, '..', 'token-secret'));
  env.IMPORT_DIR = path.resolve(repoRoot, env.IMPORT_DIR);

  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const deps = { db, sql, env, publicUrl, now: () => new Date() };
  const app = buildApp(deps);

  if (env.DEMO_DATA) {
    const seeded = await seedDemoData({ db, sql, now: new Date() });
    if (seeded) log.info(`Demo data: ${seeded.branches} branches, ${seeded.rentals} rentals, ${seeded.responses} responses`);
  }
  const demoUsers = env.DEMO_DATA ? await seedDemoUsers({ db, now: new Date() }) : [];
  const access = await announceAccess({ db, env, publicUrl, now: () => new Date() }, { demoPassword: DEMO_PASSWORD, users: demoUsers });
  for (const line of access.info) log.info(line);
  for (const line of access.action) log.warn(line);
  cleanups.push(startAccessJobs({ db, sql, env, publicUrl, now: () => new Date() }));

  // The job queue (pg-boss, same database) and the workers using it.
  const boss = await startBoss(sql, { maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS });
  cleanups.push(() => boss.stop({ graceful: false, wait: true }));
  if (env.DISTRIBUTION_WORKER) {
    const distribution = await startDistributionWorker(deps, boss);
    cleanups.push(() => distribution.stop());
  }
  // Alert rule evaluation, follow-up surveys and the SLA timer of cases.
  const caseWorkers = startCaseWorkers(deps, boss);
  cleanups.push(() => caseWorkers.stop());

  const apiListener = getRequestListener(app.fetch);
  // SvelteKit's server-side fetch of /api/... reaches Hono in-process through this (see web/src/hooks.server.ts).
  (globalThis as Record<symbol, unknown>)[API_FETCH] = (request: Request) => app.fetch(request);
  // adapter-node reads these when its handler loads: the origin of a request (for SvelteKit's CSRF check on
  // form posts) is its Host header with the protocol we note below, unless ORIGIN pins one.
  process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
  const { handler: webHandler } = (await import(pathToFileURL(webBuild).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/api' || url.startsWith('/api/')) return void apiListener(req, res);
    if (!req.headers['x-forwarded-proto']) req.headers['x-forwarded-proto'] = 'encrypted' in req.socket ? 'https' : 'http';
    webHandler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  server.on('error', (error: NodeJS.ErrnoException) => {
    log.error(error.code === 'EADDRINUSE' ? `Port ${env.PORT} is already in use; set PORT to another one.` : String(error));
    void shutdown('error');
  });
  server.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    log.info(`Ready: http://localhost:${port}`);
  });
}

main().catch(async (error) => {
  log.error(error instanceof Error ? error.message : String(error));
  await embedded?.stop().catch(() => {});
  process.exit(1);
});
