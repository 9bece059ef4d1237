import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { guard } from './guard.ts';
import {
  deliveriesQuerySchema,
  deliverySchema,
  webhookCreateSchema,
  webhookIdParamSchema,
  webhookSchema,
  webhookUpdateSchema,
  webhookWithSecretSchema,
} from './webhooks.schemas.ts';

const tags = ['Webhooks'];
const json = <S>(schema: S) => ({ content: { 'application/json': { schema } } });
const access = guard('webhooks:admin');

export const listWebhooks = createRoute({
  method: 'get',
  path: '/webhooks',
  ...access,
  tags,
  summary: 'Configured webhooks with their delivery state',
  responses: { 200: { description: 'Webhooks', ...json(z.array(webhookSchema)) }, ...problemResponses(401, 403) },
});

export const createWebhook = createRoute({
  method: 'post',
  path: '/webhooks',
  ...access,
  tags,
  summary: 'Add a webhook; returns its signing secret once',
  request: { body: { required: true, ...json(webhookCreateSchema) } },
  responses: { 201: { description: 'Created', ...json(webhookWithSecretSchema) }, ...problemResponses(400, 401, 403) },
});

export const updateWebhook = createRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  ...access,
  tags,
  summary: 'Change URL, events or active state, or rotate the secret',
  request: { params: webhookIdParamSchema, body: { required: true, ...json(webhookUpdateSchema) } },
  responses: { 200: { description: 'Updated', ...json(webhookWithSecretSchema) }, ...problemResponses(400, 401, 403, 404) },
});

export const deleteWebhook = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  ...access,
  tags,
  summary: 'Remove a webhook and its delivery history',
  request: { params: webhookIdParamSchema },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
});

export const listDeliveries = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  ...access,
  tags,
  summary: 'Recent deliveries of a webhook, newest first',
  request: { params: webhookIdParamSchema, query: deliveriesQuerySchema },
  responses: { 200: { description: 'Deliveries', ...json(z.array(deliverySchema)) }, ...problemResponses(400, 401, 403, 404) },
});

export const pingWebhook = createRoute({
  method: 'post',
  path: '/webhooks/{id}/ping',
  ...access,
  tags,
  summary: 'Queue a signed `ping` delivery to this webhook',
  request: { params: webhookIdParamSchema },
  responses: { 202: { description: 'Queued', ...json(deliverySchema) }, ...problemResponses(401, 403, 404) },
});

export const retryDelivery = createRoute({
  method: 'post',
  path: '/webhooks/deliveries/{id}/retry',
  ...access,
  tags,
  summary: 'Send a failed delivery again now',
  request: { params: webhookIdParamSchema },
  responses: { 202: { description: 'Queued again', ...json(deliverySchema) }, ...problemResponses(401, 403, 404, 409) },
});

export type ListWebhooksRoute = typeof listWebhooks;
export type CreateWebhookRoute = typeof createWebhook;
export type UpdateWebhookRoute = typeof updateWebhook;
export type DeleteWebhookRoute = typeof deleteWebhook;
export type ListDeliveriesRoute = typeof listDeliveries;
export type PingWebhookRoute = typeof pingWebhook;
export type RetryDeliveryRoute = typeof retryDelivery;
