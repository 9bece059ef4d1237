import { can } from '$lib/access';
import { api } from '$lib/api';
import { toQuery } from '$lib/dashboard/filters';
import { contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import { actionFailure } from '$lib/form-actions';
import type { LoyaltyCustomers, LoyaltyIndexResult, LoyaltyLadder, LoyaltySettingsBody, LoyaltySettingsResult, LoyaltyValue } from '@rs/api/contract';
import type { Actions, PageServerLoad } from './$types';
import { BANDS, GROUP_BYS, RUNGS, SORTS, pick } from './loyalty';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale, { defaultPeriod: '90d' });
  const q = url.searchParams;
  const groupBy = pick(GROUP_BYS, q.get('groupBy')) ?? 'none';
  const rung = pick(RUNGS, q.get('rung'));
  const previousRung = pick([...RUNGS, 'none'] as const, q.get('previousRung'));
  const band = pick(BANDS, q.get('band'));
  const sort = pick(SORTS, q.get('sort')) ?? 'revenue';
  const page = Math.max(1, Math.min(100000, Number.parseInt(q.get('page') ?? '1', 10) || 1));
  const settings = await fetchLoaded<LoyaltySettingsResult>(fetch, '/loyalty/settings');
  const base = { ctx, groupBy, rung, previousRung, band, sort, page, settings, canEdit: can(locals.user, 'rules:write') };
  if (!ctx.surveyId) return { ...base, ladder: null, index: null, value: null, list: null };
  const path = (endpoint: string, extra: Record<string, string | number | null> = {}) => `/loyalty/${endpoint}${toQuery(contextParams(ctx, extra))}`;
  const wantsList = rung !== null || previousRung !== null || band !== null;
  const [ladder, index, value, list] = await Promise.all([
    fetchLoaded<LoyaltyLadder>(fetch, path('ladder', { groupBy })),
    fetchLoaded<LoyaltyIndexResult>(fetch, path('index', { groupBy })),
    fetchLoaded<LoyaltyValue>(fetch, path('value')),
    wantsList ? fetchLoaded<LoyaltyCustomers>(fetch, path('customers', { rung, previousRung, band, sort, page, pageSize: 50 })) : Promise.resolve(null),
  ]);
  return { ...base, ladder, index, value, list };
};

const numberOf = (form: FormData, name: string) => Number(String(form.get(name) ?? '').replace(',', '.'));

export const actions: Actions = {
  settings: async ({ request, fetch }) => {
    const form = await request.formData();
    const tier = (t: 'A' | 'B' | 'C') => ({ minRentals12m: numberOf(form, `${t}.minRentals12m`), maxRecencyDays: numberOf(form, `${t}.maxRecencyDays`) });
    const body: LoyaltySettingsBody = {
      weights: {
        csi: numberOf(form, 'w.csi'),
        nps: numberOf(form, 'w.nps'),
        repeatRate: numberOf(form, 'w.repeatRate'),
        repeatRevenue: numberOf(form, 'w.repeatRevenue'),
      },
      tiers: { A: tier('A'), B: tier('B'), C: tier('C') },
      overdueFactor: numberOf(form, 'overdueFactor'),
      lookbackMonths: numberOf(form, 'lookbackMonths'),
      marginRate: numberOf(form, 'marginRate'),
      horizonYears: numberOf(form, 'horizonYears'),
      defaultRetention: numberOf(form, 'defaultRetention'),
    };
    try {
      await api<LoyaltySettingsResult>(fetch, '/loyalty/settings', { method: 'PUT', json: body });
      return { action: 'settings', ok: true };
    } catch (e) {
      return actionFailure(e, { action: 'settings' });
    }
  },
  defaults: async ({ fetch }) => {
    try {
      const current = await api<LoyaltySettingsResult>(fetch, '/loyalty/settings');
      await api<LoyaltySettingsResult>(fetch, '/loyalty/settings', { method: 'PUT', json: current.defaults });
      return { action: 'settings', ok: true };
    } catch (e) {
      return actionFailure(e, { action: 'settings' });
    }
  },
};
