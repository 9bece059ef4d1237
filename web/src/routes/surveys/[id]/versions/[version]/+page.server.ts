import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { SurveyDetail, VersionDetail } from '$lib/builder/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  const n = Number(params.version);
  if (!Number.isInteger(n) || n < 1) error(404, 'No such version');
  try {
    const [survey, version, previous] = await Promise.all([
      api<SurveyDetail>(fetch, `/surveys/${params.id}`),
      api<VersionDetail>(fetch, `/surveys/${params.id}/versions/${n}`),
      n > 1 ? api<VersionDetail>(fetch, `/surveys/${params.id}/versions/${n - 1}`) : Promise.resolve(null),
    ]);
    return { survey: { id: survey.id, name: survey.name, latestVersion: survey.latestVersion }, version, previous };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};
