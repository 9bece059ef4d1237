import { readComparison, readFunnel } from '$lib/dashboard/normalize';
import { analyticsPath, contextParams, fetchOptional, loadContext } from '$lib/dashboard/server';
import type { Summary } from '$lib/types';
import { readSegment, readSegmentMetric } from '$lib/dashboard/segments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const by = readSegment(url.searchParams.get('by'));
  const metric = readSegmentMetric(url.searchParams.get('metric'));
  if (!ctx.surveyId) return { ctx, by, metric, segments: null };
  const p = (extra: Record<string, string> = {}) => contextParams(ctx, { groupBy: by, ...extra });
  const [summary, comparison, funnel] = await Promise.all([
    fetchOptional<Summary>(fetch, analyticsPath('summary', p())),
    fetchOptional(fetch, analyticsPath('compare', p({ against: 'rest' })), readComparison),
    fetchOptional(fetch, analyticsPath('funnel', p()), readFunnel),
  ]);
  return { ctx, by, metric, segments: { summary, comparison, funnel } };
};
