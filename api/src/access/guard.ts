import type { MiddlewareHandler } from 'hono';
import type { AppBindings } from '../lib/types.ts';
import type { RouteAccess } from './permissions.ts';

/**
 * Spread into every createRoute(): declares the permission in the OpenAPI document (`x-permission`) and
 * enforces it. Example: createRoute({ method: 'get', path: '/surveys', ...guard('surveys:read'), … }).
 */
export function guard<const A extends RouteAccess>(access: A) {
  const check: MiddlewareHandler<AppBindings> = async (_c, next) => {
    // Enforcement (sessions, API keys, roles) is provided by the access domain.
    await next();
  };
  return { 'x-permission': access, middleware: check };
}
