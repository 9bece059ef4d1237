import { readDriverSet, readMethod } from '$lib/dashboard/drivers';
import { readDrivers } from '$lib/dashboard/normalize';
import { analyticsPath, contextParams, fetchOptional, loadContext } from '$lib/dashboard/server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const ctx = await loadContext(fetch, url, locals.locale);
  const method = readMethod(url.searchParams.get('method'));
  const driverSet = readDriverSet(url.searchParams.get('drivers'));
  const outcome = /^[a-z][a-z0-9_]{0,63}$/.test(url.searchParams.get('outcome') ?? '') ? url.searchParams.get('outcome') : null;
  const drivers = ctx.surveyId
    ? await fetchOptional(fetch, analyticsPath('drivers', contextParams(ctx, { method, drivers: driverSet, outcome })), readDrivers)
    : null;
  return { ctx, method, driverSet, outcome, drivers };
};
