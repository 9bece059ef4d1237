// One reward programme: its settings, the code pool (CSV upload, generated codes), redemptions imported
// back from the rental system, and the uptake per branch and value tier.
import { fail } from '@sveltejs/kit';
import { api, query } from '$lib/api';
import { codedFailure, loadFailure, UUID } from '$lib/form-actions';
import type { RewardCodesAdded, RewardProgramme, RewardProgrammeUpdateBody, RewardRedemptionsResult, RewardUptake } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  if (!UUID.test(params.id)) error(404, 'Not found');
  const from = DAY.test(url.searchParams.get('from') ?? '') ? (url.searchParams.get('from') as string) : '';
  const to = DAY.test(url.searchParams.get('to') ?? '') ? (url.searchParams.get('to') as string) : '';
  try {
    const [programme, uptake] = await Promise.all([
      api<RewardProgramme>(fetch, `/rewards/programmes/${params.id}`),
      api<RewardUptake>(fetch, `/rewards/programmes/${params.id}/uptake${query({ from, to })}`),
    ]);
    return { programme, uptake, from, to, created: url.searchParams.has('created') };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const noFile = (action: string) => fail(400, { action, status: 400, errors: [{ path: 'file', row: null, code: 'no_file' }] });

async function csvFile(request: Request): Promise<string | null> {
  const file = (await request.formData()).get('file');
  return file instanceof File && file.size > 0 ? file.text() : null;
}

export const actions: Actions = {
  update: async ({ request, fetch, params }) => {
    const form = await request.formData();
    const json: RewardProgrammeUpdateBody = form.has('active')
      ? { active: form.get('active') === 'true' }
      : {
          name: text(form, 'name'),
          nameEn: text(form, 'nameEn') || null,
          kind: text(form, 'kind') === 'points' ? 'points' : 'coupon',
          period: (['month', 'quarter', 'year'].includes(text(form, 'period')) ? text(form, 'period') : 'month') as RewardProgrammeUpdateBody['period'],
          lowStockThreshold: Number(text(form, 'lowStockThreshold') || 0),
        };
    try {
      await api<RewardProgramme>(fetch, `/rewards/programmes/${params.id}`, { method: 'PATCH', json });
      return { action: 'update', saved: true };
    } catch (e) {
      return codedFailure(e, { action: 'update' }, { atLeastOne: true });
    }
  },
  // The codes' CSV (the CsvImport card posts here).
  import: async ({ request, fetch, params }) => {
    const body = await csvFile(request);
    if (body === null) return noFile('import');
    try {
      const added = await api<RewardCodesAdded>(fetch, `/rewards/programmes/${params.id}/codes/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body,
      });
      return { action: 'import', added };
    } catch (e) {
      return codedFailure(e, { action: 'import' }, { atLeastOne: true });
    }
  },
  generate: async ({ request, fetch, params }) => {
    const form = await request.formData();
    try {
      const added = await api<RewardCodesAdded>(fetch, `/rewards/programmes/${params.id}/codes/generate`, {
        method: 'POST',
        json: { prefix: text(form, 'prefix'), count: Number(text(form, 'count') || 0) },
      });
      return { action: 'generate', added };
    } catch (e) {
      return codedFailure(e, { action: 'generate' }, { atLeastOne: true });
    }
  },
  redemptions: async ({ request, fetch, params }) => {
    const body = await csvFile(request);
    if (body === null) return noFile('redemptions');
    try {
      const redeemed = await api<RewardRedemptionsResult>(fetch, `/rewards/programmes/${params.id}/redemptions/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body,
      });
      return { action: 'redemptions', redeemed };
    } catch (e) {
      return codedFailure(e, { action: 'redemptions' }, { atLeastOne: true });
    }
  },
};
