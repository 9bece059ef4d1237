import type { AppRouteHandler } from '../lib/types.ts';
import { analyticsBranchScope } from './scope.ts';
import { buildSummary } from './summary.queries.ts';
import type { SummaryRoute } from './summary.routes.ts';

export const summary: AppRouteHandler<SummaryRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildSummary(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
