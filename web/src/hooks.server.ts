import type { Handle, HandleFetch } from '@sveltejs/kit';
import { pickUiLocale } from '$lib/i18n';

const API_FETCH = Symbol.for('rental-satisfaction.apiFetch');
type ApiFetch = (request: Request) => Promise<Response>;

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = pickUiLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'no-referrer');
  response.headers.set('X-Frame-Options', 'DENY');
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
    return apiFetch(new Request(request, { headers }));
  }
  return fetch(request);
};
