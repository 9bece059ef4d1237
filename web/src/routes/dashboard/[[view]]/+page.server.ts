import { error } from '@sveltejs/kit';
import { loadContext } from '$lib/dashboard/server';
import { isView, loadView } from '$lib/dashboard/views';
import { api } from '$lib/api';
import { can } from '$lib/access';
import type { ProviderHealthByChannel } from '$lib/distribution/provider-health';
import type { DistributionStatus } from '@rs/api/contract';
import type { PageServerLoad } from './$types';

/** The providers' health for the outage banner; only for staff who may see distribution, and never fatal. */
async function loadProviders(fetch: typeof globalThis.fetch, user: App.Locals['user']): Promise<ProviderHealthByChannel | null> {
  if (!can(user, 'distribution:read')) return null;
  try {
    return (await api<DistributionStatus>(fetch, '/distribution/status')).providers;
  } catch {
    return null;
  }
}

export const load: PageServerLoad = async ({ fetch, url, params, locals }) => {
  const view = params.view ?? 'overview';
  if (!isView(view)) error(404, 'Not found');
  // The overview opens on the last 90 days: a period with a previous one, so changes show by default.
  const [ctx, providers] = await Promise.all([loadContext(fetch, url, locals.locale, { defaultPeriod: '90d' }), loadProviders(fetch, locals.user)]);
  return { ctx, view: ctx.surveyId ? await loadView(fetch, ctx, view) : null, providers };
};
