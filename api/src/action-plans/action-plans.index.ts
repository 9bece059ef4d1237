import { createRouter } from '../lib/create-app.ts';
import * as handlers from './action-plans.handlers.ts';
import * as routes from './action-plans.routes.ts';

export const actionPlansRouter = createRouter()
  .openapi(routes.listPlans, handlers.listPlans)
  .openapi(routes.createPlan, handlers.createPlan)
  .openapi(routes.getPlan, handlers.getPlan)
  .openapi(routes.updatePlan, handlers.updatePlan);
