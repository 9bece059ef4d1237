// Resolves the caller of every request: an API key (Authorization: Bearer rsk_…) or a staff session
// cookie. The result is `c.get('principal')`; guard() decides what it may do.
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { hashToken } from '../distribution/tokens.ts';
import { normalizeAddress, resolveClientAddress } from '../lib/client-address.ts';
import type { AppBindings, AppDeps } from '../lib/types.ts';
import { liveApiKey, liveSession, scopedBranches, touchApiKey, touchSession } from './auth.queries.ts';
import { apiKeyPrincipal, userPrincipal, type Principal } from './principal.ts';

export const SESSION_COOKIE = 'rs_session';
/** A session ends after this long, however active. */
export const SESSION_ABSOLUTE_DAYS = 30;
const TOUCH_EVERY_MS = 60_000;
export const API_KEY_PREFIX = 'rsk_';

export function newSecret(bytes = 32) {
  return randomBytes(bytes).toString('base64url');
}

export function setSessionCookie(c: Context<AppBindings>, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').publicUrl.startsWith('https:'),
    maxAge: SESSION_ABSOLUTE_DAYS * 86_400,
  });
}

export function clearSessionCookie(c: Context<AppBindings>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.get('deps').publicUrl.startsWith('https:') });
}

async function sessionPrincipal(deps: AppDeps, token: string): Promise<Principal | null> {
  const { db, now, env } = deps;
  const at = now();
  const oldest = new Date(at.getTime() - SESSION_ABSOLUTE_DAYS * 86_400_000);
  const row = await liveSession(db, hashToken(token), at, oldest);
  if (!row) return null;
  if (at.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await touchSession(db, row.session.id, at, new Date(at.getTime() + env.SESSION_IDLE_HOURS * 3_600_000));
  }
  const branches = await scopedBranches(db, row.user);
  return userPrincipal(
    row.user,
    row.session.id,
    (branches ?? []).map((b) => b.id),
  );
}

async function apiKeyPrincipalFor(deps: AppDeps, key: string): Promise<Principal | null> {
  const { db, now } = deps;
  const at = now();
  const row = await liveApiKey(db, hashToken(key), at);
  if (!row) return null;
  if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchApiKey(db, row.id, at);
  return apiKeyPrincipal(row);
}

/** The caller's credentials: a bearer API key wins over a cookie; anything invalid is no principal. */
export async function resolvePrincipal(c: Context<AppBindings>): Promise<Principal | null> {
  const deps = c.get('deps');
  const authorization = c.req.header('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match || !match[1].startsWith(API_KEY_PREFIX)) return null;
    return apiKeyPrincipalFor(deps, match[1]);
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 200) return null;
  return sessionPrincipal(deps, token);
}

export const authenticate: MiddlewareHandler<AppBindings> = async (c, next) => {
  const principal = await resolvePrincipal(c);
  c.set('principal', principal);
  await next();
};

/**
 * The client's address: for requests from the network the socket's peer, or the client named in
 * X-Forwarded-For by the proxies TRUST_PROXY trusts (api/src/lib/client-address.ts); for the web app's
 * in-process calls (no socket) the address the web server resolved the same way and put in X-Forwarded-For.
 */
export function clientAddress(c: Context<AppBindings>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  if (incoming) return resolveClientAddress(incoming.socket?.remoteAddress, c.req.header('x-forwarded-for'), c.get('deps').env.TRUST_PROXY);
  return normalizeAddress(c.req.header('x-forwarded-for')?.split(',')[0] ?? '') || 'local';
}

/** Headers on every API response: no sniffing, no framing, no referrer, nothing cached for signed-in callers. */
export const securityHeaders: MiddlewareHandler<AppBindings> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Frame-Options', 'DENY');
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  if (c.get('principal') && !headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
};
