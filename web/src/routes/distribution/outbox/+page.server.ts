// Messages kept in the database when no SMTP server or SMS provider is configured.
import { fail } from '@sveltejs/kit';
import { api, query } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { DistributionStatus, OutboxMessage, OutboxPage } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const channel = url.searchParams.get('channel');
  const before = url.searchParams.get('before');
  try {
    const [outbox, status] = await Promise.all([
      api<OutboxPage>(
        fetch,
        `/outbox${query({ channel: channel === 'email' || channel === 'sms' ? channel : undefined, before: before ?? undefined, limit: 30 })}`,
      ),
      api<DistributionStatus>(fetch, '/distribution/status'),
    ]);
    return { outbox, status, channel: channel ?? '' };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  // An administrator's explicit reveal of one message's survey link (the API writes it to the audit log).
  reveal: async ({ request, fetch }) => {
    const id = Number((await request.formData()).get('id'));
    if (!Number.isInteger(id) || id < 1) return fail(400, { id, message: 'id' });
    try {
      const message = await api<OutboxMessage>(fetch, `/outbox/${id}/reveal`, { method: 'POST' });
      return { revealed: { id: message.id, link: message.link } };
    } catch (e) {
      return actionFailure(e, { id });
    }
  },
};
