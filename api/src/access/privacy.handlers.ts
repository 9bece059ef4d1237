import { notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { audit } from './audit.ts';
import * as q from './privacy.queries.ts';
import type { EraseCustomerRoute, ExportCustomerRoute, RetentionStatusRoute, RunRetentionRoute, SearchCustomersRoute } from './privacy.routes.ts';
import { applyRetention } from './retention.ts';

export const searchCustomers: AppRouteHandler<SearchCustomersRoute> = async (c) => {
  c.header('Cache-Control', 'no-store');
  return c.json(await q.searchCustomers(c.get('deps').sql, c.req.valid('json').query), 200);
};

export const exportCustomer: AppRouteHandler<ExportCustomerRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const data = await q.exportCustomer(sql, id, now());
  await audit(c, 'customer.export', { type: 'customer', id });
  c.header('Cache-Control', 'no-store');
  c.header('Content-Disposition', `attachment; filename="customer-${id}.json"`);
  return c.json(data, 200);
};

export const eraseCustomer: AppRouteHandler<EraseCustomerRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const existing = await q.customerErasure(sql, id);
  if (!existing) throw notFound('No such customer');
  const at = now();
  const result = await q.eraseCustomers(sql, [id], at);
  const alreadyErased = result.customers === 0;
  if (!alreadyErased) {
    const { ids: _ids, customers: _n, ...counts } = result;
    await audit(c, 'customer.erase', { type: 'customer', id }, counts);
  }
  return c.json(
    {
      customerId: id,
      erasedAt: alreadyErased ? new Date(existing.erasedAt!).toISOString() : at.toISOString(),
      alreadyErased,
      rentals: result.rentals,
      answersRemoved: result.answersRemoved,
      answersCleared: result.answersCleared,
      invitationsCancelled: result.invitationsCancelled,
    },
    200,
  );
};

export const retentionStatus: AppRouteHandler<RetentionStatusRoute> = async (c) => {
  const { sql, env, now } = c.get('deps');
  const last = await q.lastRetentionRun(sql);
  return c.json(
    {
      retentionDays: env.PERSONAL_DATA_RETENTION_DAYS,
      dueNow: await q.countDueForErasure(sql, env.PERSONAL_DATA_RETENTION_DAYS, now()),
      lastRun: last ? { at: new Date(last.at).toISOString(), customersErased: last.details?.customers ?? 0 } : null,
    },
    200,
  );
};

export const runRetention: AppRouteHandler<RunRetentionRoute> = async (c) => {
  const result = await applyRetention(c.get('deps'));
  await audit(c, 'privacy.retention_run', { type: 'customer' }, { customers: result.customersErased });
  return c.json(result, 200);
};
