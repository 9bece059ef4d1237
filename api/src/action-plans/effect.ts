// The plan's figure before and after its start date, from the analytics engine (the facts rollup and its
// grouped sums, engine/request.queries.ts) and the pure before/after comparison (statistics/before-after.ts).
import type { Sql } from '../db/client.ts';
import { addDays, dayBefore } from '../analytics/engine/groups.ts';
import { groupedBlocks, prepare } from '../analytics/engine/request.queries.ts';
import type { CellSums } from '../analytics/engine/metrics.queries.ts';
import { beforeAfter, type BeforeAfterMetric, type PeriodSums } from '../analytics/engine/statistics/before-after.ts';

const sumsOf = (cell: CellSums): PeriodSums => ({
  nps: { n: cell.nps.n, promoters: cell.nps.promoters, detractors: cell.nps.detractors },
  csat: { n: cell.csat.n, top2: cell.csat.top2 },
  csi: { n: cell.csi.n, sum: cell.csi.sum, sumSquares: cell.csi.sumSquares },
  problems: { n: cell.problems.n, sum: cell.problems.sum, sumSquares: cell.problems.sumSquares, any: cell.problems.any },
});

/**
 * Before = the `window` days ending the day before the start date; after = from the start date for `window`
 * days, ending today at the latest (none while the plan has not started). Responses by the day they were
 * finished (company time zone), of the plan's branches in the caller's scope.
 */
export async function planEffect(
  sql: Sql,
  plan: { surveyId: string; metric: BeforeAfterMetric; startDate: string; branchCodes: string[] },
  options: { window: number; today: string; timeZone: string; branchScope: string[] | null; primary?: Sql },
) {
  const before = { from: addDays(plan.startDate, -options.window), to: dayBefore(plan.startDate) };
  const afterEnd = addDays(plan.startDate, options.window - 1);
  const after = plan.startDate <= options.today ? { from: plan.startDate, to: [afterEnd, options.today].sort()[0] } : null;
  const req = await prepare(
    sql,
    { survey: plan.surveyId, from: before.from, to: after?.to ?? before.to, branch: plan.branchCodes.length > 0 ? plan.branchCodes : undefined },
    { timeZone: options.timeZone, branchScope: options.branchScope, primary: options.primary },
  );
  const total = async (period: { from: string; to: string }) => (await groupedBlocks(sql, req, 'none', { period })).total.cell;
  const beforeCell = await total(before);
  const afterCell = after ? await total(after) : null;
  const empty: PeriodSums = {
    nps: { n: 0, promoters: 0, detractors: 0 },
    csat: { n: 0, top2: 0 },
    csi: { n: 0, sum: 0, sumSquares: 0 },
    problems: { n: 0, sum: 0, sumSquares: 0, any: 0 },
  };
  const result = beforeAfter(plan.metric, sumsOf(beforeCell), afterCell ? sumsOf(afterCell) : empty, req.survey.minN);
  return {
    metric: plan.metric,
    window: options.window,
    minN: req.survey.minN,
    before: { ...before, ...result.before },
    after: after ? { ...after, ...result.after } : null,
    change: after ? result.change : { value: null, ci95: null, p: null },
  };
}
