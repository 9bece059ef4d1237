import { error } from '@sveltejs/kit';
import { loadContext } from '$lib/dashboard/server';
import { isView, loadView } from '$lib/dashboard/views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params, locals }) => {
  const view = params.view ?? 'overview';
  if (!isView(view)) error(404, 'Not found');
  const ctx = await loadContext(fetch, url, locals.locale);
  return { ctx, view: ctx.surveyId ? await loadView(fetch, ctx, view) : null };
};
