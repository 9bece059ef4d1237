import type { RouteHandler } from '@hono/zod-openapi';
import { masksContacts } from '../access/mask.ts';
import { branchScopeOf } from '../access/scope.ts';
import { createRouter } from '../lib/create-app.ts';
import type { AppBindings } from '../lib/types.ts';
import { analyticsEndpoints } from './analytics.routes.ts';

export const analyticsRouter = createRouter();

for (const { route, compute } of analyticsEndpoints) {
  const handler: RouteHandler<typeof route, AppBindings> = async (c) => {
    const { sql, readSql, env, now } = c.get('deps');
    const context = { timeZone: env.COMPANY_TIME_ZONE, branchScope: branchScopeOf(c), maskContacts: masksContacts(c), now: now(), primary: sql };
    // Read from the replica when there is one; the rollups are brought up to date on the primary (context.primary).
    // The endpoint's compute is typed against its result schema in analytics.routes.ts.
    return c.json((await compute(readSql ?? sql, c.req.valid('query'), context)) as never, 200);
  };
  analyticsRouter.openapi(route, handler);
}
