import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { guard } from './guard.ts';
import {
  customerExportSchema,
  customerIdParamSchema,
  customerMatchSchema,
  customerSearchSchema,
  erasureResultSchema,
  retentionRunSchema,
  retentionStatusSchema,
} from './privacy.schemas.ts';

const tags = ['Privacy'];
const json = <S>(schema: S) => ({ content: { 'application/json': { schema } } });
const access = guard('privacy:admin');

export const searchCustomers = createRoute({
  method: 'post',
  path: '/privacy/customers/search',
  ...access,
  tags,
  summary: 'Find a customer by external id, email, phone or name (POST: personal data stays out of URLs)',
  request: { body: { required: true, ...json(customerSearchSchema) } },
  responses: { 200: { description: 'Matches', ...json(z.array(customerMatchSchema)) }, ...problemResponses(400, 401, 403) },
});

export const exportCustomer = createRoute({
  method: 'get',
  path: '/privacy/customers/{id}/export',
  ...access,
  tags,
  summary: 'Everything stored about one customer, as a JSON download',
  request: { params: customerIdParamSchema },
  responses: { 200: { description: 'The export', ...json(customerExportSchema) }, ...problemResponses(401, 403, 404) },
});

export const eraseCustomer = createRoute({
  method: 'post',
  path: '/privacy/customers/{id}/erase',
  ...access,
  tags,
  summary: "Erase one customer's personal data; their responses stay in the statistics, anonymised",
  request: { params: customerIdParamSchema },
  responses: { 200: { description: 'Erased', ...json(erasureResultSchema) }, ...problemResponses(401, 403, 404) },
});

export const retentionStatus = createRoute({
  method: 'get',
  path: '/privacy/retention',
  ...access,
  tags,
  summary: 'The retention period for personal data, how many customers are due, and the last run',
  responses: { 200: { description: 'Status', ...json(retentionStatusSchema) }, ...problemResponses(401, 403) },
});

export const runRetention = createRoute({
  method: 'post',
  path: '/privacy/retention/run',
  ...access,
  tags,
  summary: 'Apply the retention period now (it also runs on a schedule)',
  responses: { 200: { description: 'What was removed', ...json(retentionRunSchema) }, ...problemResponses(401, 403) },
});

export type SearchCustomersRoute = typeof searchCustomers;
export type ExportCustomerRoute = typeof exportCustomer;
export type EraseCustomerRoute = typeof eraseCustomer;
export type RetentionStatusRoute = typeof retentionStatus;
export type RunRetentionRoute = typeof runRetention;
