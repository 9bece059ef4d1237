// "Why did it move?" on the branch page: the decomposition of NPS and CSI between the chosen period and
// the one before (docs/statistics.md#why-a-figure-moved). Without a period that has one before it, the
// last 30 days against the 30 days before.
import type { ChangeResult } from '@rs/api/contract';
import { addDays } from './filters';
import type { Loaded } from './loaded';
import { analyticsPath, fetchLoaded, type DashboardContext } from './server';

export type { ChangeResult };

export interface ChangeData {
  from: string;
  to: string;
  /** The page's period had nothing before it: the last 30 days are shown. */
  fallback: boolean;
  nps: Loaded<ChangeResult>;
  csi: Loaded<ChangeResult>;
}

export async function loadChange(fetchFn: typeof fetch, ctx: DashboardContext): Promise<ChangeData | null> {
  if (!ctx.surveyId) return null;
  const fallback = !ctx.state.previous || ctx.state.range.from === null;
  const from = fallback ? addDays(ctx.today, -29) : ctx.state.range.from!;
  const to = fallback ? ctx.today : ctx.state.range.to;
  const params = (metric: string) => ({ survey: ctx.surveyId, from, to, ...ctx.state.filters, lang: ctx.lang, metric });
  const [nps, csi] = await Promise.all([
    fetchLoaded<ChangeResult>(fetchFn, analyticsPath('change', params('nps'))),
    fetchLoaded<ChangeResult>(fetchFn, analyticsPath('change', params('csi'))),
  ]);
  return { from, to, fallback, nps, csi };
}
