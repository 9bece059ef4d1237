// Messages by status; the dead letters (every retry failed) can be sent again from here.
import { api, query } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { Deliveries, Delivery } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['dead', 'failed', 'queued', 'scheduled', 'sent', 'skipped', 'cancelled'] as const;
const PAGE = 50;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const p = url.searchParams;
  const status = (STATUSES as readonly string[]).includes(p.get('status') ?? '') ? p.get('status')! : 'dead';
  const outcome = p.get('outcome') || undefined;
  const offset = Math.max(0, Number(p.get('offset')) || 0);
  try {
    const list = await api<Deliveries>(fetch, `/deliveries${query({ status, outcome, limit: PAGE, offset })}`);
    return { list, status, outcome: outcome ?? '', offset, pageSize: PAGE, statuses: STATUSES };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  retry: async ({ request, fetch }) => {
    const id = String((await request.formData()).get('id') ?? '');
    try {
      await api<Delivery>(fetch, `/deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      return { retried: id };
    } catch (e) {
      return actionFailure(e, { id });
    }
  },
};
