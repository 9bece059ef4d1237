// Sign-in with email and password. The API checks the password, the lockout and the rate limit and
// makes the session; this page copies its HTTP-only cookie onto the browser's response.
import { fail, redirect } from '@sveltejs/kit';
import { forwardSessionCookie, safeNext } from '$lib/access';
import type { LoginBody } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: url.searchParams.get('next') ?? '' };
};

export const actions: Actions = {
  default: async ({ request, fetch, cookies, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const next = String(form.get('next') ?? '');
    if (!email || !password) return fail(400, { email, next, error: 'missing' as const });
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email, password } satisfies LoginBody),
    });
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after') ?? '60');
      return fail(429, { email, next, error: 'locked' as const, minutes: Math.max(1, Math.ceil(retryAfter / 60)) });
    }
    if (!res.ok) return fail(res.status === 401 ? 400 : res.status, { email, next, error: 'wrong' as const });
    forwardSessionCookie(res, cookies, url.protocol === 'https:');
    redirect(303, safeNext(next));
  },
};
