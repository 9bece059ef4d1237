import type { AppRouteHandler } from '../lib/types.ts';
import { buildCompare } from './compare.queries.ts';
import type { CompareRoute } from './compare.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const compare: AppRouteHandler<CompareRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildCompare(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
