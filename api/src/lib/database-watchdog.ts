// A database that stops answering without closing its connections (a frozen server, a network partition,
// a full disk) would hold every request for the whole outage: postgres.js has no client-side query timeout,
// and the server's statement_timeout cannot fire while the server itself is stuck. So a request still
// running after a few seconds makes the app ask the database, on a connection of its own, whether it
// answers; after two failed checks in a row the request is answered 503 (the same problem as a refused
// connection, create-app.ts) and its handler is left to finish or fail in the background. Until a check
// succeeds again, later requests are checked at once and one failed check answers them. A request that
// is merely slow (a large analytics query) keeps running as long as the database answers.
import type { Context, MiddlewareHandler } from 'hono';
import { databaseAnswers } from '../db/client.ts';
import type { AppBindings, AppDeps } from './types.ts';

/** How long a request runs before the database is checked, and how long a check may take. */
export const WATCH_AFTER_MS = 3_000;
export const CHECK_TIMEOUT_MS = 2_000;
/** Between checks while a request keeps running on a database that answers. */
const RECHECK_MS = 5_000;
/** Checks in a row that must fail before the database counts as down (one slow answer is not an outage). */
const FAILED_CHECKS = 2;

// One check at a time for the whole process, shared by every waiting request and by /api/health.
const inFlight = new WeakMap<object, Promise<boolean>>();
// Databases found down and not seen answering since: a request then checks at once, and one failed check
// answers it, so a page that makes several API calls fails in seconds rather than several times over.
const knownDown = new WeakSet<object>();

const probeOf = (deps: Pick<AppDeps, 'sql' | 'probeSql'>) => deps.probeSql ?? deps.sql;

/** Whether the database answers now (one check shared by all who ask at the same time). */
export function databaseUp(deps: Pick<AppDeps, 'sql' | 'probeSql'>): Promise<boolean> {
  const sql = probeOf(deps);
  let check = inFlight.get(sql);
  if (!check) {
    check = databaseAnswers(sql, CHECK_TIMEOUT_MS)
      .then((up) => {
        if (up) knownDown.delete(sql);
        return up;
      })
      .finally(() => inFlight.delete(sql));
    inFlight.set(sql, check);
  }
  return check;
}

const sleep = (ms: number, done: { settled: boolean; wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    done.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/** Resolves 'down' once the database has failed FAILED_CHECKS checks in a row while the request runs. */
async function watch(deps: AppDeps, done: { settled: boolean; wake?: () => void }): Promise<'down' | 'done'> {
  const sql = probeOf(deps);
  if (!knownDown.has(sql)) await sleep(WATCH_AFTER_MS, done);
  let failed = 0;
  while (!done.settled) {
    failed = (await databaseUp(deps)) ? 0 : failed + 1;
    if (done.settled) break;
    if (failed >= (knownDown.has(sql) ? 1 : FAILED_CHECKS)) {
      knownDown.add(sql);
      return 'down';
    }
    if (failed === 0) await sleep(RECHECK_MS, done);
  }
  return 'done';
}

export function databaseWatchdog(onDown: (c: Context<AppBindings>) => Response): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const done: { settled: boolean; wake?: () => void } = { settled: false };
    const handled = next().finally(() => {
      done.settled = true;
      done.wake?.();
    });
    let outcome = await Promise.race([handled.then(() => 'done' as const), watch(c.get('deps'), done)]);
    // A handler that waited on the same check (/api/health) answers in the same moment: its answer wins.
    if (outcome === 'down') await new Promise<void>((resolve) => setImmediate(resolve));
    if (done.settled) outcome = 'done';
    if (outcome === 'down') {
      // The handler may still finish once the database is back; its answer goes nowhere. A client that
      // tries again is recognised (a submit by its survey link, a case edit by its version), so nothing doubles.
      handled.catch(() => {});
      c.res = onDown(c);
    }
  };
}
