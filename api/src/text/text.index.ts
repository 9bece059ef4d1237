import { createRouter } from '../lib/create-app.ts';
import * as handlers from './text.handlers.ts';
import * as routes from './text.routes.ts';

export const textRouter = createRouter()
  .openapi(routes.topics, handlers.topics)
  .openapi(routes.lexicon, handlers.lexicon)
  .openapi(routes.createTopic, handlers.createTopic)
  .openapi(routes.updateTopic, handlers.updateTopic)
  .openapi(routes.removeTopic, handlers.removeTopic);
