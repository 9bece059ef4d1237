import type { AppRouteHandler } from '../lib/types.ts';
import { importResponses as runImport } from './import.queries.ts';
import type { ImportResponsesRoute } from './import.routes.ts';

export const importResponses: AppRouteHandler<ImportResponsesRoute> = async (c) => {
  const { sql, env, now } = c.get('deps');
  const result = await runImport(sql, c.req.raw.body, c.req.valid('query'), { timeZone: env.COMPANY_TIME_ZONE, now: now() });
  return c.json(result, 200);
};
