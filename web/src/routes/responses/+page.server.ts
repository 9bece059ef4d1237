import { api } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import { explorerFilters, PAGE_SIZE, readExplorerParams } from '$lib/dashboard/explorer';
import { toQuery } from '$lib/dashboard/filters';
import { analyticsPath, contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import type { Lexicon, ProblemsResult, ResponseList } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const params = readExplorerParams(url.searchParams);
  if (!ctx.surveyId) return { ctx, params, list: null, problems: [], topics: [], exportHref: null };
  const filters = explorerFilters(ctx.state, params);
  let list: ResponseList;
  try {
    list = await api<ResponseList>(fetch, `/responses${toQuery({ ...filters, sort: params.sort, page: params.page, pageSize: PAGE_SIZE })}`);
  } catch (e) {
    loadFailure(e);
  }
  // The problem checklist's choices, to filter by: they are the question's, whatever the period, so the
  // figures are asked for today only (counting a year of answers would only slow the page).
  // The comment topics (names in the UI language), to filter by and to name the topic filter.
  const [problems, lexicon] = await Promise.all([
    fetchLoaded<ProblemsResult>(fetch, analyticsPath('problems', contextParams(ctx, {}, { from: ctx.today, to: ctx.today }))),
    fetchLoaded<Lexicon>(fetch, '/text/lexicon'),
  ]);
  return {
    ctx,
    params,
    list,
    problems: problems.status === 'ok' ? problems.data.total.problems.map((p) => ({ id: p.id, label: p.label })) : [],
    topics: lexicon.status === 'ok' ? lexicon.data.topics.map((x) => ({ id: x.id, label: x.label[locals.locale] })) : [],
    exportHref: `/api/responses/export.csv${toQuery({ ...filters, lang: locals.locale })}`,
  };
};
