import { createRouter } from '../lib/create-app.ts';
import * as handlers from './summary.handlers.ts';
import * as routes from './summary.routes.ts';

export const analyticsRouter = createRouter().openapi(routes.summary, handlers.summary);
