// One webhook's recent deliveries, with a retry for failed ones.
import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, idFrom, loadFailure, UUID } from '$lib/form-actions';
import type { Webhook, WebhookDelivery } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch, params }) => {
  if (!UUID.test(params.id)) error(404, 'Not found');
  try {
    const [webhooks, deliveries] = await Promise.all([
      api<Webhook[]>(fetch, '/webhooks'),
      api<WebhookDelivery[]>(fetch, `/webhooks/${params.id}/deliveries?limit=100`),
    ]);
    const webhook = webhooks.find((w) => w.id === params.id);
    if (!webhook) error(404, 'Not found');
    return { webhook, deliveries };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  retry: async ({ request, fetch }) => {
    try {
      await api<WebhookDelivery>(fetch, `/webhooks/deliveries/${idFrom(await request.formData())}/retry`, { method: 'POST' });
      return { retried: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
};
