import { branchScopeOf, inBranchScope } from '../access/scope.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { getDelivery, listDeliveries as queryDeliveries, recordBounce, requeueDelivery } from './delivery.queries.ts';
import type { ListDeliveriesRoute, ReportBounceRoute, RetryDeliveryRoute } from './delivery.routes.ts';
import { wakeSender } from './worker-signal.ts';

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
