import { createRouter } from '../lib/create-app.ts';
import * as handlers from './surveys.handlers.ts';
import * as routes from './surveys.routes.ts';
import { registerDefinitionComponents } from './surveys.schemas.ts';

export const surveysRouter = createRouter()
  .openapi(routes.listSurveys, handlers.listSurveys)
  .openapi(routes.createSurvey, handlers.createSurvey)
  .openapi(routes.getSurvey, handlers.getSurvey)
  .openapi(routes.getDraft, handlers.getDraft)
  .openapi(routes.updateDraft, handlers.updateDraft)
  .openapi(routes.previewPublish, handlers.previewPublish)
  .openapi(routes.publish, handlers.publish)
  .openapi(routes.listVersions, handlers.listVersions)
  .openapi(routes.getVersion, handlers.getVersion)
  .openapi(routes.archive, handlers.archive)
  .openapi(routes.unarchive, handlers.unarchive)
  .openapi(routes.duplicate, handlers.duplicate)
  .openapi(routes.listTemplates, handlers.listTemplates)
  .openapi(routes.getTemplate, handlers.getTemplate)
  .openapi(routes.createFromTemplate, handlers.createFromTemplate);

registerDefinitionComponents(surveysRouter.openAPIRegistry);
