// Upload a CSV file of rentals; the latest imports.
import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { actionFailure, loadFailure } from '$lib/form-actions';
import type { ImportJob, ImportUpload } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { imports: await api<ImportJob[]>(fetch, '/imports') };
  } catch (e) {
    loadFailure(e);
  }
};

export const actions: Actions = {
  // Without JavaScript: the browser posts the file here (with JavaScript it goes straight to the API).
  upload: async ({ request, fetch }) => {
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { message: 'no-file' });
    let uploaded: ImportUpload;
    try {
      uploaded = await api<ImportUpload>(fetch, `/imports?fileName=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        body: await file.arrayBuffer(),
        headers: { 'content-type': 'text/csv' },
      });
    } catch (e) {
      return actionFailure(e);
    }
    redirect(303, `/distribution/import/${uploaded.id}`);
  },
};
