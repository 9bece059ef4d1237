import { badRequest } from '../lib/problem.ts';
import type { AppDeps, AppRouteHandler } from '../lib/types.ts';
import { audit } from './audit.ts';
import { checkDestination } from './webhooks.destination.ts';
import * as q from './webhooks.queries.ts';
import type {
  CreateWebhookRoute,
  DeleteWebhookRoute,
  ListDeliveriesRoute,
  ListWebhooksRoute,
  PingWebhookRoute,
  RetryDeliveryRoute,
  UpdateWebhookRoute,
} from './webhooks.routes.ts';

/** Refuses a URL the webhooks may not post to, before anything is stored (checked again at each delivery). */
async function assertDestination(deps: AppDeps, url: string) {
  const checked = await checkDestination(url, deps.env);
  if (!checked.ok) throw badRequest('Webhooks cannot post to this URL.', [{ path: 'url', message: checked.reason }]);
}

export const listWebhooks: AppRouteHandler<ListWebhooksRoute> = async (c) => c.json(await q.listWebhooks(c.get('deps').db), 200);

export const createWebhook: AppRouteHandler<CreateWebhookRoute> = async (c) => {
  const deps = c.get('deps');
  const { db, now } = deps;
  const input = c.req.valid('json');
  await assertDestination(deps, input.url);
  const created = await q.createWebhook(db, input, now());
  await audit(c, 'webhook.create', { type: 'webhook', id: created.webhook.id }, { url: created.webhook.url, events: created.webhook.events });
  c.header('Cache-Control', 'no-store');
  return c.json(created, 201);
};

export const updateWebhook: AppRouteHandler<UpdateWebhookRoute> = async (c) => {
  const deps = c.get('deps');
  const { db, now } = deps;
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  if (input.url !== undefined) await assertDestination(deps, input.url);
  const updated = await q.updateWebhook(db, id, input, now());
  await audit(c, 'webhook.update', { type: 'webhook', id }, { fields: Object.keys(input) });
  c.header('Cache-Control', 'no-store');
  return c.json(updated, 200);
};

export const deleteWebhook: AppRouteHandler<DeleteWebhookRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const removed = await q.deleteWebhook(c.get('deps').db, id);
  await audit(c, 'webhook.delete', { type: 'webhook', id }, { url: removed.url });
  return c.body(null, 204);
};

export const listDeliveries: AppRouteHandler<ListDeliveriesRoute> = async (c) => {
  return c.json(await q.listDeliveries(c.get('deps').db, c.req.valid('param').id, c.req.valid('query')), 200);
};

export const pingWebhook: AppRouteHandler<PingWebhookRoute> = async (c) => {
  const { db, now } = c.get('deps');
  return c.json(await q.queuePing(db, c.req.valid('param').id, now()), 202);
};

export const retryDelivery: AppRouteHandler<RetryDeliveryRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const delivery = await q.retryDelivery(db, id, now());
  await audit(c, 'webhook.retry_delivery', { type: 'webhook_delivery', id });
  return c.json(delivery, 202);
};
