import { createRouter } from '../lib/create-app.ts';
import * as handlers from './open-links.handlers.ts';
import * as routes from './open-links.routes.ts';

export const openLinksRouter = createRouter()
  .openapi(routes.listOpenLinks, handlers.listOpenLinks)
  .openapi(routes.createOpenLink, handlers.createOpenLink)
  .openapi(routes.updateOpenLink, handlers.updateOpenLink)
  .openapi(routes.openLinkQr, handlers.openLinkQr)
  .openapi(routes.openLinkPrint, handlers.openLinkPrint)
  .openapi(routes.openSession, handlers.openSession)
  .openapi(routes.submitOpen, handlers.submitOpen)
  .openapi(routes.emailScore, handlers.emailScore);
