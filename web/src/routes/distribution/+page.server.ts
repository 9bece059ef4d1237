// The delivery funnel of a survey per branch or period, and where messages go.
import { api, query } from '$lib/api';
import { loadFailure } from '$lib/form-actions';
import type { DeliveryFunnel, DistributionStatus, SurveySummary } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

const GROUPS = ['none', 'branch', 'day', 'week', 'month'] as const;

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const [surveys, status] = await Promise.all([api<SurveySummary[]>(fetch, '/surveys'), api<DistributionStatus>(fetch, '/distribution/status')]);
    const published = surveys.filter((s) => s.latestVersion !== null);
    const chosen = published.find((s) => s.id === url.searchParams.get('survey')) ?? published.find((s) => s.receivesRentalInvitations) ?? published[0];
    const p = url.searchParams;
    const groupBy = (GROUPS as readonly string[]).includes(p.get('groupBy') ?? '') ? (p.get('groupBy') as (typeof GROUPS)[number]) : 'branch';
    const from = p.get('from') || undefined;
    const to = p.get('to') || undefined;
    const funnel = chosen ? await api<DeliveryFunnel>(fetch, `/distribution/funnel${query({ survey: chosen.id, groupBy, from, to })}`) : null;
    return { surveys: published, surveyId: chosen?.id ?? null, status, funnel, groupBy, from: from ?? '', to: to ?? '' };
  } catch (e) {
    loadFailure(e);
  }
};
