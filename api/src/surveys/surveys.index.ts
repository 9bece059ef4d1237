import { createRouter } from '../lib/create-app.ts';
import * as handlers from './surveys.handlers.ts';
import * as routes from './surveys.routes.ts';

export const surveysRouter = createRouter().openapi(routes.listSurveys, handlers.listSurveys);
