import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { explorerFilters, PAGE_SIZE, readExplorerParams } from '$lib/dashboard/explorer';
import { toQuery } from '$lib/dashboard/filters';
import { readProblems } from '$lib/dashboard/normalize';
import { analyticsPath, contextParams, fetchOptional, loadContext } from '$lib/dashboard/server';
import type { ResponseList } from '$lib/dashboard/explorer-types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const params = readExplorerParams(url.searchParams);
  if (!ctx.surveyId) return { ctx, params, list: null, problems: [], exportHref: null };
  const filters = explorerFilters(ctx.state, params);
  let list: ResponseList;
  try {
    list = await api<ResponseList>(fetch, `/responses${toQuery({ ...filters, sort: params.sort, page: params.page, pageSize: PAGE_SIZE })}`);
  } catch (e) {
    if (e instanceof ApiError) error(e.status === 400 ? 400 : e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
  // The problem checklist's choices, to filter by (when the analytics API lists them).
  const problems = await fetchOptional(fetch, analyticsPath('problems', contextParams(ctx)), readProblems);
  return {
    ctx,
    params,
    list,
    problems: problems.status === 'ok' ? problems.data.problems.map((p) => ({ id: p.id, label: p.label })) : [],
    exportHref: `/api/responses/export.csv${toQuery({ ...filters, lang: locals.locale })}`,
  };
};
