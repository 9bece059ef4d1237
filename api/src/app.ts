import { accessRouter } from './access/access.index.ts';
import { guard } from './access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { analyticsRouter } from './analytics/analytics.index.ts';
import { casesRouter } from './cases/cases.index.ts';
import { distributionRouter } from './distribution/distribution.index.ts';
import { createApp, createRouter } from './lib/create-app.ts';
import type { AppDeps } from './lib/types.ts';
import { respondRateLimit } from './responses/rate-limit.ts';
import { explorerRouter, respondRouter } from './responses/responses.index.ts';
import { surveysRouter } from './surveys/surveys.index.ts';

const health = createRoute({
  method: 'get',
  path: '/health',
  ...guard('public'),
  tags: ['Operations'],
  summary: 'Liveness and database reachability',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
  },
});

const healthRouter = createRouter().openapi(health, async (c) => {
  await c.get('deps').sql`select 1`;
  return c.json({ status: 'ok' as const }, 200);
});

/** The whole API, mounted under /api. */
export function buildApp(deps: AppDeps) {
  const app = createApp(deps);
  // Before every router, so that all survey-link endpoints (opt-out included) count.
  app.use('/api/respond/*', respondRateLimit);
  const routers = [healthRouter, accessRouter, surveysRouter, distributionRouter, respondRouter, explorerRouter, analyticsRouter, casesRouter];
  for (const router of routers) app.route('/api', router);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Rental satisfaction API', version: '0.1.0', description: 'Surveys, invitations, answers and satisfaction analytics for car rental.' },
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;
