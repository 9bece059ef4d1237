import { createRouter } from '../lib/create-app.ts';
import * as explorerHandlers from './explorer.handlers.ts';
import * as explorerRoutes from './explorer.routes.ts';
import * as importHandlers from './import.handlers.ts';
import * as importRoutes from './import.routes.ts';
import * as handlers from './respond.handlers.ts';
import * as routes from './respond.routes.ts';

export const respondRouter = createRouter()
  .openapi(routes.openSession, handlers.openSession)
  .openapi(routes.saveAnswers, handlers.saveAnswers)
  .openapi(routes.submitAnswers, handlers.submitAnswers);

export const explorerRouter = createRouter()
  .openapi(explorerRoutes.listResponses, explorerHandlers.listResponses)
  .openapi(explorerRoutes.exportResponses, explorerHandlers.exportResponses)
  .openapi(explorerRoutes.getResponse, explorerHandlers.getResponse)
  .openapi(importRoutes.importResponses, importHandlers.importResponses);
