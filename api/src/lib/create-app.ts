import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authenticate, securityHeaders } from '../access/authenticate.ts';
import { bodyLimits } from './body-limit.ts';
import { databaseWatchdog } from './database-watchdog.ts';
import { unstorableTextErrors } from './input-text.ts';
import { databaseUnavailableCode } from '../db/client.ts';
import { log } from './logger.ts';
import { ProblemError, problemResponse, zodIssuesToErrors } from './problem.ts';
import type { AppBindings, AppDeps } from './types.ts';

/** A router whose request validation failures become problem+json with the failing fields. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result, c) => {
      // Valid input must still be storable: no NUL or lone surrogate in any string (api/src/lib/input-text.ts).
      const issues = result.success ? [] : (result.error as { issues: { path: PropertyKey[]; message: string; code?: string }[] }).issues;
      const errors = result.success ? unstorableTextErrors(result.data) : zodIssuesToErrors(issues);
      if (errors.length > 0) {
        return problemResponse(c, {
          type: 'https://httpstatuses.io/400',
          title: 'Bad Request',
          status: 400,
          detail: `Invalid ${result.target}`,
          errors,
        });
      }
    },
  });
}

/**
 * What operators need to find a fault, without values that may be personal data: database errors keep
 * their SQLSTATE and routine (their messages can quote input), others their message; both keep the stack frames.
 */
export function describeError(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; stack?: string; cause?: unknown };
  const frames = (e?.stack ?? '')
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .slice(0, 8)
    .join('\n');
  // drizzle wraps driver errors with a message quoting the query's parameters: look through to the cause.
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const c = cause as { name?: string; code?: string; routine?: string; severity_local?: string; cause?: unknown; constructor?: { name?: string } };
    if (c.name === 'PostgresError' || c.severity_local) return { name: 'PostgresError', code: c.code, routine: c.routine, frames };
    if (c.constructor?.name === 'DrizzleQueryError' && !c.cause) return { name: 'DrizzleQueryError', frames };
    if (c.constructor?.name === 'DrizzleQueryError' && !(c.cause as { name?: string }).name?.startsWith('Postgres')) {
      return { name: 'DrizzleQueryError', code: (c.cause as { code?: string }).code, frames };
    }
    cause = c.cause;
  }
  return { name: e?.name ?? typeof error, message: e?.message ?? String(error), frames };
}

/** What a 503 for an unreachable database tells clients to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 10;

/** The answer while the database cannot be reached: short, retryable, never a 500. */
function databaseUnavailable(c: Context<AppBindings>): Response {
  c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  return problemResponse(c, {
    type: 'https://httpstatuses.io/503',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The database cannot be reached right now. Please try again in a minute.',
  });
}

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // Body limits before anything reads a body; after the security headers so a 413 carries them too.
  // The watchdog before authentication, which is the first to read the database.
  app.use('*', securityHeaders, bodyLimits, databaseWatchdog(databaseUnavailable), authenticate);
  app.notFound((c) => problemResponse(c, { type: 'https://httpstatuses.io/404', title: 'Not Found', status: 404, detail: 'No such endpoint' }));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.toProblem());
    if (error instanceof HTTPException) {
      return problemResponse(c, { type: `https://httpstatuses.io/${error.status}`, title: error.message || 'Error', status: error.status });
    }
    if (error instanceof SyntaxError) {
      return problemResponse(c, { type: 'https://httpstatuses.io/400', title: 'Bad Request', status: 400, detail: 'Malformed JSON body' });
    }
    // The database is restarting or unreachable: a short answer the client may retry, not a 500.
    const unavailable = databaseUnavailableCode(error);
    if (unavailable) {
      // The code only: a wrapped query error's message quotes the statement's parameters.
      log.warn(`database unavailable (${unavailable}) on ${c.req.method} ${c.req.routePath}`);
      return databaseUnavailable(c);
    }
    // Unexpected: log the stack for operators, never send it to users.
    const incident = crypto.randomUUID();
    log.error(`unhandled error ${incident} on ${c.req.method} ${c.req.routePath}`, describeError(error));
    return problemResponse(c, {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: `Something went wrong on our side (incident ${incident}).`,
    });
  });
  return app;
}
