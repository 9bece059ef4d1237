// The company dashboard's views (overview, dimensions, problems, comments, loyalty), loaded the same way
// for the whole company (/dashboard/…) and for one branch (/branches/SH01/…).
import type { AnalyticsFunnel, AnalyticsSummary, Comparison, LoyaltyResult, ProblemsResult, TopicsResult } from '@rs/api/contract';
import type { TargetStatusReport, TargetTrend } from '@rs/api/contract';
import { statusPath, trendPath } from '$lib/targets/targets';
import { toQuery, type Period } from './filters';
import type { Loaded } from './loaded';
import { analyticsPath, contextParams, fetchLoaded, type DashboardContext } from './server';

export const VIEWS = ['overview', 'dimensions', 'problems', 'comments', 'loyalty'] as const;
export type View = (typeof VIEWS)[number];
export const isView = (v: string): v is View => (VIEWS as readonly string[]).includes(v);

type Fetch = typeof fetch;

export interface OverviewData {
  view: 'overview';
  current: Loaded<AnalyticsSummary>;
  /** null: all time, no previous period to compare with. */
  previous: Loaded<AnalyticsSummary> | null;
  comparison: Loaded<Comparison> | null;
  trend: Loaded<AnalyticsSummary>;
  funnel: Loaded<AnalyticsFunnel>;
  previousFunnel: Loaded<AnalyticsFunnel> | null;
  /** NPS per branch (company view only). */
  byBranch: Loaded<AnalyticsSummary> | null;
  /** Every metric against its target (the company, or the branch of a branch page; none under other filters). */
  targets?: Loaded<TargetStatusReport> | null;
  /** NPS per period against each period's target. */
  targetTrend?: Loaded<TargetTrend> | null;
}

export interface DimensionsData {
  view: 'dimensions';
  current: Loaded<AnalyticsSummary>;
  trend: Loaded<AnalyticsSummary>;
}

export interface ProblemsData {
  view: 'problems';
  problems: Loaded<ProblemsResult>;
  current: Loaded<AnalyticsSummary>;
}

export interface CommentsData {
  view: 'comments';
  /** Comment topics of the text lexicon (the comments view). */
  topics: Loaded<TopicsResult>;
}

export interface LoyaltyData {
  view: 'loyalty';
  loyalty: Loaded<LoyaltyResult>;
}

export type ViewData = OverviewData | DimensionsData | ProblemsData | CommentsData | LoyaltyData;

export async function loadView(fetchFn: Fetch, ctx: DashboardContext, view: View, options: { branchPage?: boolean } = {}): Promise<ViewData> {
  const p = (extra: Record<string, string> = {}, range: Period = ctx.state.range) => contextParams(ctx, extra, range);
  // Weighting is a summary parameter only (the other endpoints count raw answers).
  const weight: Record<string, string> = ctx.state.weight === 'none' ? {} : { weight: ctx.state.weight };
  const summary = (extra: Record<string, string> = {}, range: Period = ctx.state.range) =>
    fetchLoaded<AnalyticsSummary>(fetchFn, analyticsPath('summary', p({ ...weight, ...extra }, range)));
  // All time has no previous period to compare with.
  const before = ctx.state.previous;
  switch (view) {
    case 'overview': {
      const [current, previous, comparison, trend, funnel, previousFunnel, byBranch] = await Promise.all([
        summary(),
        before ? summary({}, before) : null,
        before ? fetchLoaded<Comparison>(fetchFn, analyticsPath('compare', p({ against: 'previous' }))) : null,
        summary({ groupBy: ctx.state.interval }),
        fetchLoaded<AnalyticsFunnel>(fetchFn, analyticsPath('funnel', p())),
        before ? fetchLoaded<AnalyticsFunnel>(fetchFn, analyticsPath('funnel', p({}, before))) : null,
        options.branchPage ? Promise.resolve(null) : summary({ groupBy: 'branch' }),
      ]);
      // Targets are set for the company, a region or a branch: shown for the unfiltered company and on a branch page.
      const f = ctx.state.filters as Record<string, string[] | undefined>;
      const filtered = Object.entries(f).some(([k, v]) => (options.branchPage ? k !== 'branch' : true) && (v?.length ?? 0) > 0);
      const level = options.branchPage ? ('branch' as const) : ('company' as const);
      const code = options.branchPage ? f.branch?.[0] : undefined;
      const trendUrl = trendPath(ctx.surveyId ?? '', ctx.state.range, ctx.lang, ctx.state.interval, 'nps', level, code);
      const [targets, targetTrend] = filtered
        ? [null, null]
        : await Promise.all([
            fetchLoaded<TargetStatusReport>(fetchFn, statusPath(ctx.surveyId ?? '', ctx.state.range, ctx.lang, level, code)),
            trendUrl ? fetchLoaded<TargetTrend>(fetchFn, trendUrl) : null,
          ]);
      return { view, current, previous, comparison, trend, funnel, previousFunnel, byBranch, targets, targetTrend };
    }
    case 'dimensions': {
      const [current, trend] = await Promise.all([summary(), summary({ groupBy: ctx.state.interval })]);
      return { view, current, trend };
    }
    case 'problems': {
      const [problems, current] = await Promise.all([fetchLoaded<ProblemsResult>(fetchFn, analyticsPath('problems', p())), summary()]);
      return { view, problems, current };
    }
    case 'comments': {
      return { view, topics: await fetchLoaded<TopicsResult>(fetchFn, `/text/topics${toQuery(p())}`) };
    }
    case 'loyalty':
      return { view, loyalty: await fetchLoaded<LoyaltyResult>(fetchFn, analyticsPath('loyalty', p())) };
  }
}
