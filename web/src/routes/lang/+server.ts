import { redirect } from '@sveltejs/kit';
import { UI_LOCALES, type UiLocale } from '$lib/i18n';
import { safeRedirectTarget } from '$lib/safe-redirect';
import type { RequestHandler } from './$types';

/** Switches the UI language and remembers it for a year. */
export const POST: RequestHandler = async ({ request, cookies }) => {
  const form = await request.formData();
  const to = String(form.get('to'));
  const back = String(form.get('back') ?? '/');
  if (UI_LOCALES.includes(to as UiLocale)) {
    cookies.set('lang', to, { path: '/', maxAge: 365 * 86400, httpOnly: false, sameSite: 'lax' });
  }
  // Only same-site paths: never an open redirect.
  redirect(303, safeRedirectTarget(back, '/'));
};
