// Each integration test file gets its own database, cloned from the migrated template.
import { afterAll, inject } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { parseEnv } from '../../api/src/env.ts';
import type { AppDeps } from '../../api/src/lib/types.ts';
import { cloneDatabase, databaseUrl, dropDatabases } from './postgres.ts';

export interface TestClock {
  now: () => Date;
  set(value: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date | string = '2026-06-01T10:00:00Z'): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (value) => (current = new Date(value)),
    advance: (ms) => (current = new Date(current.getTime() + ms)),
  };
}

export async function createTestDatabase() {
  const { adminUrl, template } = inject('pg');
  const name = await cloneDatabase(adminUrl, template);
  const url = databaseUrl(adminUrl, name);
  const { db, sql } = createDatabase(url, { max: 5 });
  afterAll(async () => {
    await sql.end({ timeout: 5 });
    await dropDatabases(adminUrl, [name]);
  });
  return { url, db, sql, name };
}

/** A database of its own plus the API on it, with a clock the test controls. */
export async function createTestApp(options: { clock?: TestClock; env?: Record<string, string> } = {}) {
  const database = await createTestDatabase();
  const clock = options.clock ?? testClock();
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...options.env });
  const deps: AppDeps = { db: database.db, sql: database.sql, env, publicUrl: 'http://survey.test', now: clock.now };
  const app = buildApp(deps);
  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  };
  return { ...database, app, deps, clock, request };
}
