import { createRouter } from '../lib/create-app.ts';
import * as handlers from './reports.handlers.ts';
import * as routes from './reports.routes.ts';

export const reportsRouter = createRouter()
  .openapi(routes.getSubscription, handlers.getSubscription)
  .openapi(routes.putSubscription, handlers.putSubscription)
  .openapi(routes.deleteSubscription, handlers.deleteSubscription)
  .openapi(routes.sendTest, handlers.sendTest)
  .openapi(routes.reportPdf, handlers.reportPdf);
