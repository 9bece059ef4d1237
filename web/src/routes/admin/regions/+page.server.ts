// Regions: the admin list with create, rename, deactivate, delete (only without branches) and CSV import.
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { codedFailure, csvImportAction, idFrom, loadFailure } from '$lib/form-actions';
import type { Region, RegionImportResult } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { regions: await api<Region[]>(fetch, '/regions') };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

// A refusal without fields (a region that still has branches) still yields one line to show.
const SAY_SOMETHING = { atLeastOne: true };

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const values = { code: text(form, 'code'), name: text(form, 'name'), nameEn: text(form, 'nameEn') || null };
    try {
      await api<Region>(fetch, '/regions', { method: 'POST', json: values });
      return { saved: values.code };
    } catch (e) {
      return codedFailure(e, { action: 'create', values }, SAY_SOMETHING);
    }
  },
  update: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    const json = form.has('active') ? { active: form.get('active') === 'true' } : { name: text(form, 'name'), nameEn: text(form, 'nameEn') || null };
    try {
      const region = await api<Region>(fetch, `/regions/${id}`, { method: 'PATCH', json });
      return { saved: region.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, SAY_SOMETHING);
    }
  },
  delete: async ({ request, fetch }) => {
    const id = idFrom(await request.formData());
    try {
      await api<null>(fetch, `/regions/${id}`, { method: 'DELETE' });
      return { deleted: true };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, SAY_SOMETHING);
    }
  },
  import: ({ request, fetch }) => csvImportAction<RegionImportResult>(request, fetch, '/regions/import', SAY_SOMETHING),
};
