// Case metrics per branch for a period: count, median times, SLA breach rate, recovery rate.
import { can } from '$lib/access';
import { api, query } from '$lib/api';
import { loadFailure, runAction } from '$lib/form-actions';
import type { CaseMetrics, CasePrioritySettings, CasePrioritySettingsBody } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  try {
    const [metrics, settings] = await Promise.all([
      api<CaseMetrics>(fetch, `/cases/metrics${query({ from: DAY.test(from) ? from : undefined, to: DAY.test(to) ? to : undefined })}`),
      api<CasePrioritySettings>(fetch, '/cases/priority-settings'),
    ]);
    // Only those who may change rules change the golden times (the API says so too).
    return { metrics, from, to, settings: can(locals.user, 'rules:write') ? settings : null };
  } catch (e) {
    loadFailure(e);
  }
};

const PRIORITY_KEYS = ['urgent', 'high', 'normal', 'low'] as const;

export const actions: Actions = {
  settings: async ({ request, fetch }) => {
    const form = await request.formData();
    const body: CasePrioritySettingsBody = PRIORITY_KEYS.map((priority) => ({
      priority,
      goldenFirstContactMinutes: Number(form.get(`${priority}.golden`)),
      firstResponseHours: Number(form.get(`${priority}.first`)),
      resolutionHours: Number(form.get(`${priority}.resolution`)),
    }));
    return runAction('settings', () => api<CasePrioritySettings>(fetch, '/cases/priority-settings', { method: 'PUT', json: body }));
  },
};
