import type { AppRouteHandler } from '../lib/types.ts';
import { buildComments } from './comments.queries.ts';
import type { CommentsRoute } from './comments.routes.ts';
import { analyticsBranchScope } from './scope.ts';

export const comments: AppRouteHandler<CommentsRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const result = await buildComments(sql, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, branchScope: analyticsBranchScope(c) });
  return c.json(result, 200);
};
