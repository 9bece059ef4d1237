import { accessRouter } from './access/access.index.ts';
import { guard } from './access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { analyticsRouter } from './analytics/analytics.index.ts';
import { casesRouter } from './cases/cases.index.ts';
import { distributionRouter } from './distribution/distribution.index.ts';
import { createApp, createRouter, DATABASE_RETRY_AFTER_SECONDS } from './lib/create-app.ts';
import { databaseUp } from './lib/database-watchdog.ts';
import type { AppDeps } from './lib/types.ts';
import { respondRateLimit } from './responses/rate-limit.ts';
import { explorerRouter, respondRouter } from './responses/responses.index.ts';
import { surveysRouter } from './surveys/surveys.index.ts';
import { branchesRouter } from './branches/branches.index.ts';
import { regionsRouter } from './regions/regions.index.ts';
import { textRouter } from './text/text.index.ts';
import { rewardsRouter } from './rewards/rewards.index.ts';
import { reportsRouter } from './reports/reports.index.ts';
import { openLinksRouter } from './open-links/open-links.index.ts';
import { brandsRouter } from './brands/brands.index.ts';
import { targetsRouter } from './targets/targets.index.ts';
import { loyaltyRouter } from './loyalty/loyalty.index.ts';
import { actionPlansRouter } from './action-plans/action-plans.index.ts';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({ description: '`degraded` while the database cannot be reached' }),
    database: z.enum(['up', 'down']),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  ...guard('public'),
  tags: ['Operations'],
  summary: 'Liveness and database reachability',
  description: 'Answers 503 (with Retry-After) while the database cannot be reached; the process itself stays up and recovers by itself.',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'The database is down or not answering within 2 s', content: { 'application/json': { schema: healthSchema } } },
  },
});

const healthRouter = createRouter().openapi(health, async (c) => {
  // A frozen database must not freeze the health check: it answers "down" after 2 s.
  const up = await databaseUp(c.get('deps'));
  c.header('Cache-Control', 'no-store');
  if (up) return c.json({ status: 'ok' as const, database: 'up' as const }, 200);
  c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  return c.json({ status: 'degraded' as const, database: 'down' as const }, 503);
});

/** The whole API, mounted under /api. */
export function buildApp(deps: AppDeps) {
  const app = createApp(deps);
  // Before every router, so that all survey-link endpoints (opt-out included) count.
  app.use('/api/respond/*', respondRateLimit);
  // Open feedback links: guessing their addresses counts against the client address like unknown survey links.
  app.use('/api/open/*', respondRateLimit);
  const routers = [
    healthRouter,
    accessRouter,
    surveysRouter,
    distributionRouter,
    respondRouter,
    explorerRouter,
    analyticsRouter,
    casesRouter,
    branchesRouter,
    regionsRouter,
    textRouter,
    rewardsRouter,
    reportsRouter,
    openLinksRouter,
    brandsRouter,
    targetsRouter,
    loyaltyRouter,
    actionPlansRouter,
  ];
  for (const router of routers) app.route('/api', router);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Rental satisfaction API', version: '0.1.0', description: 'Surveys, invitations, answers and satisfaction analytics for car rental.' },
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;
