import type { AnalyticsFunnel, AnalyticsSummary, Comparison } from '@rs/api/contract';
import { analyticsPath, contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import { readSegment, readSegmentMetric } from '$lib/dashboard/segments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const by = readSegment(url.searchParams.get('by'));
  const metric = readSegmentMetric(url.searchParams.get('metric'));
  if (!ctx.surveyId) return { ctx, by, metric, segments: null };
  const p = (extra: Record<string, string> = {}) => contextParams(ctx, { groupBy: by, ...extra });
  const [summary, comparison, funnel] = await Promise.all([
    fetchLoaded<AnalyticsSummary>(fetch, analyticsPath('summary', p())),
    fetchLoaded<Comparison>(fetch, analyticsPath('compare', p({ against: 'rest' }))),
    fetchLoaded<AnalyticsFunnel>(fetch, analyticsPath('funnel', p())),
  ]);
  return { ctx, by, metric, segments: { summary, comparison, funnel } };
};
