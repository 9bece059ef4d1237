// With the database unreachable, the API answers at once: 503 problem+json with Retry-After (not a 500,
// not a request that waits for the database), and /api/health says the database is down.
// (A real PostgreSQL stopped and started under traffic: tests/chaos/postgres-restart.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { freePort } from '../../api/src/db/embedded.ts';
import { parseEnv } from '../../api/src/env.ts';

// A loopback port nobody listens on: connections are refused, as while PostgreSQL restarts.
const port = await freePort();
const { db, sql } = createDatabase(`postgres://postgres@127.0.0.1:${port}/gone`, { max: 2 });
const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', TOKEN_SECRET: 'database-down-secret-0123456789abcdef0123' });
const app = buildApp({ db, sql, env, publicUrl: 'http://survey.test', now: () => new Date() });

afterAll(async () => {
  await sql.end({ timeout: 1 });
});

async function timed(path: string, init?: RequestInit) {
  const started = Date.now();
  const res = await app.request(path, init);
  return { res, ms: Date.now() - started, body: (await res.json()) as Record<string, unknown> };
}

describe('database unreachable', () => {
  it('health answers 503 degraded, database down', async () => {
    const { res, body, ms } = await timed('/api/health');
    expect(res.status).toBe(503);
    expect(body).toEqual({ status: 'degraded', database: 'down' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2_500);
  });

  it.each([
    ['GET', '/api/respond/AAAAAAAAAAAAAAAAAAAAAA', undefined],
    ['POST', '/api/respond/AAAAAAAAAAAAAAAAAAAAAA/submit', JSON.stringify({ answers: { q_nps: 9 } })],
    ['POST', '/api/auth/login', JSON.stringify({ email: 'someone@staff.test', password: 'whatever-it-is' })],
  ])('%s %s answers 503 problem+json with Retry-After, quickly', async (method, path, body) => {
    const {
      res,
      body: problem,
      ms,
    } = await timed(path, { method, body, headers: body ? { 'content-type': 'application/json', origin: 'http://localhost' } : {} });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(JSON.stringify(problem)).not.toContain(String(port)); // nothing about the connection leaks
    expect(ms).toBeLessThan(2_000);
  });
});
