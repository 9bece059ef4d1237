// A complaint from the phone, an email, the counter or social media: find the customer and rental (by phone,
// email or rental number, sent in the form's body, never in the URL), then open the case with its
// description, category, priority and attachments.
import { fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { api, ApiError } from '$lib/api';
import { actionFailure, formText, loadFailure } from '$lib/form-actions';
import type { CaseAttachment, CaseDetail, CaseOptions, ComplaintBody, ComplaintLookup, ComplaintLookupBody } from '@rs/api/contract';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const options = await api<CaseOptions>(fetch, '/cases/options');
    // The form's key: a second submit of the same form opens no second case.
    return { options, key: randomUUID() };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  lookup: async ({ request, fetch }) => {
    const form = await request.formData();
    const body: ComplaintLookupBody = {};
    if (formText(form, 'phone')) body.phone = formText(form, 'phone');
    if (formText(form, 'email')) body.email = formText(form, 'email');
    if (formText(form, 'rentalNumber')) body.rentalNumber = formText(form, 'rentalNumber');
    try {
      const result = await api<ComplaintLookup>(fetch, '/cases/complaints/lookup', { method: 'POST', json: body });
      return { action: 'lookup', ok: true, lookup: result };
    } catch (e) {
      return actionFailure(e, { action: 'lookup' });
    }
  },

  open: async ({ request, fetch, locals }) => {
    const form = await request.formData();
    // "customer:rental" from the lookup's choice, or nothing.
    const [customerId, rentalId] = formText(form, 'match').split(':');
    const body: ComplaintBody = {
      key: formText(form, 'key'),
      channel: formText(form, 'channel') as ComplaintBody['channel'],
      customerId: customerId || null,
      rentalId: rentalId || null,
      branchId: formText(form, 'branchId') || null,
      description: formText(form, 'description'),
      rootCause: formText(form, 'rootCause') as ComplaintBody['rootCause'],
      priority: (formText(form, 'priority') || 'normal') as ComplaintBody['priority'],
      followUpSurvey: form.get('followUpSurvey') === 'on',
    };
    let detail: CaseDetail;
    try {
      detail = await api<CaseDetail>(fetch, '/cases/complaints', { method: 'POST', json: body });
    } catch (e) {
      return actionFailure(e, { action: 'open' });
    }
    const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
    const refused: string[] = [];
    for (const file of files) {
      try {
        await api<CaseAttachment>(fetch, `/cases/${detail.id}/attachments`, {
          method: 'POST',
          headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
          body: new Uint8Array(await file.arrayBuffer()),
        });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        refused.push(`${file.name}: ${e.problem.detail ?? e.problem.title}`);
      }
    }
    // The case is open either way; a refused file is said on the form, with a link to the case.
    if (refused.length > 0) {
      return fail(422, {
        action: 'open',
        message: t(locals.locale, 'complaints.attach.refused'),
        errors: refused.map((message) => ({ path: 'files', message })),
        caseId: detail.id,
      });
    }
    redirect(303, `/cases/${detail.id}`);
  },
};
