// The database watchdog (api/src/lib/database-watchdog.ts) against a database that never answers: a request
// waiting on it is answered 503 by the watchdog, and once the database is known to be down, /api/health —
// which bounds its own check — still answers with its own body, not the watchdog's generic problem.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../api/src/db/client.ts';
import { databaseUp, databaseWatchdog } from '../../api/src/lib/database-watchdog.ts';
import type { AppBindings, AppDeps } from '../../api/src/lib/types.ts';

// A pool whose every statement waits forever, as on a frozen server.
const frozen = (() => new Promise(() => {})) as unknown as Sql;
const deps = { sql: frozen, probeSql: frozen } as unknown as AppDeps;

const app = new Hono<AppBindings>();
app.use('*', async (c, next) => {
  c.set('deps', deps);
  await next();
});
app.use(
  '*',
  databaseWatchdog((c) => c.json({ title: 'Service Unavailable' }, 503)),
);
app.get('/api/waits', async (c) => {
  await frozen`select 1`;
  return c.text('never');
});
app.get('/api/health', async (c) => {
  const up = await databaseUp(c.get('deps'));
  return c.json({ database: up ? 'up' : 'down' }, up ? 200 : 503);
});

describe('database watchdog', () => {
  it('answers a waiting request 503, and leaves the health check its own answer', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const waiting = await app.request('/api/waits');
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toEqual({ title: 'Service Unavailable' });
    // The watchdog's wait and two failed checks, not the whole outage.
    expect(Date.now() - started).toBeLessThan(10_000);

    for (let i = 0; i < 3; i++) {
      const health = await app.request('/api/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ database: 'down' });
    }
  });
});
