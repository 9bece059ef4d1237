import type { Context, MiddlewareHandler } from 'hono';
import { ProblemError } from '../lib/problem.ts';
import type { AppBindings } from '../lib/types.ts';
import type { RouteAccess } from './permissions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Spread into every createRoute(): declares the permission in the OpenAPI document (`x-permission`) and
 * enforces it. Example: createRoute({ method: 'get', path: '/surveys', ...guard('surveys:read'), … }).
 * No credentials → 401; credentials without the permission → 403; a cookie-authenticated write that is
 * neither same-origin nor marked by the X-Requested-With header → 403 (CSRF).
 */
export function guard<const A extends RouteAccess>(access: A) {
  const check: MiddlewareHandler<AppBindings> = async (c, next) => {
    if (access !== 'public') authorize(c, access);
    await next();
  };
  // OpenAPI security requirement: none for public routes, the session cookie for account routes, else either.
  const security: Record<string, string[]>[] = access === 'public' ? [] : access === 'account' ? [{ session: [] }] : [{ session: [] }, { apiKey: [] }];
  return { 'x-permission': access, security, middleware: check };
}

export const unauthorized = () => new ProblemError(401, 'Unauthorized', 'Sign in, or send an API key as "Authorization: Bearer …".');
export const forbidden = (detail = 'Your role does not allow this.') => new ProblemError(403, 'Forbidden', detail);

function authorize(c: Context<AppBindings>, access: Exclude<RouteAccess, 'public'>) {
  const principal = c.get('principal');
  if (!principal) {
    c.header('WWW-Authenticate', 'Bearer realm="api"');
    throw unauthorized();
  }
  if (access === 'account') {
    if (principal.kind !== 'user') throw forbidden('Only signed-in staff can do this.');
  } else if (!principal.permissions.has(access)) {
    throw forbidden(principal.kind === 'api_key' ? `This API key lacks the scope ${access}.` : undefined);
  }
  if (principal.kind === 'user' && !SAFE_METHODS.has(c.req.method) && !sameOriginWrite(c)) {
    throw forbidden('Cross-site request refused: send X-Requested-With or call from the same origin.');
  }
}

/** A cookie-authenticated write must come from our own pages (Origin) or set a header forms cannot set. */
export function sameOriginWrite(c: Context<AppBindings>): boolean {
  if (c.req.header('x-requested-with')) return true;
  const site = c.req.header('sec-fetch-site');
  if (site === 'same-origin') return true;
  if (site) return false;
  const origin = c.req.header('origin');
  if (!origin) return false;
  const allowed = new Set([new URL(c.req.url).origin, new URL(c.get('deps').publicUrl).origin]);
  return allowed.has(origin);
}
