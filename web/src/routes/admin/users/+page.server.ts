// Staff accounts: list, create (with a one-time link for the new user to choose a password).
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { User, UserCreated, UserOptions } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [users, options] = await Promise.all([api<User[]>(fetch, '/users'), api<UserOptions>(fetch, '/users/options')]);
    return { users, options };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const values = {
      email: String(form.get('email') ?? '').trim(),
      name: String(form.get('name') ?? '').trim(),
      role: String(form.get('role') ?? ''),
      branchIds: form.getAll('branchIds').map(String),
      regionIds: form.getAll('regionIds').map(String),
    };
    try {
      const created = await api<UserCreated>(fetch, '/users', { method: 'POST', json: values });
      return { created };
    } catch (e) {
      return actionFailure(e, { values });
    }
  },
};
