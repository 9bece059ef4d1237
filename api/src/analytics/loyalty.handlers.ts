import type { AppRouteHandler } from '../lib/types.ts';
import { buildLoyalty } from './loyalty.queries.ts';
import type { LoyaltyRoute } from './loyalty.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const loyalty: AppRouteHandler<LoyaltyRoute> = async (c) => {
  const deps = c.get('deps');
  const { sql, env } = deps;
  const result = await buildLoyalty(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c), now: deps.now() });
  return c.json(result, 200);
};
