import type { AppRouteHandler } from '../lib/types.ts';
import { distributionCounts } from './delivery.queries.ts';
import { providerHealth } from './status.queries.ts';
import type { DistributionStatusRoute } from './status.routes.ts';

export const distributionStatus: AppRouteHandler<DistributionStatusRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  const transports = {
    email: env.SMTP_URL ? ('smtp' as const) : ('outbox' as const),
    sms: env.SMS_PROVIDER_URL ? ('sms_webhook' as const) : ('outbox' as const),
  };
  return c.json(
    {
      transports,
      ratePerSecond: { email: env.EMAIL_RATE_PER_SECOND, sms: env.SMS_RATE_PER_SECOND },
      ...(await distributionCounts(sql)),
      providers: await providerHealth(sql, transports),
    },
    200,
  );
};
