// Action plans: soonest due first, filtered by status, overdue or branch (in the caller's branches).
import { api, query } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import type { ActionPlanList } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

const STATUSES = ['planned', 'in_progress', 'done', 'cancelled'];

export const load: PageServerLoad = async ({ fetch, url }) => {
  const status = url.searchParams.get('status') ?? '';
  const overdue = url.searchParams.get('overdue') === 'true';
  const branch = url.searchParams.get('branch') ?? '';
  try {
    const list = await api<ActionPlanList>(
      fetch,
      `/action-plans${query({ status: STATUSES.includes(status) ? status : undefined, overdue: overdue ? 'true' : undefined, branch: branch.length > 0 && branch.length <= 64 ? branch : undefined })}`,
    );
    return { list, status, overdue, branch };
  } catch (e) {
    loadFailure(e);
  }
};
