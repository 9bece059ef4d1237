// The survey list: status, version and responses of each survey; create (blank or from a template),
// duplicate, archive and unarchive. Every action works without JavaScript.
import { fail, redirect } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import { write } from '$lib/builder/api';
import type { CreateSurveyBody, DuplicateSurveyBody, SurveyDetail, SurveySummary, SurveyTemplateSummary } from '@rs/api/contract';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [surveys, templates] = await Promise.all([api<SurveySummary[]>(fetch, '/surveys'), api<SurveyTemplateSummary[]>(fetch, '/survey-templates')]);
    return { surveys, templates };
  } catch (e) {
    loadFailure(e);
  }
};

const idOf = (form: FormData) => {
  const id = form.get('id');
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
};

export const actions: Actions = {
  create: async ({ request, fetch, locals }) => {
    const form = await request.formData();
    const name = String(form.get('name') ?? '').trim();
    const start = String(form.get('start') ?? 'blank');
    const defaultLocale = String(form.get('defaultLocale') ?? locals.locale);
    const values = { name, start, defaultLocale };
    if (!name) return fail(400, { create: values, errors: [{ path: 'name', message: t(locals.locale, 'surveys.nameRequired') }] });
    let created: SurveyDetail;
    try {
      created = await write<SurveyDetail>(fetch, '/surveys', {
        method: 'POST',
        json: (start === 'blank'
          ? { name, defaultLocale: defaultLocale as CreateSurveyBody['defaultLocale'] }
          : { name, fromTemplate: start }) satisfies CreateSurveyBody,
      });
    } catch (e) {
      return actionFailure(e, { create: values });
    }
    redirect(303, `/surveys/${created.id}`);
  },

  duplicate: async ({ request, fetch, locals }) => {
    const form = await request.formData();
    const id = idOf(form);
    if (!id) return fail(400, { message: 'Bad id' });
    const name = String(form.get('name') ?? '').trim();
    let created: SurveyDetail;
    try {
      created = await write<SurveyDetail>(fetch, `/surveys/${id}/duplicate`, {
        method: 'POST',
        json: (name ? { name: t(locals.locale, 'surveys.copyName', { name }) } : {}) satisfies DuplicateSurveyBody,
      });
    } catch (e) {
      return actionFailure(e);
    }
    redirect(303, `/surveys/${created.id}`);
  },

  archive: async ({ request, fetch }) => {
    const id = idOf(await request.formData());
    if (!id) return fail(400, { message: 'Bad id' });
    try {
      await write<SurveyDetail>(fetch, `/surveys/${id}/archive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { archived: id };
  },

  unarchive: async ({ request, fetch }) => {
    const id = idOf(await request.formData());
    if (!id) return fail(400, { message: 'Bad id' });
    try {
      await write<SurveyDetail>(fetch, `/surveys/${id}/unarchive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { unarchived: id };
  },
};
