// One staff account: role, branches, disable / enable, unlock, a new set-password link.
import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { actionFailure, loadFailure, UUID } from '$lib/form-actions';
import type { PasswordLink, User, UserOptions, UserUpdateBody } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch, params }) => {
  if (!UUID.test(params.id)) error(404, 'Not found');
  try {
    const [users, options] = await Promise.all([api<User[]>(fetch, '/users'), api<UserOptions>(fetch, '/users/options')]);
    const user = users.find((u) => u.id === params.id);
    if (!user) error(404, 'Not found');
    return { user, options };
  } catch (e) {
    loadFailure(e);
  }
};

const patch = (fetch: typeof globalThis.fetch, id: string, json: UserUpdateBody) => api<User>(fetch, `/users/${id}`, { method: 'PATCH', json });

export const actions: Actions = {
  save: async ({ request, fetch, params }) => {
    const form = await request.formData();
    const role = String(form.get('role') ?? '');
    try {
      await patch(fetch, params.id, {
        name: String(form.get('name') ?? '').trim(),
        role: role as UserUpdateBody['role'],
        ...(role === 'branch_manager' ? { branchIds: form.getAll('branchIds').map(String) } : {}),
        ...(role === 'regional_manager' ? { regionIds: form.getAll('regionIds').map(String) } : {}),
      });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  disable: async ({ fetch, params }) => {
    try {
      await patch(fetch, params.id, { disabled: true });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  enable: async ({ fetch, params }) => {
    try {
      await patch(fetch, params.id, { disabled: false });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  unlock: async ({ fetch, params }) => {
    try {
      await patch(fetch, params.id, { unlock: true });
      return { saved: true };
    } catch (e) {
      return actionFailure(e);
    }
  },
  link: async ({ fetch, params }) => {
    try {
      return { passwordLink: await api<PasswordLink>(fetch, `/users/${params.id}/password-link`, { method: 'POST' }) };
    } catch (e) {
      return actionFailure(e);
    }
  },
};
