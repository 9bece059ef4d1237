import { api, query } from '$lib/api';
import type { Summary, SurveySummary } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const surveys = await api<SurveySummary[]>(fetch, '/surveys');
  const published = surveys.filter((s) => s.latestVersion !== null);
  const chosen =
    published.find((s) => s.id === url.searchParams.get('survey')) ??
    published.find((s) => s.kind === 'post_rental' && s.status === 'active') ??
    published[0];
  const summary = chosen
    ? await api<Summary>(fetch, `/analytics/summary${query({ survey: chosen.id, groupBy: 'branch', from: url.searchParams.get('from'), to: url.searchParams.get('to') })}`)
    : null;
  return { surveys: published, surveyId: chosen?.id ?? null, summary };
};
