import type { AppRouteHandler } from '../lib/types.ts';
import { buildSummary } from './summary.queries.ts';
import type { SummaryRoute } from './summary.routes.ts';

export const summary: AppRouteHandler<SummaryRoute> = async (c) => {
  const { db, sql, env } = c.get('deps');
  return c.json(await buildSummary(db, sql, c.req.valid('query'), env.COMPANY_TIME_ZONE), 200);
};
