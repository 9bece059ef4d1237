import type { AppRouteHandler } from '../lib/types.ts';
import { listAuditEntries } from './audit.queries.ts';
import type { ListAuditRoute } from './audit.routes.ts';

export const listAudit: AppRouteHandler<ListAuditRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  return c.json(await listAuditEntries(sql, c.req.valid('query'), env.COMPANY_TIME_ZONE), 200);
};
