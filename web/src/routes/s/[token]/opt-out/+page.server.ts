// The customer's "no more surveys" page: a confirmation button (a GET never unsubscribes anyone, so mail
// scanners opening the link change nothing), then the API records the opt-out.
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { OptOutResult } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  return {};
};

export const actions: Actions = {
  default: async ({ params, fetch }) => {
    try {
      await api<OptOutResult>(fetch, `/respond/${encodeURIComponent(params.token)}/opt-out`, { method: 'POST' });
      return { done: true };
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.status === 404 || e.status === 400) error(404, 'link-unavailable');
        if (e.status === 429) error(429, 'busy');
        error(503, 'unavailable');
      }
      throw e;
    }
  },
};
