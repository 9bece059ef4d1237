// API keys for integrations: scopes, last use, revoke; the key itself is shown once.
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, idFrom, loadFailure } from '$lib/form-actions';
import type { ApiKey, ApiKeyCreated } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { keys: await api<ApiKey[]>(fetch, '/api-keys') };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const expires = String(form.get('expiresOn') ?? '');
    const values = { name: String(form.get('name') ?? '').trim(), scopes: form.getAll('scopes').map(String) };
    try {
      const created = await api<ApiKeyCreated>(fetch, '/api-keys', {
        method: 'POST',
        json: { ...values, ...(expires ? { expiresAt: new Date(`${expires}T23:59:59+08:00`).toISOString() } : {}) },
      });
      return { created };
    } catch (e) {
      return actionFailure(e, { values });
    }
  },
  revoke: async ({ request, fetch }) => {
    const id = idFrom(await request.formData());
    try {
      await api<null>(fetch, `/api-keys/${id}`, { method: 'DELETE' });
      return { revoked: id };
    } catch (e) {
      return actionFailure(e);
    }
  },
};
