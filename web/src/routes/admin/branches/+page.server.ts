// Branches: the admin list with create, edit, deactivate and CSV import (all or nothing, bad rows named).
import { api } from '$lib/api';
import type { Actions, PageServerLoad } from './$types';
import { codedFailure, csvImportAction, idFrom, loadFailure } from '$lib/form-actions';
import { serverTimeZone } from '$lib/server/time-zone';
import type { Branch, BranchCreateBody, BranchImportResult, BranchUpdateBody, Brand, BranchBrand } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [branches, brands] = await Promise.all([api<Branch[]>(fetch, '/branches'), api<Brand[]>(fetch, '/brands')]);
    return { branches, brands };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export const actions: Actions = {
  create: async ({ request, fetch, locals }) => {
    const form = await request.formData();
    const values: BranchCreateBody = {
      code: text(form, 'code'),
      name: text(form, 'name'),
      nameEn: text(form, 'nameEn') || null,
      city: text(form, 'city'),
      region: text(form, 'region'),
      timeZone: text(form, 'timeZone') || serverTimeZone(locals.user),
    };
    try {
      await api<Branch>(fetch, '/branches', { method: 'POST', json: values });
      return { saved: values.code };
    } catch (e) {
      return codedFailure(e, { action: 'create', values });
    }
  },
  update: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    const values = {
      name: text(form, 'name'),
      nameEn: text(form, 'nameEn') || null,
      city: text(form, 'city'),
      region: text(form, 'region'),
      timeZone: text(form, 'timeZone'),
    };
    try {
      const branch = await api<Branch>(fetch, `/branches/${id}`, { method: 'PATCH', json: values });
      return { saved: branch.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id });
    }
  },
  toggle: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    try {
      const branch = await api<Branch>(fetch, `/branches/${id}`, { method: 'PATCH', json: { active: form.get('active') === 'true' } });
      return { saved: branch.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id });
    }
  },
  // The brand customers of the branch see (api/src/brands): empty = none.
  brand: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    const brandId = String(form.get('brandId') ?? '') || null;
    try {
      await api<BranchBrand>(fetch, `/branches/${id}/brand`, { method: 'PUT', json: { brandId } });
      return { brandSaved: true };
    } catch (e) {
      return codedFailure(e, { action: 'update', id });
    }
  },
  import: ({ request, fetch }) => csvImportAction<BranchImportResult>(request, fetch, '/branches/import'),
};
