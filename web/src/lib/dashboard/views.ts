// The company dashboard's views (overview, dimensions, problems, comments, loyalty), loaded the same way
// for the whole company (/dashboard/…) and for one branch (/branches/SH01/…).
import type { Summary } from '$lib/types';
import { readComparison, readFunnel, readLoyalty, readProblems, readThemes } from './normalize';
import type { Period } from './filters';
import { analyticsPath, contextParams, fetchOptional, type DashboardContext } from './server';
import type { Comparison, Funnel, Loaded, LoyaltyResult, ProblemsResult, ThemesResult } from './types';

export const VIEWS = ['overview', 'dimensions', 'problems', 'comments', 'loyalty'] as const;
export type View = (typeof VIEWS)[number];
export const isView = (v: string): v is View => (VIEWS as readonly string[]).includes(v);

type Fetch = typeof fetch;

export interface OverviewData {
  view: 'overview';
  current: Loaded<Summary>;
  previous: Loaded<Summary>;
  comparison: Loaded<Comparison>;
  trend: Loaded<Summary>;
  funnel: Loaded<Funnel>;
  previousFunnel: Loaded<Funnel>;
  /** NPS per branch (company view only). */
  byBranch: Loaded<Summary> | null;
}

export interface DimensionsData {
  view: 'dimensions';
  current: Loaded<Summary>;
  trend: Loaded<Summary>;
}

export interface ProblemsData {
  view: 'problems';
  problems: Loaded<ProblemsResult>;
  current: Loaded<Summary>;
}

export interface CommentsData {
  view: 'comments';
  themes: Loaded<ThemesResult>;
}

export interface LoyaltyData {
  view: 'loyalty';
  loyalty: Loaded<LoyaltyResult>;
}

export type ViewData = OverviewData | DimensionsData | ProblemsData | CommentsData | LoyaltyData;

export async function loadView(fetchFn: Fetch, ctx: DashboardContext, view: View, options: { branchPage?: boolean } = {}): Promise<ViewData> {
  const p = (extra: Record<string, string> = {}, range: Period = ctx.state.range) => contextParams(ctx, extra, range);
  const summary = (extra: Record<string, string> = {}, range: Period = ctx.state.range) => fetchOptional<Summary>(fetchFn, analyticsPath('summary', p(extra, range)));
  // All time has no previous period to compare with.
  const before = ctx.state.previous;
  const none = <T,>(): Promise<Loaded<T>> => Promise.resolve({ status: 'unavailable' });
  switch (view) {
    case 'overview': {
      const [current, previous, comparison, trend, funnel, previousFunnel, byBranch] = await Promise.all([
        summary(),
        before ? summary({}, before) : none<Summary>(),
        before ? fetchOptional(fetchFn, analyticsPath('compare', p({ against: 'previous' })), readComparison) : none<Comparison>(),
        summary({ groupBy: ctx.state.interval }),
        fetchOptional(fetchFn, analyticsPath('funnel', p()), readFunnel),
        before ? fetchOptional(fetchFn, analyticsPath('funnel', p({}, before)), readFunnel) : none<Funnel>(),
        options.branchPage ? Promise.resolve(null) : summary({ groupBy: 'branch' }),
      ]);
      return { view, current, previous, comparison, trend, funnel, previousFunnel, byBranch };
    }
    case 'dimensions': {
      const [current, trend] = await Promise.all([summary(), summary({ groupBy: ctx.state.interval })]);
      return { view, current, trend };
    }
    case 'problems': {
      const [problems, current] = await Promise.all([fetchOptional(fetchFn, analyticsPath('problems', p()), readProblems), summary()]);
      return { view, problems, current };
    }
    case 'comments': {
      return { view, themes: await fetchOptional(fetchFn, analyticsPath('comments', p({ examples: '3', limit: '15' })), readThemes) };
    }
    case 'loyalty':
      return { view, loyalty: await fetchOptional(fetchFn, analyticsPath('loyalty', p()), readLoyalty) };
  }
}
