import type { AppRouteHandler } from '../lib/types.ts';
import { buildFunnel } from './funnel.queries.ts';
import type { FunnelRoute } from './funnel.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const funnel: AppRouteHandler<FunnelRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildFunnel(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
