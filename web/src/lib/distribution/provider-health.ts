// The health of the e-mail and SMS providers as GET /api/distribution/status reports it.
import type { DistributionStatus } from '@rs/api/contract';

export type ProviderHealthByChannel = DistributionStatus['providers'];

/** Channels whose provider is failing, for the staff dashboard's banner. */
export function failingProviders(providers: ProviderHealthByChannel | null | undefined) {
  if (!providers) return [];
  return (['email', 'sms'] as const).filter((c) => providers[c].state !== 'ok').map((channel) => ({ channel, ...providers[channel] }));
}
