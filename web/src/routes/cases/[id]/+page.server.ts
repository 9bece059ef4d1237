// One case: what the customer said, who they are, the timeline, and the work on it (contact log,
// notes, status moves, root cause, resolution, compensation, owner). Every form works without JavaScript.
import { fail } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { CaseAttachment, CaseContactBody, CaseDetail, CaseNoteBody, CaseOptions, CaseTransitionBody, CaseUpdateBody } from '@rs/api/contract';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  try {
    const [detail, options] = await Promise.all([api<CaseDetail>(fetch, `/cases/${params.id}`), api<CaseOptions>(fetch, '/cases/options')]);
    return { detail, options, now: new Date().toISOString() };
  } catch (e) {
    loadFailure(e);
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
    // A change made meanwhile by someone else (stale version) gets the page's own wording.
    if (e instanceof ApiError && e.status === 409 && e.problem.title === 'Conflict' && !e.problem.errors)
      return fail(409, { action, message: t(locale, 'case.conflict'), errors: [] });
    return actionFailure(e, { action });
  }
}

export const actions: Actions = {
  transition: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const to = text(form, 'to');
    const amount = text(form, 'compensationAmount');
    // Form fields are strings; the API checks each value and names the field it refuses.
    const body: CaseTransitionBody = { to: to as CaseTransitionBody['to'], version: version(form) };
    if (text(form, 'note')) body.note = text(form, 'note');
    if (to === 'resolved') {
      if (text(form, 'rootCause')) body.rootCause = text(form, 'rootCause') as CaseTransitionBody['rootCause'];
      if (text(form, 'resolution')) body.resolution = text(form, 'resolution');
      if (text(form, 'compensationType')) body.compensationType = text(form, 'compensationType') as CaseTransitionBody['compensationType'];
      if (amount) body.compensationAmount = Number(amount);
      body.sendFollowUp = form.get('sendFollowUp') === 'on';
    }
    return send(`transition:${to}`, () => api<CaseDetail>(fetch, `/cases/${params.id}/transitions`, { method: 'POST', json: body }), locals.locale);
  },

  attach: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { action: 'attach', message: t(locals.locale, 'complaints.attach.missing'), errors: [] });
    // The file goes to the API as the body, its name in a header (URI-encoded), never in the URL.
    const content = new Uint8Array(await file.arrayBuffer());
    return send(
      'attach',
      () =>
        api<CaseAttachment>(fetch, `/cases/${params.id}/attachments`, {
          method: 'POST',
          headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
          body: content,
        }),
      locals.locale,
    );
  },

  contact: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const json: CaseContactBody = { channel: text(form, 'channel') as CaseContactBody['channel'], body: text(form, 'body') };
    return send('contact', () => api<CaseDetail>(fetch, `/cases/${params.id}/contacts`, { method: 'POST', json }), locals.locale);
  },

  note: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const json: CaseNoteBody = { body: text(form, 'body') };
    return send('note', () => api<CaseDetail>(fetch, `/cases/${params.id}/notes`, { method: 'POST', json }), locals.locale);
  },

  update: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const json: CaseUpdateBody = { version: version(form) };
    if (text(form, 'priority')) json.priority = text(form, 'priority') as CaseUpdateBody['priority'];
    json.rootCause = (text(form, 'rootCause') || null) as CaseUpdateBody['rootCause'];
    const assignee = text(form, 'assignee');
    if (assignee.startsWith('user:')) json.assignee = { userId: assignee.slice(5) };
    if (assignee.startsWith('team:')) json.assignee = { teamId: assignee.slice(5) };
    return send('update', () => api<CaseDetail>(fetch, `/cases/${params.id}`, { method: 'PATCH', json }), locals.locale);
  },
};
