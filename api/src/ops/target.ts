// Which PostgreSQL the operations scripts (backup, restore, migrate) work on: DATABASE_URL, or the embedded
// server of `npm start` — the running one (found through its postmaster.pid) or, when none runs, one
// started for the duration of the script.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../db/embedded.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The database `npm start` creates on the embedded server (api/src/main.ts). */
export const EMBEDDED_DATABASE = 'rental_satisfaction';

export interface DatabaseTarget {
  kind: 'external' | 'embedded';
  /** The application's database. */
  url: string;
  /** A database on the same server to connect to while the application's one is created, dropped or renamed. */
  maintenanceUrl: string;
  databaseName: string;
  /** Embedded only: the data directory, and whether `npm start` (or another process) has it running. */
  dataDir?: string;
  runningElsewhere?: boolean;
  /** Stops what this script started (the embedded server when it started one). */
  close(): Promise<void>;
}

export interface RunningEmbedded {
  pid: number;
  port: number;
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The postmaster.pid of a running server names its pid (line 1), data directory (2) and port (4).
 * Returns undefined when no server runs on this data directory.
 */
export function findRunningEmbedded(dataDir: string): RunningEmbedded | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (path.resolve(lines[1] ?? '') !== path.resolve(dataDir)) return undefined;
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port };
}

export function embeddedDataDir(env: NodeJS.ProcessEnv = process.env) {
  return path.resolve(repoRoot, env.PG_DATA_DIR || './data/pg');
}

export function readEmbeddedPassword(dataDir: string) {
  const file = `${dataDir}.password`;
  if (!existsSync(file)) throw new Error(`The password file of the embedded PostgreSQL (${file}) is missing.`);
  return readFileSync(file, 'utf8').trim();
}

export function withDatabase(url: string, name: string) {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}

export function databaseNameOf(url: string) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

export interface TargetOptions {
  env?: NodeJS.ProcessEnv;
  /** Embedded, not running: start it (false = leave it stopped, e.g. for a cold file-level backup). */
  startEmbedded?: boolean;
}

export async function openTarget(options: TargetOptions = {}): Promise<DatabaseTarget> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL;
    const databaseName = databaseNameOf(url);
    return {
      kind: 'external',
      url,
      maintenanceUrl: withDatabase(url, databaseName === 'postgres' ? 'template1' : 'postgres'),
      databaseName,
      close: async () => {},
    };
  }
  const dataDir = embeddedDataDir(env);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`There is no embedded PostgreSQL data directory at ${dataDir} (set PG_DATA_DIR, or DATABASE_URL for an external server).`);
  }
  const running = findRunningEmbedded(dataDir);
  const base = { kind: 'embedded' as const, databaseName: EMBEDDED_DATABASE, dataDir };
  if (running) {
    const admin = `postgres://postgres:${encodeURIComponent(readEmbeddedPassword(dataDir))}@127.0.0.1:${running.port}/postgres`;
    return { ...base, url: withDatabase(admin, EMBEDDED_DATABASE), maintenanceUrl: admin, runningElsewhere: true, close: async () => {} };
  }
  if (options.startEmbedded === false) {
    return { ...base, url: '', maintenanceUrl: '', runningElsewhere: false, close: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir });
  return {
    ...base,
    url: withDatabase(server.adminUrl, EMBEDDED_DATABASE),
    maintenanceUrl: server.adminUrl,
    runningElsewhere: false,
    close: () => server.stop(),
  };
}

/** Runs `work` with a one-connection client, always closing it. */
export async function withSql<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function serverVersionNum(url: string): Promise<number> {
  return withSql(url, async (sql) => Number((await sql`show server_version_num`)[0]!.server_version_num));
}

export const majorOf = (versionNum: number) => Math.floor(versionNum / 10_000);

export async function databaseExists(maintenanceUrl: string, name: string) {
  return withSql(maintenanceUrl, async (sql) => (await sql`select 1 from pg_database where datname = ${name}`).length > 0);
}
