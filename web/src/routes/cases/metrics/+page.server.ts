// Case metrics per branch for a period: count, median times, SLA breach rate, recovery rate.
import { error } from '@sveltejs/kit';
import { api, ApiError, query } from '$lib/api';
import type { CaseMetrics } from '$lib/cases/types';
import type { PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  try {
    const metrics = await api<CaseMetrics>(fetch, `/cases/metrics${query({ from: DAY.test(from) ? from : undefined, to: DAY.test(to) ? to : undefined })}`);
    return { metrics, from, to };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};
