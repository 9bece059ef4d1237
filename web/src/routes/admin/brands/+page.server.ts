// Brands: the admin list with create, edit (colours checked for contrast by the API), logo upload and delete.
import { fail } from '@sveltejs/kit';
import { api } from '$lib/api';
import { codedFailure, idFrom, loadFailure } from '$lib/form-actions';
import type { Brand, BrandCreateBody, BrandUpdateBody } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { brands: await api<Brand[]>(fetch, '/brands') };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** The editable fields of the form (the code only on create). */
function fields(form: FormData): BrandUpdateBody {
  return {
    name: text(form, 'name'),
    nameEn: text(form, 'nameEn') || null,
    primaryColor: text(form, 'primaryColor').toLowerCase(),
    onPrimaryColor: text(form, 'onPrimaryColor').toLowerCase(),
    senderName: text(form, 'senderName'),
    senderEmail: text(form, 'senderEmail'),
    smsSender: text(form, 'smsSender'),
    legalFooter: text(form, 'legalFooter'),
    legalFooterEn: text(form, 'legalFooterEn') || null,
  };
}

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const values = { code: text(form, 'code'), ...fields(form) } as BrandCreateBody;
    try {
      await api<Brand>(fetch, '/brands', { method: 'POST', json: values });
      return { saved: values.code };
    } catch (e) {
      return codedFailure(e, { action: 'create', values }, { atLeastOne: true });
    }
  },
  update: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    try {
      const brand = await api<Brand>(fetch, `/brands/${id}`, { method: 'PATCH', json: fields(form) });
      return { saved: brand.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, { atLeastOne: true });
    }
  },
  logo: async ({ request, fetch }) => {
    const form = await request.formData();
    const id = idFrom(form);
    const file = form.get('logo');
    if (!(file instanceof File) || file.size === 0)
      return fail(400, { action: 'update', id, status: 400, errors: [{ path: 'logo', row: null, code: 'empty' }] });
    try {
      const brand = await api<Brand>(fetch, `/brands/${id}/logo`, {
        method: 'PUT',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: new Uint8Array(await file.arrayBuffer()),
      });
      return { saved: brand.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, { atLeastOne: true });
    }
  },
  removeLogo: async ({ request, fetch }) => {
    const id = idFrom(await request.formData());
    try {
      const brand = await api<Brand>(fetch, `/brands/${id}/logo`, { method: 'DELETE' });
      return { saved: brand.code };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, { atLeastOne: true });
    }
  },
  delete: async ({ request, fetch }) => {
    const id = idFrom(await request.formData());
    try {
      await api<null>(fetch, `/brands/${id}`, { method: 'DELETE' });
      return { deleted: true };
    } catch (e) {
      return codedFailure(e, { action: 'update', id }, { atLeastOne: true });
    }
  },
};
