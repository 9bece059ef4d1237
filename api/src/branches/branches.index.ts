import { createRouter } from '../lib/create-app.ts';
import * as handlers from './branches.handlers.ts';
import * as routes from './branches.routes.ts';

// The import route comes before /branches/{id} so that "import" is never read as an id.
export const branchesRouter = createRouter()
  .openapi(routes.listBranches, handlers.listBranches)
  .openapi(routes.importBranches, handlers.importBranches)
  .openapi(routes.createBranch, handlers.createBranch)
  .openapi(routes.updateBranch, handlers.updateBranch);
