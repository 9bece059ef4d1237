import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import {
  bounceSchema,
  deliveriesQuerySchema,
  deliveriesSchema,
  deliveryIdParamSchema,
  deliverySchema,
  outboxQuerySchema,
  outboxSchema,
  statusSchema,
} from './delivery.schemas.ts';

const tags = ['Distribution'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const listOutbox = createRoute({
  method: 'get',
  path: '/outbox',
  ...guard('distribution:read'),
  tags,
  summary: 'Messages kept in the database because no SMTP server or SMS provider is configured, newest first',
  request: { query: outboxQuerySchema },
  responses: { 200: json(outboxSchema, 'Messages'), ...problemResponses(400) },
});
export type ListOutboxRoute = typeof listOutbox;

export const listDeliveries = createRoute({
  method: 'get',
  path: '/deliveries',
  ...guard('distribution:read'),
  tags,
  summary: 'Invitation and reminder messages by status; status=dead lists the dead letters',
  request: { query: deliveriesQuerySchema },
  responses: { 200: json(deliveriesSchema, 'Deliveries'), ...problemResponses(400) },
});
export type ListDeliveriesRoute = typeof listDeliveries;

export const retryDelivery = createRoute({
  method: 'post',
  path: '/deliveries/{id}/retry',
  ...guard('distribution:write'),
  tags,
  summary: 'Send a dead or failed message again (a new send job; a message already handed over is not sent twice)',
  request: { params: deliveryIdParamSchema },
  responses: { 200: json(deliverySchema, 'Queued again'), ...problemResponses(404, 409) },
});
export type RetryDeliveryRoute = typeof retryDelivery;

export const reportBounce = createRoute({
  method: 'post',
  path: '/distribution/bounces',
  ...guard('distribution:write'),
  tags,
  summary: 'Report an address a provider refused later (a bounce): it is skipped from then on',
  request: { body: { required: true, content: { 'application/json': { schema: bounceSchema } } } },
  responses: { 200: json(z.object({ channel: z.string(), customers: z.number().int() }), 'Marked bad'), ...problemResponses(400) },
});
export type ReportBounceRoute = typeof reportBounce;

export const distributionStatus = createRoute({
  method: 'get',
  path: '/distribution/status',
  ...guard('distribution:read'),
  tags,
  summary: 'Where messages go (provider or outbox), rate limits and delivery counts',
  responses: { 200: json(statusSchema, 'Status') },
});
export type DistributionStatusRoute = typeof distributionStatus;
