// Each integration test file gets its own database, cloned from the migrated template.
import { afterAll, inject } from 'vitest';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createSession } from '../../api/src/access/auth.queries.ts';
import { SESSION_COOKIE } from '../../api/src/access/authenticate.ts';
import type { ApiKeyScope, Role } from '../../api/src/access/permissions.ts';
import { createApiKey } from '../../api/src/access/users.queries.ts';
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

/** Headers that make a request come from someone: a session cookie (+ CSRF header) or an API key. */
export interface Credentials {
  headers: Record<string, string>;
  userId?: string;
  apiKeyId?: string;
}

/**
 * A database of its own plus the API on it, with a clock the test controls. Requests are made as an
 * administrator unless `auth: 'anonymous'` is given here, or `as` per request ('anonymous' or credentials
 * from `t.signIn(role)` / `t.apiKey(scopes)`); a request that sets its own cookie or authorization header
 * is sent as it is.
 */
export async function createTestApp(options: { clock?: TestClock; env?: Record<string, string>; auth?: 'admin' | 'anonymous' } = {}) {
  const database = await createTestDatabase();
  const clock = options.clock ?? testClock();
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...options.env });
  const deps: AppDeps = { db: database.db, sql: database.sql, env, publicUrl: 'http://survey.test', now: clock.now };
  const app = buildApp(deps);

  let userCount = 0;
  /** A user of this role (branch managers get the branches named by code) with a session. */
  const signIn = async (
    role: Role,
    opts: { branches?: string[]; email?: string; password?: string } = {},
  ): Promise<Credentials & { userId: string; email: string }> => {
    const branchIds = opts.branches?.length
      ? (await database.sql<{ id: string }[]>`select id from branches where code = any(${opts.branches}::text[])`).map((b) => b.id)
      : [];
    if (opts.branches && branchIds.length !== opts.branches.length) throw new Error(`unknown branch among ${opts.branches.join(', ')}`);
    const email = opts.email ?? `${role.replace('_', '-')}-${++userCount}@staff.test`;
    const userId = await createUserWithPassword(
      database.db,
      { email, name: `${role} ${userCount}`, role, password: opts.password ?? TEST_PASSWORD, branchIds },
      clock.now(),
    );
    return { ...(await sessionFor(userId)), email };
  };
  /** A fresh session for an existing user. */
  const sessionFor = async (userId: string): Promise<Credentials & { userId: string }> => {
    const session = await createSession(database.db, userId, clock.now(), env.SESSION_IDLE_HOURS);
    return { userId, headers: { cookie: `${SESSION_COOKIE}=${session.token}`, 'x-requested-with': 'vitest' } };
  };
  const apiKey = async (scopes: ApiKeyScope[], name = 'test integration'): Promise<Credentials> => {
    const { apiKey: row, key } = await createApiKey(database.db, { name, scopes }, null, clock.now());
    return { apiKeyId: row.id, headers: { authorization: `Bearer ${key}` } };
  };

  const admin = options.auth === 'anonymous' ? null : await signIn('admin', { email: 'admin@staff.test' });
  // The default administrator's session follows the test clock: a new one whenever the clock has moved.
  let adminSession = admin ? { credentials: admin as Credentials, at: clock.now().getTime() } : null;
  const adminCredentials = async () => {
    if (!admin || !adminSession) return null;
    if (Math.abs(clock.now().getTime() - adminSession.at) > 30_000) adminSession = { credentials: await sessionFor(admin.userId), at: clock.now().getTime() };
    return adminSession.credentials;
  };
  const request = async (path: string, init: RequestInit & { json?: unknown; as?: Credentials | 'anonymous' } = {}) => {
    const { json, as, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const credentials = as === 'anonymous' ? null : (as ?? (await adminCredentials()));
    if (credentials && !headers.has('cookie') && !headers.has('authorization')) {
      for (const [name, value] of Object.entries(credentials.headers)) headers.set(name, value);
    }
    return app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  };
  return { ...database, app, deps, clock, request, admin, signIn, sessionFor, apiKey };
}

/** The password of users made by `t.signIn`. */
export const TEST_PASSWORD = 'correct horse battery';
