// Your account: who you are, which branches you see, your password; signing out.
import { fail, redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, '/login?next=/account');
  return { me: locals.user, welcome: url.searchParams.has('welcome') };
};

export const actions: Actions = {
  password: async ({ request, fetch }) => {
    const form = await request.formData();
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirm') ?? '')) return fail(400, { password: { error: 'mismatch' as const, message: '' } });
    const res = await fetch('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      const first = problem.errors?.[0] as { path?: string; code?: string; message?: string } | undefined;
      const error = first?.path === 'currentPassword' ? ('current' as const) : first?.code === 'password_policy' ? ('policy' as const) : ('invalid' as const);
      return fail(res.status, { password: { error, message: String(first?.message ?? problem.detail ?? '') } });
    }
    return { password: { changed: true } };
  },

  logout: async ({ fetch, cookies }) => {
    if (cookies.get(SESSION_COOKIE)) await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  },
};
