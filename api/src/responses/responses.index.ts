import { createRouter } from '../lib/create-app.ts';
import * as handlers from './respond.handlers.ts';
import * as routes from './respond.routes.ts';

export const respondRouter = createRouter()
  .openapi(routes.openSession, handlers.openSession)
  .openapi(routes.saveAnswers, handlers.saveAnswers)
  .openapi(routes.submitAnswers, handlers.submitAnswers);
