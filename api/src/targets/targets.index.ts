import { createRouter } from '../lib/create-app.ts';
import * as handlers from './targets.handlers.ts';
import * as routes from './targets.routes.ts';

// The fixed paths (import, status, trend) come before /targets/{id}.
export const targetsRouter = createRouter()
  .openapi(routes.listTargets, handlers.listTargets)
  .openapi(routes.importTargets, handlers.importTargets)
  .openapi(routes.targetStatus, handlers.targetStatus)
  .openapi(routes.targetTrend, handlers.targetTrend)
  .openapi(routes.putTarget, handlers.putTarget)
  .openapi(routes.deleteTarget, handlers.deleteTarget);
