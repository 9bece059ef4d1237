// The signed-in staff member as the web app sees it (from GET /api/auth/me), and what their role may do.
import type { Me } from '@rs/api/contract';
import { safeRedirectTarget } from './safe-redirect';

export type SessionUser = Me;
export type Role = Me['role'];
export type Permission = Me['permissions'][number];

export const SESSION_COOKIE = 'rs_session';

/** True when the user's role grants the permission (`analytics:read`, `users:admin`, …). */
export function can(user: SessionUser | null | undefined, permission: Permission): boolean {
  return !!user && user.permissions.includes(permission);
}

/** Pages anyone may open: the customer's survey links, signing in, one-time links, the language switch. */
export function isPublicPath(pathname: string): boolean {
  return /^\/s\//.test(pathname) || /^\/login(\/|$)/.test(pathname) || pathname === '/lang' || pathname === '/favicon.ico' || pathname === '/robots.txt';
}

/** A same-site path to return to after signing in (never the login page again); anything else becomes the dashboard. */
export function safeNext(next: string | null | undefined): string {
  const target = safeRedirectTarget(next, '/dashboard');
  return /^\/login(?:[/?#]|$)/.test(target) ? '/dashboard' : target;
}

/** Copies the session cookie of an API response onto the page response. */
export function forwardSessionCookie(
  response: Response,
  cookies: { set: (name: string, value: string, opts: { path: string; httpOnly: boolean; sameSite: 'lax'; secure: boolean; maxAge?: number }) => void },
  secure: boolean,
) {
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) !== SESSION_COOKIE) continue;
    const maxAge = attributes.find((a) => /^max-age=/i.test(a));
    cookies.set(SESSION_COOKIE, pair.slice(eq + 1), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      ...(maxAge ? { maxAge: Number(maxAge.split('=')[1]) } : {}),
    });
  }
}
