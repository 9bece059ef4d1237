// Open feedback links (QR codes per branch): the list with answer counts, creating one, closing and reopening.
import { fail } from '@sveltejs/kit';
import { api, query } from '$lib/api';
import { actionFailure, idFrom, loadFailure } from '$lib/form-actions';
import type { Branch, OpenLink, OpenLinkCreateBody, OpenLinkUpdateBody, SurveySummary } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const [surveys, branches] = await Promise.all([api<SurveySummary[]>(fetch, '/surveys'), api<Branch[]>(fetch, '/branches')]);
    const published = surveys.filter((s) => s.status !== 'archived' && s.latestVersion !== null);
    const surveyId = published.find((s) => s.id === url.searchParams.get('survey'))?.id ?? published[0]?.id ?? null;
    const links = surveyId ? await api<OpenLink[]>(fetch, `/open-links${query({ survey: surveyId })}`) : [];
    return { surveys: published, surveyId, branches: branches.filter((b) => b.active), links };
  } catch (e) {
    loadFailure(e);
  }
};

const int = (form: FormData, name: string) => {
  const text = String(form.get(name) ?? '').trim();
  return text === '' ? undefined : Number(text);
};

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const tag = String(form.get('tag') ?? '').trim();
    const body: OpenLinkCreateBody = {
      surveyId: String(form.get('surveyId') ?? ''),
      branch: String(form.get('branch') ?? ''),
      tag: tag === '' ? null : tag,
      maxPerDevice: int(form, 'maxPerDevice'),
      maxPerAddress: int(form, 'maxPerAddress'),
      minSeconds: int(form, 'minSeconds'),
    };
    if (!body.surveyId || !body.branch) return fail(400, { action: 'create', message: null, errors: [{ path: !body.surveyId ? 'surveyId' : 'branch' }] });
    try {
      const link = await api<OpenLink>(fetch, '/open-links', { method: 'POST', json: body });
      return { action: 'create', ok: true, created: link.id };
    } catch (e) {
      return actionFailure(e, { action: 'create' });
    }
  },
  setActive: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    const body: OpenLinkUpdateBody = { active: form.get('active') === 'true' };
    try {
      await api<OpenLink>(fetch, `/open-links/${id}`, { method: 'PATCH', json: body });
      return { action: 'setActive', ok: true };
    } catch (e) {
      return actionFailure(e, { action: 'setActive' });
    }
  },
};
