import type { AppRouteHandler } from '../lib/types.ts';
import { buildProblems } from './problems.queries.ts';
import type { ProblemsRoute } from './problems.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const problems: AppRouteHandler<ProblemsRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildProblems(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
