// One action plan: what it is about, its branches and owner, and the figure it should move before and
// after its start date (with 95 % intervals); its status, notes, owner and dates can be changed here.
import { fail } from '@sveltejs/kit';
import { api, ApiError, query } from '$lib/api';
import { actionFailure, formText, loadFailure } from '$lib/form-actions';
import type { ActionPlanDetail, ActionPlanUpdateBody, CaseOptions } from '@rs/api/contract';
import { can } from '$lib/access';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  const window = Number(url.searchParams.get('window')) || undefined;
  try {
    const plan = await api<ActionPlanDetail>(
      fetch,
      `/action-plans/${params.id}${query({ window: window && window >= 7 && window <= 365 ? window : undefined })}`,
    );
    const options = plan.permissions.write && can(locals.user, 'cases:read') ? await api<CaseOptions>(fetch, '/cases/options') : null;
    return { plan, options };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  default: async ({ request, fetch, params, locals }) => {
    const form = await request.formData();
    const body: ActionPlanUpdateBody = {
      version: Number(formText(form, 'version')) || undefined,
      status: formText(form, 'status') as ActionPlanUpdateBody['status'],
      notes: formText(form, 'notes'),
      dueDate: formText(form, 'dueDate'),
      ownerUserId: formText(form, 'ownerUserId') || undefined,
    };
    try {
      await api<ActionPlanDetail>(fetch, `/action-plans/${params.id}`, { method: 'PATCH', json: body });
      return { ok: true };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return fail(409, { message: t(locals.locale, 'plans.conflict'), errors: [] });
      return actionFailure(e);
    }
  },
};
