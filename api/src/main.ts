// `npm start`: one process serving the web app and the API on one port, with its own PostgreSQL
// unless DATABASE_URL names one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { announceAccess } from './access/bootstrap.ts';
import { buildApp } from './app.ts';
import { createDatabase, createDatabaseProbe } from './db/client.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from './db/embedded.ts';
import { applyMigrations } from './db/migrate.ts';
import { secretFromFile } from './distribution/tokens.ts';
import { DEMO_PASSWORD, seedDemoData, seedDemoUsers } from './demo/seed.ts';
import { parseEnv } from './env.ts';
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from './lib/client-address.ts';
import { compressing } from './lib/compress.ts';
import { log, setLogLevel } from './lib/logger.ts';
import { startBoss } from './queue/queue.ts';
import { startWorkers } from './queue/workers.ts';

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
  const sources = [path.join(repoRoot, 'web', 'src'), path.join(repoRoot, 'web', 'static'), path.join(repoRoot, 'packages', 'survey-definition', 'src')];
  if (existsSync(webBuild) && statSync(webBuild).mtimeMs >= newestSourceTime(sources)) return;
  log.info(existsSync(webBuild) ? 'Web sources changed: rebuilding the web app…' : 'Building the web app (first start)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the web app failed');
}

// Module scope so a failed start can still stop the PostgreSQL it started.
let embedded: EmbeddedPostgresServer | undefined;

/**
 * The server keeps running through a database restart: a promise rejected where nobody awaits it (a timer's
 * query, a queue's background call) is logged, not a reason to stop serving. Node's default would end the process.
 */
function keepRunningOnStrayRejections() {
  process.on('unhandledRejection', (reason) => {
    const e = reason as { name?: string; code?: string; message?: string } | undefined;
    log.error(
      `unhandled rejection: ${e?.name ?? typeof reason} ${e?.code ?? ''} ${e?.code && /^[0-9A-Z]{5}$/.test(e.code) ? '' : (e?.message ?? String(reason))}`.trim(),
    );
  });
}

/** The repair of the driver (api/scripts/patch-postgres.mjs, run by npm install) is what keeps a restart of PostgreSQL from ending this process. */
function warnIfDriverUnpatched() {
  try {
    const entry = createRequire(import.meta.url).resolve('postgres');
    const source = readFileSync(path.resolve(path.dirname(entry), '..', '..', 'src', 'connection.js'), 'utf8');
    if (!source.includes('rental-satisfaction: nextWrite guard')) {
      log.warn(
        'The postgres driver is not repaired (npm install skipped its scripts?): run `node api/scripts/patch-postgres.mjs`, or a database restart can stop this server.',
      );
    }
  } catch {
    /* another layout: nothing to check */
  }
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const env = parseEnv({ ...process.env, ...(args.has('--no-demo') ? { DEMO_DATA: 'false' } : {}) });
  setLogLevel(env.LOG_LEVEL);
  keepRunningOnStrayRejections();
  warnIfDriverUnpatched();

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
  // Analytics and exports read from a replica when one is named (no migrations there: it follows the primary).
  const read = env.DATABASE_READ_URL ? createDatabase(env.DATABASE_READ_URL) : null;
  if (read) cleanups.push(() => read.sql.end({ timeout: 5 }));
  const probeSql = createDatabaseProbe(databaseUrl);
  cleanups.push(() => probeSql.end({ timeout: 1 }));
  const deps = { db, sql, readSql: read?.sql, probeSql, env, publicUrl, now: () => new Date() };
  const app = buildApp(deps);

  if (env.DEMO_DATA) {
    const seeded = await seedDemoData({ db, sql, now: new Date() });
    if (seeded) log.info(`Demo data: ${seeded.branches} branches, ${seeded.rentals} rentals, ${seeded.responses} responses`);
  }
  const demoUsers = env.DEMO_DATA ? await seedDemoUsers({ db, now: new Date() }) : [];
  const access = await announceAccess({ db, env, publicUrl, now: () => new Date() }, { demoPassword: DEMO_PASSWORD, users: demoUsers });
  for (const line of access.info) log.info(line);
  for (const line of access.action) log.warn(line);

  // The job queue (pg-boss, same database) and the background workers; WORKERS=false leaves them to
  // worker processes (api/src/queue/worker.main.ts) and this process only serves requests.
  if (env.WORKERS) {
    const boss = await startBoss(sql, { maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS });
    cleanups.push(() => boss.stop({ graceful: false, wait: true }));
    const workers = await startWorkers(deps, boss, { distribution: env.DISTRIBUTION_WORKER });
    cleanups.push(() => workers.stop());
  }

  const apiListener = getRequestListener(app.fetch);
  // SvelteKit's server-side fetch of /api/... reaches Hono in-process through this (see web/src/hooks.server.ts).
  (globalThis as Record<symbol, unknown>)[API_FETCH] = (request: Request) => app.fetch(request);
  // adapter-node reads these when its handler loads: the origin of a request (for SvelteKit's CSRF check on
  // form posts) is its Host header with the protocol we note below, unless ORIGIN pins one.
  process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
  // The web app's client address (getClientAddress) is the one resolved below through TRUST_PROXY, and its
  // form posts are held in memory up to the JSON limit (CSV files go to the API, streamed).
  process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
  process.env.BODY_SIZE_LIMIT ??= String(env.JSON_BODY_LIMIT_BYTES);
  const { handler: webHandler } = (await import(pathToFileURL(webBuild).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;
  };

  // Responses leave compressed (brotli or gzip) where the client accepts it: api/src/lib/compress.ts.
  const server = createServer(
    compressing((req, res) => {
      const url = req.url ?? '/';
      if (url === '/api' || url.startsWith('/api/')) return void apiListener(req, res);
      if (!req.headers['x-forwarded-proto']) req.headers['x-forwarded-proto'] = 'encrypted' in req.socket ? 'https' : 'http';
      req.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], env.TRUST_PROXY);
      webHandler(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    }),
  );
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
