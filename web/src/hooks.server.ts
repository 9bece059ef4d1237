import type { Handle, HandleFetch, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { isPublicPath, SESSION_COOKIE, type SessionUser } from '$lib/access';
import { ApiError } from '$lib/api';
import { pickUiLocale, t, type UiLocale } from '$lib/i18n';
import { isPreviewFramePath } from '$lib/builder/preview-frame';

const API_FETCH = Symbol.for('rental-satisfaction.apiFetch');
type ApiFetch = (request: Request) => Promise<Response>;

// The API answered 503: the database is away for a moment (see api/src/lib/create-app.ts).
const UNAVAILABLE = Symbol('unavailable');

/** The signed-in user behind the session cookie, asked from the API (the authority on sessions). */
async function currentUser(event: RequestEvent): Promise<SessionUser | null | typeof UNAVAILABLE> {
  if (!event.cookies.get(SESSION_COOKIE)) return null;
  try {
    const res = await event.fetch('/api/auth/me');
    if (res.status === 503) return UNAVAILABLE;
    return res.ok ? ((await res.json()) as SessionUser) : null;
  } catch {
    return null;
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = pickUiLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
  const user = await currentUser(event);
  // Not "signed out" (which would send staff to the login page): a polite page until the database is back.
  if (user === UNAVAILABLE && !isPublicPath(event.url.pathname)) return unavailablePage(event.locals.locale);
  event.locals.user = user === UNAVAILABLE ? null : user;
  // Staff pages need a signed-in user; customers' survey pages and the login pages stay public.
  if (!event.locals.user && !isPublicPath(event.url.pathname)) {
    // A form posted after the session ended (sign out included) also lands on the login page.
    const next = event.request.method === 'GET' ? event.url.pathname + event.url.search : '/';
    return new Response(null, {
      status: 303,
      headers: { location: next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 'cache-control': 'no-store' },
    });
  }
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.pageLang ?? event.locals.locale),
  });
  response.headers.set('X-Content-Type-Options', 'nosniff');
  // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on plain form posts.
  response.headers.set('Referrer-Policy', 'same-origin');
  // Only the builder's phone-width preview frame may be framed, and only by this site's own pages
  // (the CSP's frame-ancestors, which browsers obey before X-Frame-Options, says the same).
  const framable = isPreviewFramePath(event.url.pathname);
  response.headers.set('X-Frame-Options', framable ? 'SAMEORIGIN' : 'DENY');
  const csp = response.headers.get('Content-Security-Policy');
  if (framable && csp) response.headers.set('Content-Security-Policy', csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000');
  // Pages made for a signed-in user are never kept by shared caches or the back button after sign-out.
  if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
  return response;
};

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A 503 page in both languages (the caller's first), with the time after which to try again. */
function unavailablePage(locale: UiLocale): Response {
  const locales: UiLocale[] = locale === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en'];
  const parts = locales.map(
    (l) => `<section lang="${l}"><h1>${escapeHtml(t(l, 'unavailable.title'))}</h1><p>${escapeHtml(t(l, 'unavailable.body'))}</p></section>`,
  );
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="30"><title>${escapeHtml(t(locale, 'unavailable.title'))}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1f29}section+section{margin-top:1.5rem;border-top:1px solid #d4d8e0;padding-top:1rem}h1{font-size:1.25rem}</style></head><body data-testid="service-unavailable">${parts.join('')}</body></html>`;
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '10', 'cache-control': 'no-store' } });
}

/**
 * Errors of loads and actions: a 503 of the API (database away) becomes the "unavailable" error that the
 * error pages show as "try again in a minute"; anything else is logged for operators and shown generically.
 */
export const handleError: HandleServerError = ({ error, status, message }) => {
  if (error instanceof ApiError && error.status === 503) return { message: 'unavailable' };
  if (status >= 500) console.error(error);
  return { message };
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
