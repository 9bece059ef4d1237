/**
 * Rate limits on the survey-link endpoints (/api/respond/<token>…), per client address and per token, so
 * that guessing tokens is hopeless and one link cannot be hammered. Sliding window over the last
 * `windowSeconds`, kept in memory: right for one process (several processes each count on their own).
 * Limits come from the environment (RESPOND_RATE_PER_TOKEN, RESPOND_RATE_PER_IP, RESPOND_RATE_WINDOW_SECONDS).
 */
import type { MiddlewareHandler } from 'hono';
import { clientAddress } from '../access/authenticate.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import type { AppBindings, AppDeps } from '../lib/types.ts';

export interface RateLimits {
  /** requests per window for one token */
  perToken: number;
  /** requests per window from one client address */
  perIp: number;
  windowSeconds: number;
}

/** Request times per key within the window; keys whose window has passed are swept away. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a request at `at` (ms) unless the key is over its limit; then how long until the next one fits. */
  take(key: string, at: number): { ok: true } | { ok: false; retryAfterMs: number } {
    this.sweep(at);
    const since = at - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((time) => time > since);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      return { ok: false, retryAfterMs: Math.max(1, times[times.length - this.limit] + this.windowMs - at) };
    }
    times.push(at);
    this.hits.set(key, times);
    return { ok: true };
  }

  get size(): number {
    return this.hits.size;
  }

  private sweep(at: number) {
    if (at - this.lastSweep < this.windowMs) return;
    this.lastSweep = at;
    const since = at - this.windowMs;
    for (const [key, times] of this.hits) if (times[times.length - 1] <= since) this.hits.delete(key);
  }
}

export function rateLimitsFrom(env: AppDeps['env']): RateLimits {
  return { perToken: env.RESPOND_RATE_PER_TOKEN, perIp: env.RESPOND_RATE_PER_IP, windowSeconds: env.RESPOND_RATE_WINDOW_SECONDS };
}

interface Limiter {
  byIp: SlidingWindow;
  byToken: SlidingWindow;
}

// One set of counters per running app (tests build many apps in one process).
const limiters = new WeakMap<AppDeps, Limiter>();

function limiterFor(deps: AppDeps): Limiter {
  let limiter = limiters.get(deps);
  if (!limiter) {
    const limits = rateLimitsFrom(deps.env);
    const windowMs = limits.windowSeconds * 1000;
    limiter = { byIp: new SlidingWindow(limits.perIp, windowMs), byToken: new SlidingWindow(limits.perToken, windowMs) };
    limiters.set(deps, limiter);
  }
  return limiter;
}

const tooMany = (retryAfterMs: number) => {
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

/**
 * Counts the request against its client address first (so a guesser spraying tokens is stopped by
 * address), then against its token. Counters are keyed by the token's hash: no raw token is kept.
 */
export const respondRateLimit: MiddlewareHandler<AppBindings> = async (c, next) => {
  const deps = c.get('deps');
  const limiter = limiterFor(deps);
  const at = deps.now().getTime();
  const byIp = limiter.byIp.take(clientAddress(c), at);
  const token = tokenOf(c.req.path);
  const verdict = byIp.ok && token !== null ? limiter.byToken.take(hashToken(token), at) : byIp;
  if (!verdict.ok) {
    const problem = tooMany(verdict.retryAfterMs);
    c.header('Retry-After', String(problem.extensions.retryAfter));
    throw problem;
  }
  await next();
};
