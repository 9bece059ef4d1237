import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { audit } from './audit.ts';
import * as q from './auth.queries.ts';
import type { ChangePasswordRoute, CompleteSetupRoute, LoginRoute, LogoutRoute, MeRoute, SetupInfoRoute } from './auth.routes.ts';
import { clearSessionCookie, clientAddress, setSessionCookie } from './authenticate.ts';
import type { UserPrincipal } from './principal.ts';

const currentUser = (p: unknown) => p as UserPrincipal;

/** The signed-in user as GET /auth/me shows them, with the company time zone the web formats dates in. */
async function meOf(deps: { db: Parameters<typeof q.me>[0]; env: { COMPANY_TIME_ZONE: string } }, userId: string) {
  return { ...(await q.me(deps.db, userId)), timeZone: deps.env.COMPANY_TIME_ZONE };
}

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
  const keys = { clientKey: hashToken(`login:${clientAddress(c)}`), accountKey: hashToken(`login-account:${input.email}`) };
  const user = await withRetryAfter(c, () => q.checkLogin(db, { ...input, ...keys }, at, q.loginLimitsFrom(env)));
  const session = await q.createSession(db, user.id, at, env.SESSION_IDLE_HOURS);
  setSessionCookie(c, session.token);
  c.header('Cache-Control', 'no-store');
  return c.json(await meOf({ db, env }, user.id), 200);
};

export const logout: AppRouteHandler<LogoutRoute> = async (c) => {
  const { db } = c.get('deps');
  await q.endSession(db, currentUser(c.get('principal')).sessionId);
  clearSessionCookie(c);
  return c.body(null, 204);
};

export const me: AppRouteHandler<MeRoute> = async (c) => {
  return c.json(await meOf(c.get('deps'), currentUser(c.get('principal')).id), 200);
};

export const changePassword: AppRouteHandler<ChangePasswordRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const principal = currentUser(c.get('principal'));
  await q.changePassword(db, principal.id, c.req.valid('json'), now());
  // Anyone else holding a session of this user is signed out; this browser stays signed in.
  await q.endSessions(db, principal.id, principal.sessionId);
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
  await q.endSessions(db, userId);
  const session = await q.createSession(db, userId, at, env.SESSION_IDLE_HOURS);
  setSessionCookie(c, session.token);
  c.header('Cache-Control', 'no-store');
  return c.json(await meOf({ db, env }, userId), 200);
};
