// Privacy tools: find one customer (by POST, so personal data stays out of URLs and logs), export their
// data, erase it; the retention period and its scheduled job.
import { fail } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, idFrom, loadFailure } from '$lib/form-actions';
import type { CustomerMatch, CustomerSearchBody, ErasureResult, RetentionRun, RetentionStatus } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { retention: await api<RetentionStatus>(fetch, '/privacy/retention') };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  search: async ({ request, fetch }) => {
    const queryText = String((await request.formData()).get('query') ?? '').trim();
    if (!queryText) return fail(400, { query: queryText, matches: [] as CustomerMatch[] });
    try {
      return {
        query: queryText,
        matches: await api<CustomerMatch[]>(fetch, '/privacy/customers/search', { method: 'POST', json: { query: queryText } satisfies CustomerSearchBody }),
      };
    } catch (e) {
      return actionFailure(e, { query: queryText });
    }
  },
  erase: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    if (form.get('confirm') !== 'yes') return fail(400, { confirmMissing: id });
    try {
      return { erased: await api<ErasureResult>(fetch, `/privacy/customers/${id}/erase`, { method: 'POST' }) };
    } catch (e) {
      return actionFailure(e);
    }
  },
  retention: async ({ fetch }) => {
    try {
      return { retentionRun: await api<RetentionRun>(fetch, '/privacy/retention/run', { method: 'POST' }) };
    } catch (e) {
      return actionFailure(e);
    }
  },
};
