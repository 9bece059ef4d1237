// The audit log: who changed what, newest first, filtered by the URL's query.
import { api, query } from '$lib/api';
import type { PageServerLoad } from './$types';
import { loadFailure } from '$lib/form-actions';
import type { AuditPage } from '@rs/api/contract';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const filters = {
    action: url.searchParams.get('action') ?? '',
    targetType: url.searchParams.get('targetType') ?? '',
    from: url.searchParams.get('from') ?? '',
    to: url.searchParams.get('to') ?? '',
  };
  try {
    const page = await api<AuditPage>(fetch, `/audit${query({ ...filters, before: url.searchParams.get('before'), limit: 50 })}`);
    return { ...page, filters };
  } catch (e) {
    loadFailure(e);
  }
};
