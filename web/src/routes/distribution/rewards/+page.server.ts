// Reward programmes: one per survey, with the state of their code pools, and the form to start one.
import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { codedFailure, loadFailure } from '$lib/form-actions';
import type { RewardProgramme, RewardProgrammeCreateBody, SurveySummary } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const [programmes, surveys] = await Promise.all([api<RewardProgramme[]>(fetch, '/rewards/programmes'), api<SurveySummary[]>(fetch, '/surveys')]);
    const taken = new Set(programmes.map((p) => p.surveyId));
    // Surveys that can still get a programme: not archived and without one; the invited survey first.
    const free = surveys
      .filter((s) => s.status !== 'archived' && !taken.has(s.id))
      .sort((a, b) => Number(b.receivesRentalInvitations) - Number(a.receivesRentalInvitations));
    return { programmes, surveys: free };
  } catch (e) {
    loadFailure(e);
  }
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export const actions: Actions = {
  create: async ({ request, fetch }) => {
    const form = await request.formData();
    const values = {
      surveyId: text(form, 'surveyId'),
      name: text(form, 'name'),
      nameEn: text(form, 'nameEn') || null,
      kind: text(form, 'kind') === 'points' ? 'points' : 'coupon',
      period: (['month', 'quarter', 'year'].includes(text(form, 'period')) ? text(form, 'period') : 'month') as RewardProgrammeCreateBody['period'],
      lowStockThreshold: Number(text(form, 'lowStockThreshold') || 20),
    } satisfies RewardProgrammeCreateBody;
    let created: RewardProgramme;
    try {
      created = await api<RewardProgramme>(fetch, '/rewards/programmes', { method: 'POST', json: values });
    } catch (e) {
      return codedFailure(e, { action: 'create', values }, { atLeastOne: true });
    }
    redirect(303, `/distribution/rewards/${created.id}?created=1`);
  },
};
