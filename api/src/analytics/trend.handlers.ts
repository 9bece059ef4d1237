import type { AppRouteHandler } from '../lib/types.ts';
import { buildTrend } from './trend.queries.ts';
import type { TrendRoute } from './trend.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const trend: AppRouteHandler<TrendRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildTrend(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
