import { createRouter } from '../lib/create-app.ts';
import * as handlers from './rentals.handlers.ts';
import * as routes from './rentals.routes.ts';

export const distributionRouter = createRouter().openapi(routes.createRental, handlers.createRental);
