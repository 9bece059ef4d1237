// Writes to the survey API from the page's form actions. The action itself passed SvelteKit's same-origin
// check; the header tells the API's cookie-CSRF guard that this write comes from our own server.
import { api } from '$lib/api';

type Fetch = typeof fetch;

export function write<T>(fetch: Fetch, path: string, init: { method: 'POST' | 'PUT'; json?: unknown }): Promise<T> {
  return api<T>(fetch, path, { ...init, headers: { 'x-requested-with': 'sveltekit-action' } });
}
