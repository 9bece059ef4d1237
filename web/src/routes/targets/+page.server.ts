// Targets: every figure of the company, the regions and the branches against its target for the chosen
// survey and period; the targets themselves, set one by one or from a CSV file (quality managers).
import { fail } from '@sveltejs/kit';
import { api } from '$lib/api';
import { codedFailure, idFrom, loadFailure } from '$lib/form-actions';
import { fetchLoaded, loadContext } from '$lib/dashboard/server';
import { statusPath } from '$lib/targets/targets';
import type { Target, TargetImportResult, TargetInputBody, TargetStatusReport } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  try {
    const targets = await api<Target[]>(fetch, '/targets', { headers: { 'accept-language': locals.locale } });
    const status = ctx.surveyId
      ? await Promise.all(
          (['company', 'region', 'branch'] as const).map((level) =>
            fetchLoaded<TargetStatusReport>(fetch, statusPath(ctx.surveyId!, ctx.state.range, ctx.lang, level)),
          ),
        )
      : [];
    return { ctx, targets, status };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export const actions: Actions = {
  set: async ({ request, fetch }) => {
    const form = await request.formData();
    const level = text(form, 'level') as TargetInputBody['level'];
    const raw = text(form, 'value').replace(',', '.');
    const values = {
      metric: text(form, 'metric') as TargetInputBody['metric'],
      level,
      scope: level === 'company' ? null : text(form, 'scope'),
      period: text(form, 'period'),
      value: raw === '' ? Number.NaN : Number(raw),
    };
    try {
      await api<Target>(fetch, '/targets', { method: 'PUT', json: { ...values, value: Number.isFinite(values.value) ? values.value : null } });
      return { saved: true };
    } catch (e) {
      return codedFailure(e, { action: 'set', values: { ...values, value: raw } }, { atLeastOne: true });
    }
  },
  delete: async ({ request, fetch }) => {
    const id = idFrom(await request.formData());
    try {
      await api<null>(fetch, `/targets/${id}`, { method: 'DELETE' });
      return { deleted: true };
    } catch (e) {
      return codedFailure(e, { action: 'delete' }, { atLeastOne: true });
    }
  },
  import: async ({ request, fetch }) => {
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { action: 'import', status: 400, errors: [{ path: 'file', row: null, code: 'no_file' }] });
    try {
      const result = await api<TargetImportResult>(fetch, '/targets/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: await file.text(),
      });
      return { imported: result };
    } catch (e) {
      return codedFailure(e, { action: 'import' });
    }
  },
};
