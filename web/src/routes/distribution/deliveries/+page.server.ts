// Messages by status; the dead letters (every retry failed) can be sent again from here.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError, query } from '$lib/api';
import type { Delivery } from '../types';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['dead', 'failed', 'queued', 'scheduled', 'sent', 'skipped', 'cancelled'] as const;
const PAGE = 50;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const p = url.searchParams;
  const status = (STATUSES as readonly string[]).includes(p.get('status') ?? '') ? p.get('status')! : 'dead';
  const outcome = p.get('outcome') || undefined;
  const offset = Math.max(0, Number(p.get('offset')) || 0);
  try {
    const list = await api<{ total: number; counts: Record<string, number>; items: Delivery[] }>(
      fetch,
      `/deliveries${query({ status, outcome, limit: PAGE, offset })}`,
    );
    return { list, status, outcome: outcome ?? '', offset, pageSize: PAGE, statuses: STATUSES };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

export const actions: Actions = {
  retry: async ({ request, fetch }) => {
    const id = String((await request.formData()).get('id') ?? '');
    try {
      await api(fetch, `/deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      return { retried: id };
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { id, message: e.problem.detail ?? e.problem.title });
      throw e;
    }
  },
};
