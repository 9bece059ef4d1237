// A one-time link: create the first administrator, or choose a password for a new or reset account.
import { error, fail, redirect } from '@sveltejs/kit';
import { forwardSessionCookie } from '$lib/access';
import { api, ApiError } from '$lib/api';
import type { SetupBody, SetupInfo } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    return { info: await api<SetupInfo>(fetch, `/auth/setup/${encodeURIComponent(params.token)}`) };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) error(404, 'link');
    throw e;
  }
};

export const actions: Actions = {
  default: async ({ request, fetch, params, cookies, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const confirm = String(form.get('confirm') ?? '');
    if (password !== confirm) return fail(400, { email, name, error: 'mismatch' as const, message: '' });
    const res = await fetch(`/api/auth/setup/${encodeURIComponent(params.token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ password, ...(email ? { email } : {}), ...(name ? { name } : {}) } satisfies SetupBody),
    });
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      const policy = problem.errors?.some((e: { code?: string }) => e.code === 'password_policy');
      return fail(res.status, {
        email,
        name,
        error: policy ? ('policy' as const) : res.status === 404 ? ('gone' as const) : ('invalid' as const),
        message: String(problem.errors?.[0]?.message ?? problem.detail ?? ''),
      });
    }
    forwardSessionCookie(res, cookies, url.protocol === 'https:');
    redirect(303, '/account?welcome=1');
  },
};
