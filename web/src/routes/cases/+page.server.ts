// The case list and board: filters in the URL (mine, overdue, status, branch, root cause, priority).
import { api, query } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import type { CaseList, CaseOptions } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

const PAGE = 50;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const p = url.searchParams;
  const board = p.get('view') === 'board';
  const offset = Math.max(0, Number(p.get('offset')) || 0);
  const filters = {
    mine: p.get('mine') === 'true' ? 'true' : undefined,
    overdue: p.get('overdue') === 'true' ? 'true' : undefined,
    status: p.getAll('status'),
    branch: p.get('branch') || undefined,
    rootCause: p.get('rootCause') || undefined,
    priority: p.get('priority') || undefined,
    sort: p.get('sort') || undefined,
    rule: p.get('rule') || undefined,
    channel: p.get('channel') || undefined,
  };
  try {
    const [list, options] = await Promise.all([
      api<CaseList>(fetch, `/cases${query({ ...filters, limit: board ? 500 : PAGE, offset: board ? 0 : offset })}`),
      api<CaseOptions>(fetch, '/cases/options'),
    ]);
    return { list, options, filters, board, offset, pageSize: PAGE, now: new Date().toISOString() };
  } catch (e) {
    loadFailure(e);
  }
};
