// One import: the column mapping step, its progress while it runs, and the rejected rows at the end.
import { error, fail } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { FIELD_KEYS, type ImportJob, type ImportUpload, type Rejection } from '../../types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  try {
    const job = await api<ImportJob>(fetch, `/imports/${params.id}`);
    const preview = job.status === 'uploaded' || job.status === 'failed' ? await api<ImportUpload>(fetch, `/imports/${params.id}/preview`).catch(() => null) : null;
    const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
    const rejections =
      job.rowsRejected > 0 ? await api<{ total: number; items: Rejection[] }>(fetch, `/imports/${params.id}/rejections?offset=${offset}&limit=100`) : null;
    return { job, preview, rejections, offset };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};

export const actions: Actions = {
  start: async ({ request, fetch, params }) => {
    const form = await request.formData();
    const mapping: Record<string, number> = {};
    for (const key of FIELD_KEYS) {
      const v = form.get(`map.${key}`);
      if (typeof v === 'string' && v !== '') mapping[key] = Number(v);
    }
    const timeZone = String(form.get('timeZone') ?? '').trim() || undefined;
    try {
      await api(fetch, `/imports/${params.id}/start`, { method: 'POST', json: { mapping, timeZone } });
      return { started: true };
    } catch (e) {
      if (e instanceof ApiError) return fail(e.status, { message: e.problem.detail ?? e.problem.title, errors: e.problem.errors ?? [], mapping });
      throw e;
    }
  },
};
