import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Database = ReturnType<typeof createDatabase>['db'];
export type Sql = postgres.Sql;

export interface DatabaseOptions {
  max?: number;
  /** Longest statement the server runs for this pool (ms); imports and analytics stay well below. */
  statementTimeoutMs?: number;
}

/**
 * The connection pool. The timeouts make an unreachable or restarting database an error within seconds
 * instead of a request that waits for the whole outage (see isDatabaseUnavailable, lib/create-app.ts):
 * a connection attempt gives up after 3 s, a failed one is retried after at most half a second (the
 * driver's default backoff grows to 20 s, which kept working connections away long after a restart),
 * idle connections are closed after a minute (so none is left pointing at a restarted server), and a
 * transaction left open by a stuck client is ended by the server.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 3,
    idle_timeout: 60,
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    connection: {
      application_name: 'rental-satisfaction',
      statement_timeout: options.statementTimeoutMs ?? 300_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
  const db = drizzle(sql, { schema });
  return { db, sql };
}

/**
 * A pool of one connection that only asks the database whether it answers (lib/database-watchdog.ts,
 * /api/health). Kept apart from the main pool so that requests queued behind busy connections never look
 * like a dead database.
 */
export function createDatabaseProbe(url: string): Sql {
  return postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 2,
    idle_timeout: 60,
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    connection: { application_name: 'rental-satisfaction-probe', statement_timeout: 5_000 },
  });
}

/** Whether the database answers `select 1` within the time: false when it is down, refusing or frozen. */
export async function databaseAnswers(sql: Sql, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([sql`select 1`.then(() => true as const), timeout])
    .catch(() => false)
    .finally(() => clearTimeout(timer));
}

// SQLSTATE classes and driver codes that mean "the database is not there right now", not "this request is
// wrong": 08 connection exceptions, 57P01-57P03 (admin / crash shutdown, cannot connect now), 53300 (too
// many connections); and the driver's and the socket's own codes.
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * The code saying the database is unreachable or going away (the request may simply be retried), or null.
 * Looks through wrappers (drizzle's "Failed query" error keeps the driver's error as its cause).
 */
export function databaseUnavailableCode(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return code;
  }
  return null;
}

export const isDatabaseUnavailable = (error: unknown): boolean => databaseUnavailableCode(error) !== null;
