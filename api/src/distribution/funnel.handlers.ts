import { branchScopeOf } from '../access/scope.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { deliveryFunnel } from './funnel.queries.ts';
import type { GetFunnelRoute } from './funnel.routes.ts';

export const getFunnel: AppRouteHandler<GetFunnelRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  return c.json(await deliveryFunnel(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: branchScopeOf(c) }), 200);
};
