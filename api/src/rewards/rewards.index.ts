import { createRouter } from '../lib/create-app.ts';
import * as handlers from './rewards.handlers.ts';
import * as routes from './rewards.routes.ts';

export const rewardsRouter = createRouter()
  .openapi(routes.listProgrammes, handlers.listProgrammes)
  .openapi(routes.createProgramme, handlers.createProgramme)
  .openapi(routes.getProgramme, handlers.getProgramme)
  .openapi(routes.updateProgramme, handlers.updateProgramme)
  .openapi(routes.importCodes, handlers.importCodes)
  .openapi(routes.generateCodes, handlers.generateCodes)
  .openapi(routes.importRedemptions, handlers.importRedemptions)
  .openapi(routes.postRedemptions, handlers.postRedemptions)
  .openapi(routes.uptake, handlers.uptake);
