import { branchScopeOf, inBranchScope } from '../access/scope.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { distributionCounts, getDelivery, listDeliveries as queryDeliveries, listOutbox as queryOutbox, recordBounce, requeueDelivery } from './delivery.queries.ts';
import type { DistributionStatusRoute, ListDeliveriesRoute, ListOutboxRoute, ReportBounceRoute, RetryDeliveryRoute } from './delivery.routes.ts';
import { wakeSender } from './worker-signal.ts';

export const listOutbox: AppRouteHandler<ListOutboxRoute> = async (c) => {
  return c.json(await queryOutbox(c.get('deps').sql, c.req.valid('query')), 200);
};

export const listDeliveries: AppRouteHandler<ListDeliveriesRoute> = async (c) => {
  const sql = c.get('deps').sql;
  const scope = branchScopeOf(c);
  return c.json(await queryDeliveries(sql, c.req.valid('query'), (column) => inBranchScope(sql, scope, column) as never), 200);
};

export const retryDelivery: AppRouteHandler<RetryDeliveryRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const result = await requeueDelivery(deps.db, id, deps.now());
  if (result === 'not_found') throw notFound('No such delivery');
  if (result === 'not_retryable') throw conflict('Only dead or failed messages can be sent again.');
  wakeSender();
  return c.json((await getDelivery(deps.sql, id))!, 200);
};

export const reportBounce: AppRouteHandler<ReportBounceRoute> = async (c) => {
  const deps = c.get('deps');
  const { channel, address, reason } = c.req.valid('json');
  const customers = await recordBounce(deps.sql, channel, address, reason, deps.now());
  return c.json({ channel, customers }, 200);
};

export const distributionStatus: AppRouteHandler<DistributionStatusRoute> = async (c) => {
  const { sql, env } = c.get('deps');
  return c.json(
    {
      transports: { email: env.SMTP_URL ? ('smtp' as const) : ('outbox' as const), sms: env.SMS_PROVIDER_URL ? ('sms_webhook' as const) : ('outbox' as const) },
      ratePerSecond: { email: env.EMAIL_RATE_PER_SECOND, sms: env.SMS_RATE_PER_SECOND },
      ...(await distributionCounts(sql)),
    },
    200,
  );
};
