// Resolves the caller of every request: an API key (Authorization: Bearer rsk_…) or a staff session
// cookie. The result is `c.get('principal')`; guard() decides what it may do.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Database } from '../db/client.ts';
import { apiKeys, sessions, userBranches, users } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import type { AppBindings, AppDeps } from '../lib/types.ts';
import type { Executor } from './audit.ts';
import { apiKeyPrincipal, userPrincipal, type Principal } from './principal.ts';

export const SESSION_COOKIE = 'rs_session';
/** A session ends after this long, however active. */
export const SESSION_ABSOLUTE_DAYS = 30;
const TOUCH_EVERY_MS = 60_000;
export const API_KEY_PREFIX = 'rsk_';

export function newSecret(bytes = 32) {
  return randomBytes(bytes).toString('base64url');
}

export async function createSession(db: Database, userId: string, now: Date, idleHours: number) {
  const token = newSecret();
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + idleHours * 3_600_000) })
    .returning({ id: sessions.id });
  return { id: row.id, token };
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
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name, role: users.role } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, at), gt(sessions.createdAt, oldest), isNull(users.disabledAt)));
  if (!row) return null;
  if (at.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: at, expiresAt: new Date(at.getTime() + env.SESSION_IDLE_HOURS * 3_600_000) })
      .where(eq(sessions.id, row.session.id));
  }
  const branches =
    row.user.role === 'branch_manager'
      ? await db.select({ id: userBranches.branchId }).from(userBranches).where(eq(userBranches.userId, row.user.id))
      : [];
  return userPrincipal(row.user, row.session.id, branches.map((b) => b.id));
}

async function apiKeyPrincipalFor(deps: AppDeps, key: string): Promise<Principal | null> {
  const { db, now } = deps;
  const at = now();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, at))));
  if (!row) return null;
  if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, row.id));
  }
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
  c.set('branchScope', principal ? principal.branchIds : []);
  await next();
};

/**
 * The client's address: the socket's peer for requests from the network; for the web app's in-process
 * calls (no socket) the address the web server put in X-Forwarded-For.
 */
export function clientAddress(c: Context<AppBindings>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  if (incoming) return incoming.socket?.remoteAddress ?? 'unknown';
  return c.req.header('x-forwarded-for')?.split(',')[0].trim() || 'local';
}

/** Ends every session of a user, except optionally one. */
export async function endSessions(db: Executor, userId: string, exceptSessionId?: string) {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), exceptSessionId ? sql`${sessions.id} <> ${exceptSessionId}` : undefined));
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
