// The survey list: status, version and responses of each survey; create (blank or from a template),
// duplicate, archive and unarchive. Every action works without JavaScript.
import { error, fail, redirect } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { write } from '$lib/builder/api';
import type { SurveyDetail, SurveyListItem, TemplateSummary } from '$lib/builder/types';
import { t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

function loadError(e: unknown): never {
  if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
  throw e;
}

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [surveys, templates] = await Promise.all([
      api<SurveyListItem[]>(fetch, '/surveys'),
      api<TemplateSummary[]>(fetch, '/survey-templates'),
    ]);
    return { surveys, templates };
  } catch (e) {
    loadError(e);
  }
};

const idOf = (form: FormData) => {
  const id = form.get('id');
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
};

function actionFailure(e: unknown, extra: Record<string, unknown> = {}) {
  if (e instanceof ApiError) {
    return fail(e.status, { ...extra, message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [] });
  }
  throw e;
}

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
      created = await write<SurveyDetail>(fetch, '/surveys', { method: 'POST',
        json: start === 'blank' ? { name, defaultLocale } : { name, fromTemplate: start },
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
      created = await write<SurveyDetail>(fetch, `/surveys/${id}/duplicate`, { method: 'POST',
        json: name ? { name: t(locals.locale, 'surveys.copyName', { name }) } : {},
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
      await write(fetch, `/surveys/${id}/archive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { archived: id };
  },

  unarchive: async ({ request, fetch }) => {
    const id = idOf(await request.formData());
    if (!id) return fail(400, { message: 'Bad id' });
    try {
      await write(fetch, `/surveys/${id}/unarchive`, { method: 'POST' });
    } catch (e) {
      return actionFailure(e);
    }
    return { unarchived: id };
  },
};
