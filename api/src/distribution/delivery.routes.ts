import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { idParamSchema, jsonResponse, problemResponses } from '../lib/openapi.ts';
import { bounceResultSchema, bounceSchema, deliveriesQuerySchema, deliveriesSchema, deliverySchema } from './delivery.schemas.ts';

const tags = ['Distribution'];

export const listDeliveries = createRoute({
  method: 'get',
  path: '/deliveries',
  ...guard('distribution:read'),
  tags,
  summary: 'Invitation and reminder messages by status; status=dead lists the dead letters',
  request: { query: deliveriesQuerySchema },
  responses: { 200: jsonResponse(deliveriesSchema, 'Deliveries'), ...problemResponses(400) },
});
export type ListDeliveriesRoute = typeof listDeliveries;

export const retryDelivery = createRoute({
  method: 'post',
  path: '/deliveries/{id}/retry',
  ...guard('distribution:write'),
  tags,
  summary: 'Send a dead or failed message again (a new send job; a message already handed over is not sent twice)',
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(deliverySchema, 'Queued again'), ...problemResponses(404, 409) },
});
export type RetryDeliveryRoute = typeof retryDelivery;

export const reportBounce = createRoute({
  method: 'post',
  path: '/distribution/bounces',
  ...guard('distribution:write'),
  tags,
  summary: 'Report an address a provider refused later (a bounce): it is skipped from then on',
  request: { body: { required: true, content: { 'application/json': { schema: bounceSchema } } } },
  responses: { 200: jsonResponse(bounceResultSchema, 'Marked bad'), ...problemResponses(400) },
});
export type ReportBounceRoute = typeof reportBounce;
