/**
 * Rate limits on the survey-link endpoints (/api/respond/<token>…). The per-token limit is the main guard:
 * one link cannot be hammered, whoever sends the requests. Per client address only requests for links that
 * do not exist (404) are counted, so that guessing tokens is hopeless while many customers behind one
 * address (an office, carrier NAT, a proxy without TRUST_PROXY) keep answering their own links.
 * Counters live in PostgreSQL (api/src/lib/rate-limit.queries.ts), shared by every app process; the client
 * address is resolved through TRUST_PROXY (api/src/lib/client-address.ts).
 * Limits come from the environment (RESPOND_RATE_PER_TOKEN, RESPOND_RATE_PER_IP, RESPOND_RATE_WINDOW_SECONDS).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Sql } from '../db/client.ts';
import { clientAddress } from '../access/authenticate.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import { addHit, checkHits, takeHit, type RateVerdict } from '../lib/rate-limit.queries.ts';
import type { AppBindings, AppDeps } from '../lib/types.ts';

export interface RateLimits {
  /** requests per window for one token */
  perToken: number;
  /** requests for unknown links per window from one client address */
  perIp: number;
  windowSeconds: number;
}

export function rateLimitsFrom(env: AppDeps['env']): RateLimits {
  return { perToken: env.RESPOND_RATE_PER_TOKEN, perIp: env.RESPOND_RATE_PER_IP, windowSeconds: env.RESPOND_RATE_WINDOW_SECONDS };
}

export const tooMany = (retryAfterMs: number) => {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new ProblemError(429, 'Too Many Requests', `Too many requests for survey links. Please try again in ${seconds} second(s).`, undefined, {
    retryAfter: seconds,
  });
};

/** The token of /api/respond/<token>[/…], whatever it looks like (malformed ones count as well). */
function tokenOf(path: string): string | null {
  const match = /\/respond\/([^/]+)/.exec(path);
  return match ? match[1] : null;
}

/** A submit takes its hit in its own transaction (respond.queries.ts), with the statements it sends first. */
const isSubmit = (c: Context<AppBindings>) => c.req.method === 'POST' && /\/respond\/[^/]+\/submit$/.test(c.req.path);

/**
 * The hit of a request for a survey link: counted against its token (keyed by the token's hash: no raw
 * token is kept) unless the client address has asked for too many unknown links. `sql` may be a
 * transaction's connection; old buckets are swept through the pool.
 */
export function takeLinkHit(c: Context<AppBindings>, sql: Sql, token: string): Promise<RateVerdict> {
  const { sql: pool, env, now } = c.get('deps');
  const limits = rateLimitsFrom(env);
  return takeHit(
    sql,
    `respond:token:${hashToken(token)}`,
    limits.perToken,
    limits.windowSeconds * 1000,
    now().getTime(),
    { key: addressKey(c), limit: limits.perIp },
    pool,
  );
}

const addressKey = (c: Context<AppBindings>) => `respond:address:${clientAddress(c)}`;

/** The 429 for a refused verdict, with its Retry-After header. */
export function refuseIfTooMany(c: Context<AppBindings>, verdict: RateVerdict) {
  if (verdict.ok) return;
  const problem = tooMany(verdict.retryAfterMs);
  c.header('Retry-After', String(problem.extensions.retryAfter));
  throw problem;
}

/**
 * Refuses an address that has asked for too many unknown links, then counts the request against its token;
 * after the answer, a 404 counts against the address.
 */
export const respondRateLimit: MiddlewareHandler<AppBindings> = async (c, next) => {
  const { sql, env, now } = c.get('deps');
  const limits = rateLimitsFrom(env);
  const at = now().getTime();
  const token = tokenOf(c.req.path);
  // One statement: the address's unknown-link count gates the hit on the token.
  if (token === null) refuseIfTooMany(c, await checkHits(sql, addressKey(c), limits.perIp, limits.windowSeconds * 1000, at));
  else if (!isSubmit(c)) refuseIfTooMany(c, await takeLinkHit(c, sql, token));
  await next();
  if (c.res.status === 404) await addHit(sql, addressKey(c), at);
};
