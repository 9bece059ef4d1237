import { createRouter } from '../lib/create-app.ts';
import * as comments from './comments.handlers.ts';
import * as commentsRoutes from './comments.routes.ts';
import * as compare from './compare.handlers.ts';
import * as compareRoutes from './compare.routes.ts';
import * as drivers from './drivers.handlers.ts';
import * as driversRoutes from './drivers.routes.ts';
import * as funnel from './funnel.handlers.ts';
import * as funnelRoutes from './funnel.routes.ts';
import * as importer from './import.handlers.ts';
import * as importRoutes from './import.routes.ts';
import * as loyalty from './loyalty.handlers.ts';
import * as loyaltyRoutes from './loyalty.routes.ts';
import * as problems from './problems.handlers.ts';
import * as problemsRoutes from './problems.routes.ts';
import * as summary from './summary.handlers.ts';
import * as summaryRoutes from './summary.routes.ts';
import * as trend from './trend.handlers.ts';
import * as trendRoutes from './trend.routes.ts';

export const analyticsRouter = createRouter()
  .openapi(summaryRoutes.summary, summary.summary)
  .openapi(compareRoutes.compare, compare.compare)
  .openapi(driversRoutes.drivers, drivers.drivers)
  .openapi(trendRoutes.trend, trend.trend)
  .openapi(problemsRoutes.problems, problems.problems)
  .openapi(commentsRoutes.comments, comments.comments)
  .openapi(loyaltyRoutes.loyalty, loyalty.loyalty)
  .openapi(funnelRoutes.funnel, funnel.funnel)
  .openapi(importRoutes.importResponses, importer.importResponses);
