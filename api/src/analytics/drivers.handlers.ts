import type { AppRouteHandler } from '../lib/types.ts';
import { buildDrivers } from './drivers.queries.ts';
import type { DriversRoute } from './drivers.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const drivers: AppRouteHandler<DriversRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildDrivers(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
