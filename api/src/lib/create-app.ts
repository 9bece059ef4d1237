import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { authenticate, securityHeaders } from '../access/authenticate.ts';
import { log } from './logger.ts';
import { ProblemError, problemResponse, zodIssuesToErrors } from './problem.ts';
import type { AppBindings, AppDeps } from './types.ts';

/** A router whose request validation failures become problem+json with the failing fields. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = (result.error as { issues: { path: PropertyKey[]; message: string; code?: string }[] }).issues;
        return problemResponse(c, {
          type: 'https://httpstatuses.io/400',
          title: 'Bad Request',
          status: 400,
          detail: `Invalid ${result.target}`,
          errors: zodIssuesToErrors(issues),
        });
      }
    },
  });
}

/**
 * What operators need to find a fault, without values that may be personal data: database errors keep
 * their SQLSTATE and routine (their messages can quote input), others their message; both keep the stack frames.
 */
function describeError(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; stack?: string; code?: string; routine?: string; severity_local?: string };
  const frames = (e?.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at ')).slice(0, 8).join('\n');
  if (e?.name === 'PostgresError' || e?.severity_local) return { name: 'PostgresError', code: e.code, routine: e.routine, frames };
  return { name: e?.name ?? typeof error, message: e?.message ?? String(error), frames };
}

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders, authenticate);
  app.notFound((c) =>
    problemResponse(c, { type: 'https://httpstatuses.io/404', title: 'Not Found', status: 404, detail: 'No such endpoint' }),
  );
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.toProblem());
    if (error instanceof HTTPException) {
      return problemResponse(c, { type: `https://httpstatuses.io/${error.status}`, title: error.message || 'Error', status: error.status });
    }
    if (error instanceof SyntaxError) {
      return problemResponse(c, { type: 'https://httpstatuses.io/400', title: 'Bad Request', status: 400, detail: 'Malformed JSON body' });
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
