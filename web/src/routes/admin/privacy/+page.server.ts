// Privacy tools: find one customer (by POST, so personal data stays out of URLs and logs), export their
// data, erase it; the retention period and its scheduled job.
import { fail } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { failure, idFrom, loadFailure } from '../form';
import type { CustomerMatch } from '../types';

interface RetentionStatus {
  retentionDays: number;
  dueNow: number;
  lastRun: { at: string; customersErased: number } | null;
}

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
      return { query: queryText, matches: await api<CustomerMatch[]>(fetch, '/privacy/customers/search', { method: 'POST', json: { query: queryText } }) };
    } catch (e) {
      return failure(e, { query: queryText });
    }
  },
  erase: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    if (form.get('confirm') !== 'yes') return fail(400, { confirmMissing: id });
    try {
      return { erased: await api<{ customerId: string; alreadyErased: boolean; answersRemoved: number; rentals: number }>(fetch, `/privacy/customers/${id}/erase`, { method: 'POST' }) };
    } catch (e) {
      return failure(e);
    }
  },
  retention: async ({ fetch }) => {
    try {
      return { retentionRun: await api<{ customersErased: number }>(fetch, '/privacy/retention/run', { method: 'POST' }) };
    } catch (e) {
      return failure(e);
    }
  },
};
