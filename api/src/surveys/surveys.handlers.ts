import type { AppRouteHandler } from '../lib/types.ts';
import { listSurveySummaries } from './surveys.queries.ts';
import type { ListSurveysRoute } from './surveys.routes.ts';

export const listSurveys: AppRouteHandler<ListSurveysRoute> = async (c) => {
  return c.json(await listSurveySummaries(c.get('deps').sql), 200);
};
