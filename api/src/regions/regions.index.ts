import { createRouter } from '../lib/create-app.ts';
import * as handlers from './regions.handlers.ts';
import * as routes from './regions.routes.ts';

// The import route comes before /regions/{id} so that "import" is never read as an id.
export const regionsRouter = createRouter()
  .openapi(routes.listRegions, handlers.listRegions)
  .openapi(routes.importRegions, handlers.importRegions)
  .openapi(routes.createRegion, handlers.createRegion)
  .openapi(routes.updateRegion, handlers.updateRegion)
  .openapi(routes.deleteRegion, handlers.deleteRegion)
  .openapi(routes.regionRollup, handlers.regionRollup);
