// Webhooks: signed notifications to other systems; the secret is shown once when made or rotated.
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, idFrom, loadFailure } from '$lib/form-actions';
import type { Webhook, WebhookDelivery, WebhookWithSecret } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { webhooks: await api<Webhook[]>(fetch, '/webhooks') };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const values = {
      url: String(form.get('url') ?? '').trim(),
      description: String(form.get('description') ?? '').trim(),
      events: form.getAll('events').map(String),
    };
    try {
      return { secret: await api<WebhookWithSecret>(fetch, '/webhooks', { method: 'POST', json: values }) };
    } catch (e) {
      return actionFailure(e, { values });
    }
  },
  toggle: async ({ request, fetch }) => {
    const form = await request.formData();
    try {
      await api<WebhookWithSecret>(fetch, `/webhooks/${idFrom(form)}`, { method: 'PATCH', json: { active: form.get('active') === 'true' } });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  rotate: async ({ request, fetch }) => {
    try {
      return {
        secret: await api<WebhookWithSecret>(fetch, `/webhooks/${idFrom(await request.formData())}`, { method: 'PATCH', json: { rotateSecret: true } }),
      };
    } catch (e) {
      return actionFailure(e);
    }
  },
  ping: async ({ request, fetch }) => {
    try {
      await api<WebhookDelivery>(fetch, `/webhooks/${idFrom(await request.formData())}/ping`, { method: 'POST' });
      return { pinged: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  remove: async ({ request, fetch }) => {
    try {
      await api<null>(fetch, `/webhooks/${idFrom(await request.formData())}`, { method: 'DELETE' });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
};
