// Messages kept in the database when no SMTP server or SMS provider is configured.
import { error } from '@sveltejs/kit';
import { api, ApiError, query } from '$lib/api';
import type { DistributionStatus, OutboxMessage } from '../types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const channel = url.searchParams.get('channel');
  const before = url.searchParams.get('before');
  try {
    const [outbox, status] = await Promise.all([
      api<{ items: OutboxMessage[]; nextBefore: number | null }>(
        fetch,
        `/outbox${query({ channel: channel === 'email' || channel === 'sms' ? channel : undefined, before: before ?? undefined, limit: 30 })}`,
      ),
      api<DistributionStatus>(fetch, '/distribution/status'),
    ]);
    return { outbox, status, channel: channel ?? '' };
  } catch (e) {
    if (e instanceof ApiError) error(e.status, e.problem.detail ?? e.problem.title);
    throw e;
  }
};
