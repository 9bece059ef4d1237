import { readComparison, readFunnel } from '$lib/dashboard/normalize';
import { analyticsPath, contextParams, fetchOptional, loadContext } from '$lib/dashboard/server';
import type { Period } from '$lib/dashboard/filters';
import type { Comparison, Loaded } from '$lib/dashboard/types';
import type { Summary } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  if (!ctx.surveyId) return { ctx, league: null };
  const p = (extra: Record<string, string> = {}, range: Period = ctx.state.range) => contextParams(ctx, { groupBy: 'branch', ...extra }, range);
  const before = ctx.state.previous;
  const none = <T,>(): Promise<Loaded<T>> => Promise.resolve({ status: 'unavailable' });
  const [summary, previous, comparison, funnel] = await Promise.all([
    fetchOptional<Summary>(fetch, analyticsPath('summary', p())),
    before ? fetchOptional<Summary>(fetch, analyticsPath('summary', p({}, before))) : none<Summary>(),
    before ? fetchOptional(fetch, analyticsPath('compare', p({ against: 'previous' })), readComparison) : none<Comparison>(),
    fetchOptional(fetch, analyticsPath('funnel', p()), readFunnel),
  ]);
  return { ctx, league: { summary, previous, comparison, funnel } };
};
