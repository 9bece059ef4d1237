// The surveys whose invitation rules can be edited.
import { api } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import type { SurveySummary } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const surveys = await api<SurveySummary[]>(fetch, '/surveys');
    // The survey rental invitations go to first, then other post-rental surveys, then the rest.
    const rank = (s: SurveySummary) => (s.receivesRentalInvitations ? 0 : s.kind === 'post_rental' ? 1 : 2);
    return { surveys: surveys.filter((s) => s.status !== 'archived').sort((a, b) => rank(a) - rank(b)) };
  } catch (e) {
    loadFailure(e);
  }
};
