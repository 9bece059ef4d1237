import type { Handle, HandleFetch, RequestEvent } from '@sveltejs/kit';
import { isPublicPath, SESSION_COOKIE, type SessionUser } from '$lib/access';
import { pickUiLocale } from '$lib/i18n';

const API_FETCH = Symbol.for('rental-satisfaction.apiFetch');
type ApiFetch = (request: Request) => Promise<Response>;

/** The signed-in user behind the session cookie, asked from the API (the authority on sessions). */
async function currentUser(event: RequestEvent): Promise<SessionUser | null> {
  if (!event.cookies.get(SESSION_COOKIE)) return null;
  try {
    const res = await event.fetch('/api/auth/me');
    return res.ok ? ((await res.json()) as SessionUser) : null;
  } catch {
    return null;
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = pickUiLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
  event.locals.user = await currentUser(event);
  // Staff pages need a signed-in user; customers' survey pages and the login pages stay public.
  if (!event.locals.user && !isPublicPath(event.url.pathname)) {
    // A form posted after the session ended (sign out included) also lands on the login page.
    const next = event.request.method === 'GET' ? event.url.pathname + event.url.search : '/';
    return new Response(null, { status: 303, headers: { location: next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 'cache-control': 'no-store' } });
  }
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  response.headers.set('X-Content-Type-Options', 'nosniff');
  // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on plain form posts.
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
  // Pages made for a signed-in user are never kept by shared caches or the back button after sign-out.
  if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
  return response;
};

/**
 * Server-side fetches of /api/... go straight to the Hono app in the same process (set up by
 * api/src/main.ts) instead of looping through the network; the caller's cookies go with them.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const apiFetch = (globalThis as Record<symbol, ApiFetch | undefined>)[API_FETCH];
  if (apiFetch && url.origin === event.url.origin && url.pathname.startsWith('/api/')) {
    const headers = new Headers(request.headers);
    const cookie = event.request.headers.get('cookie');
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const forwardedFor = event.getClientAddress();
    headers.set('x-forwarded-for', forwardedFor);
    // As SvelteKit's own fetch does: writes from the server side carry this site's origin (form actions
    // reaching here already passed SvelteKit's origin check), which the API's CSRF check accepts.
    if (request.method !== 'GET' && request.method !== 'HEAD' && !headers.has('origin')) headers.set('origin', event.url.origin);
    return apiFetch(new Request(request, { headers }));
  }
  return fetch(request);
};
