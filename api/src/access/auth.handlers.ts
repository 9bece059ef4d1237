import { eq } from 'drizzle-orm';
import { sessions } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { audit } from './audit.ts';
import * as q from './auth.queries.ts';
import type { ChangePasswordRoute, CompleteSetupRoute, LoginRoute, LogoutRoute, MeRoute, SetupInfoRoute } from './auth.routes.ts';
import { clearSessionCookie, clientAddress, createSession, endSessions, setSessionCookie } from './authenticate.ts';
import type { UserPrincipal } from './principal.ts';

const currentUser = (p: unknown) => p as UserPrincipal;

async function withRetryAfter<T>(c: { header: (name: string, value: string) => void }, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError && error.status === 429) c.header('Retry-After', String(error.extensions.retryAfterSeconds ?? 60));
    throw error;
  }
}

export const login: AppRouteHandler<LoginRoute> = async (c) => {
  const { db, now, env } = c.get('deps');
  const input = c.req.valid('json');
  const at = now();
  const user = await withRetryAfter(c, () => q.checkLogin(db, { ...input, clientKey: hashToken(`login:${clientAddress(c)}`) }, at));
  const session = await createSession(db, user.id, at, env.SESSION_IDLE_HOURS);
  setSessionCookie(c, session.token);
  c.header('Cache-Control', 'no-store');
  return c.json(await q.me(db, user.id), 200);
};

export const logout: AppRouteHandler<LogoutRoute> = async (c) => {
  const { db } = c.get('deps');
  await db.delete(sessions).where(eq(sessions.id, currentUser(c.get('principal')).sessionId));
  clearSessionCookie(c);
  return c.body(null, 204);
};

export const me: AppRouteHandler<MeRoute> = async (c) => {
  return c.json(await q.me(c.get('deps').db, currentUser(c.get('principal')).id), 200);
};

export const changePassword: AppRouteHandler<ChangePasswordRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const principal = currentUser(c.get('principal'));
  await q.changePassword(db, principal.id, c.req.valid('json'), now());
  // Anyone else holding a session of this user is signed out; this browser stays signed in.
  await endSessions(db, principal.id, principal.sessionId);
  await audit(c, 'user.change_password', { type: 'user', id: principal.id });
  return c.body(null, 204);
};

export const setupInfo: AppRouteHandler<SetupInfoRoute> = async (c) => {
  const { db, now } = c.get('deps');
  c.header('Cache-Control', 'no-store');
  return c.json(await q.setupInfo(db, c.req.valid('param').token, now()), 200);
};

export const completeSetup: AppRouteHandler<CompleteSetupRoute> = async (c) => {
  const { db, now, env } = c.get('deps');
  const at = now();
  const userId = await q.completeSetup(db, c.req.valid('param').token, c.req.valid('json'), at);
  await endSessions(db, userId);
  const session = await createSession(db, userId, at, env.SESSION_IDLE_HOURS);
  setSessionCookie(c, session.token);
  c.header('Cache-Control', 'no-store');
  return c.json(await q.me(db, userId), 200);
};
