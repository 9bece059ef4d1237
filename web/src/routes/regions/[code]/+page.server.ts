// A region's roll-up: the league table of its branches and the region against the company (the API
// refuses callers who do not see every branch of the region).
import { error } from '@sveltejs/kit';
import { toQuery } from '$lib/dashboard/filters';
import { contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import type { RegionRollup } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  if (!ctx.surveyId) return { ctx, code: params.code, rollup: null };
  // The region is the page's: branch and region filters do not apply.
  const query = toQuery(contextParams(ctx, { branch: null, region: null }));
  const rollup = await fetchLoaded<RegionRollup>(fetch, `/regions/${encodeURIComponent(params.code)}/rollup${query}`);
  if (rollup.status === 'error' && rollup.httpStatus === 404) error(404, 'No such region');
  return { ctx, code: params.code, rollup };
};
