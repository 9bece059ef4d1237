import { error } from '@sveltejs/kit';
import { can } from '$lib/access';
import { api, query } from '$lib/api';
import type { ActionPlanList } from '@rs/api/contract';
import { loadChange } from '$lib/dashboard/change';
import { loadContext } from '$lib/dashboard/server';
import { isView, loadView } from '$lib/dashboard/views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params, locals }) => {
  const view = params.view ?? 'overview';
  if (!isView(view)) error(404, 'Not found');
  const ctx = await loadContext(fetch, url, locals.locale);
  // The branch page is the company's views filtered to this branch.
  ctx.state.filters.branch = [params.code];
  ctx.state.filters.region = [];
  const branch = ctx.options.branches.find((b) => b.key === params.code);
  if (!branch && ctx.options.branches.length > 0) error(404, 'No such branch');
  return {
    ctx,
    code: params.code,
    name: branch?.label ?? params.code,
    view: ctx.surveyId ? await loadView(fetch, ctx, view, { branchPage: true }) : null,
    change: view === 'overview' ? await loadChange(fetch, ctx) : null,
    // The branch's action plans (overview only), newest due first.
    plans:
      view === 'overview' && can(locals.user, 'analytics:read')
        ? await api<ActionPlanList>(fetch, `/action-plans${query({ branch: params.code })}`).catch(() => null)
        : null,
  };
};
