import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import type { SurveyDetail, SurveyVersion } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  const n = Number(params.version);
  if (!Number.isInteger(n) || n < 1) error(404, 'No such version');
  try {
    const [survey, version, previous] = await Promise.all([
      api<SurveyDetail>(fetch, `/surveys/${params.id}`),
      api<SurveyVersion>(fetch, `/surveys/${params.id}/versions/${n}`),
      n > 1 ? api<SurveyVersion>(fetch, `/surveys/${params.id}/versions/${n - 1}`) : Promise.resolve(null),
    ]);
    return { survey: { id: survey.id, name: survey.name, latestVersion: survey.latestVersion }, version, previous };
  } catch (e) {
    loadFailure(e);
  }
};
