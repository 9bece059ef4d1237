import type { AnalyticsFunnel, AnalyticsSummary, Comparison, TargetStatusReport } from '@rs/api/contract';
import { statusPath } from '$lib/targets/targets';
import { analyticsPath, contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import type { Period } from '$lib/dashboard/filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  if (!ctx.surveyId) return { ctx, league: null };
  const p = (extra: Record<string, string> = {}, range: Period = ctx.state.range) => contextParams(ctx, { groupBy: 'branch', ...extra }, range);
  const before = ctx.state.previous;
  const [summary, previous, comparison, funnel, targets] = await Promise.all([
    fetchLoaded<AnalyticsSummary>(fetch, analyticsPath('summary', p())),
    // All time has no previous period: no change to show.
    before ? fetchLoaded<AnalyticsSummary>(fetch, analyticsPath('summary', p({}, before))) : null,
    before ? fetchLoaded<Comparison>(fetch, analyticsPath('compare', p({ against: 'previous' }))) : null,
    fetchLoaded<AnalyticsFunnel>(fetch, analyticsPath('funnel', p())),
    // Each branch against its own targets (the targets that apply on the range's last day).
    fetchLoaded<TargetStatusReport>(fetch, statusPath(ctx.surveyId, ctx.state.range, ctx.lang, 'branch')),
  ]);
  return { ctx, league: { summary, previous, comparison, funnel, targets } };
};
