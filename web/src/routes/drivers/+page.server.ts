import { readDriverSet, readMethod, readPickedDrivers } from '$lib/dashboard/drivers';
import type { DriversResult } from '@rs/api/contract';
import { analyticsPath, contextParams, fetchLoaded, loadContext } from '$lib/dashboard/server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const method = readMethod(url.searchParams.get('method'));
  const driverSet = readDriverSet(url.searchParams.get('drivers'));
  const picked = readPickedDrivers(url.searchParams);
  const outcome = /^[a-z][a-z0-9_]{0,63}$/.test(url.searchParams.get('outcome') ?? '') ? url.searchParams.get('outcome') : null;
  const path = (drivers: string) => analyticsPath('drivers', contextParams(ctx, { method, drivers, outcome }));
  const drivers = ctx.surveyId ? await fetchLoaded<DriversResult>(fetch, path(picked.length > 0 ? picked.join(',') : driverSet)) : null;
  // The picker lists every driver of the set; when the picked ones cannot be analysed, the default analysis names them.
  let available: DriversResult['available'] = drivers?.status === 'ok' ? drivers.data.available : [];
  if (ctx.surveyId && drivers?.status === 'error' && picked.length > 0) {
    const fallback = await fetchLoaded<DriversResult>(fetch, path(driverSet));
    if (fallback.status === 'ok') available = fallback.data.available;
  }
  // The page's other parameters, kept when the picker is sent.
  const params = [...url.searchParams].filter(([key]) => key !== 'driver');
  return { ctx, method, driverSet, outcome, picked, drivers, available, params };
};
