// One import: the column mapping step, its progress while it runs, and the rejected rows at the end.
import { api } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { ImportField, ImportJob, ImportRejections, ImportStartBody, ImportUpload } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  try {
    const job = await api<ImportJob>(fetch, `/imports/${params.id}`);
    const preview =
      job.status === 'uploaded' || job.status === 'failed' ? await api<ImportUpload>(fetch, `/imports/${params.id}/preview`).catch(() => null) : null;
    const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
    const rejections = job.rowsRejected > 0 ? await api<ImportRejections>(fetch, `/imports/${params.id}/rejections?offset=${offset}&limit=100`) : null;
    return { job, preview, rejections, offset };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  start: async ({ request, fetch, params }) => {
    const form = await request.formData();
    // One select per field the upload answer listed (map.<field>); the API refuses a field it does not know.
    const mapping: ImportStartBody['mapping'] = {};
    for (const [name, v] of form) {
      if (name.startsWith('map.') && typeof v === 'string' && v !== '') mapping[name.slice('map.'.length) as ImportField] = Number(v);
    }
    const timeZone = String(form.get('timeZone') ?? '').trim() || undefined;
    try {
      const json: ImportStartBody = { mapping, timeZone };
      await api<ImportJob>(fetch, `/imports/${params.id}/start`, { method: 'POST', json });
      return { started: true };
    } catch (e) {
      return actionFailure(e, { mapping });
    }
  },
};
