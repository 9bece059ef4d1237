// The surveys whose invitation rules can be edited.
import { error } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import type { SurveyListItem } from '../types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const surveys = await api<SurveyListItem[]>(fetch, '/surveys');
    // The survey rental invitations go to first, then other post-rental surveys, then the rest.
    const rank = (s: SurveyListItem) => (s.receivesRentalInvitations ? 0 : s.kind === 'post_rental' ? 1 : 2);
    return { surveys: surveys.filter((s) => s.status !== 'archived').sort((a, b) => rank(a) - rank(b)) };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};
