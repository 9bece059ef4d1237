// One case: what the customer said, who they are, the timeline, and the work on it (contact log,
// notes, status moves, root cause, resolution, compensation, owner). Every form works without JavaScript.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { CaseDetail, CaseOptions } from '$lib/cases/types';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const [detail, options] = await Promise.all([api<CaseDetail>(fetch, `/cases/${params.id}`), api<CaseOptions>(fetch, '/cases/options')]);
    return { detail, options, now: new Date().toISOString() };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
const version = (form: FormData) => Number(text(form, 'version')) || undefined;

async function send(action: string, call: () => Promise<unknown>, locale: 'zh-CN' | 'en') {
  try {
    await call();
    return { action, ok: true };
  } catch (e) {
    if (e instanceof ApiError) {
      const message = e.status === 409 && e.problem.title === 'Conflict' && !e.problem.errors ? t(locale, 'case.conflict') : (e.problem.detail ?? e.problem.title);
      return fail(e.status, { action, message, errors: e.problem.errors ?? [] });
    }
    throw e;
  }
}

export const actions: Actions = {
  transition: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const to = text(form, 'to');
    const amount = text(form, 'compensationAmount');
    const body: Record<string, unknown> = { to, version: version(form) };
    if (text(form, 'note')) body.note = text(form, 'note');
    if (to === 'resolved') {
      if (text(form, 'rootCause')) body.rootCause = text(form, 'rootCause');
      if (text(form, 'resolution')) body.resolution = text(form, 'resolution');
      if (text(form, 'compensationType')) body.compensationType = text(form, 'compensationType');
      if (amount) body.compensationAmount = Number(amount);
      body.sendFollowUp = form.get('sendFollowUp') === 'on';
    }
    return send(`transition:${to}`, () => api(fetch, `/cases/${params.id}/transitions`, { method: 'POST', json: body }), locals.locale);
  },

  contact: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const json = { channel: text(form, 'channel'), body: text(form, 'body') };
    return send('contact', () => api(fetch, `/cases/${params.id}/contacts`, { method: 'POST', json }), locals.locale);
  },

  note: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    return send('note', () => api(fetch, `/cases/${params.id}/notes`, { method: 'POST', json: { body: text(form, 'body') } }), locals.locale);
  },

  update: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const json: Record<string, unknown> = { version: version(form) };
    if (text(form, 'priority')) json.priority = text(form, 'priority');
    json.rootCause = text(form, 'rootCause') || null;
    const assignee = text(form, 'assignee');
    if (assignee.startsWith('user:')) json.assignee = { userId: assignee.slice(5) };
    if (assignee.startsWith('team:')) json.assignee = { teamId: assignee.slice(5) };
    return send('update', () => api(fetch, `/cases/${params.id}`, { method: 'PATCH', json }), locals.locale);
  },
};
