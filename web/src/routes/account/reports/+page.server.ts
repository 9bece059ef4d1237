// Report subscription: the signed-in user's weekly or monthly digest by e-mail, and "send me a test now".
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { can } from '$lib/access';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { ReportSubscription, ReportSubscriptionInput, ReportSubscriptionPage, ReportTestSend } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, fetch }) => {
  if (!locals.user) redirect(303, '/login?next=/account/reports');
  if (!can(locals.user, 'analytics:read')) redirect(303, '/account');
  try {
    return { page: await api<ReportSubscriptionPage>(fetch, '/reports/subscription', { headers: { 'accept-language': locals.locale } }) };
  } catch (e) {
    loadFailure(e);
  }
};

function inputFrom(form: FormData): ReportSubscriptionInput {
  const kind = String(form.get('scopeKind') ?? 'all');
  const codes = (name: string) => form.getAll(name).map(String).filter(Boolean);
  const scope: ReportSubscriptionInput['scope'] =
    kind === 'region' ? { kind: 'region', codes: codes('region') } : kind === 'branches' ? { kind: 'branches', codes: codes('branch') } : { kind: 'all' };
  return {
    survey: String(form.get('survey') ?? ''),
    frequency: form.get('frequency') === 'monthly' ? 'monthly' : 'weekly',
    weekday: Number(form.get('weekday') ?? 1),
    sendHour: Number(form.get('sendHour') ?? 8),
    locale: form.get('locale') === 'en' ? 'en' : 'zh-CN',
    scope,
    attachPdf: form.get('attachPdf') === 'on',
    active: form.get('active') === 'on',
  };
}

export const actions: Actions = {
  save: async ({ request, fetch }) => {
    try {
      await api<ReportSubscription>(fetch, '/reports/subscription', { method: 'PUT', json: inputFrom(await request.formData()) });
      return { action: 'save', ok: true };
    } catch (e) {
      return actionFailure(e, { action: 'save' });
    }
  },
  test: async ({ fetch }) => {
    try {
      const sent = await api<ReportTestSend>(fetch, '/reports/subscription/test', { method: 'POST' });
      return { action: 'test', ok: true, sent };
    } catch (e) {
      return actionFailure(e, { action: 'test' });
    }
  },
  unsubscribe: async ({ fetch }) => {
    try {
      await api<null>(fetch, '/reports/subscription', { method: 'DELETE' });
      return { action: 'unsubscribe', ok: true };
    } catch (e) {
      return actionFailure(e, { action: 'unsubscribe' });
    }
  },
};
