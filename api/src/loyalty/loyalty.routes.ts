import { createRoute, type z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import {
  customersQuerySchema,
  customersResultSchema,
  indexQuerySchema,
  indexResultSchema,
  ladderQuerySchema,
  ladderResultSchema,
  loyaltySettingsResultSchema,
  loyaltySettingsSchema,
  valueQuerySchema,
  valueResultSchema,
} from './loyalty.schemas.ts';

const tags = ['Loyalty'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const getLadder = createRoute({
  method: 'get',
  path: '/loyalty/ladder',
  ...guard('analytics:read'),
  tags,
  summary: 'Customers per rung of the loyalty ladder at the end of the period against its start, per group, and the flows between rungs',
  description: "docs/statistics.md#loyalty-ladder. A customer's branch is that of their latest rental; branch managers count only their branches' customers.",
  request: { query: ladderQuerySchema },
  responses: { 200: json(ladderResultSchema, 'Ladder'), ...problemResponses(400, 401, 403, 404) },
});
export type GetLadderRoute = typeof getLadder;

export const listLoyaltyCustomers = createRoute({
  method: 'get',
  path: '/loyalty/customers',
  ...guard('analytics:read'),
  tags,
  summary: 'The customers behind a ladder or value number (rung, previous rung, value band), paged; contacts masked for branch managers',
  request: { query: customersQuerySchema },
  responses: { 200: json(customersResultSchema, 'Customers'), ...problemResponses(400, 401, 403, 404) },
});
export type ListLoyaltyCustomersRoute = typeof listLoyaltyCustomers;

export const getLoyaltyIndex = createRoute({
  method: 'get',
  path: '/loyalty/index',
  ...guard('analytics:read'),
  tags,
  summary: 'Loyalty evaluation index (0–100) per group with its bootstrap interval and its four parts',
  description: 'docs/statistics.md#loyalty-evaluation-index: CSI, NPS rescaled, 12-month repeat-rental rate and repeat-revenue share, weighted.',
  request: { query: indexQuerySchema },
  responses: { 200: json(indexResultSchema, 'Index'), ...problemResponses(400, 401, 403, 404) },
});
export type GetLoyaltyIndexRoute = typeof getLoyaltyIndex;

export const getLoyaltyValue = createRoute({
  method: 'get',
  path: '/loyalty/value',
  ...guard('analytics:read'),
  tags,
  summary: '12-month revenue, lifetime value per tier, and satisfaction of the top 20 % of customers by revenue against the rest',
  request: { query: valueQuerySchema },
  responses: { 200: json(valueResultSchema, 'Customer value'), ...problemResponses(400, 401, 403, 404) },
});
export type GetLoyaltyValueRoute = typeof getLoyaltyValue;

export const getLoyaltySettings = createRoute({
  method: 'get',
  path: '/loyalty/settings',
  ...guard('analytics:read'),
  tags,
  summary: 'Index weights, ladder thresholds and value assumptions in force, with the documented defaults',
  responses: { 200: json(loyaltySettingsResultSchema, 'Settings'), ...problemResponses(401, 403) },
});
export type GetLoyaltySettingsRoute = typeof getLoyaltySettings;

export const putLoyaltySettings = createRoute({
  method: 'put',
  path: '/loyalty/settings',
  ...guard('rules:write'),
  tags,
  summary: 'Set the index weights, ladder thresholds and value assumptions (quality managers)',
  request: { body: { required: true, content: { 'application/json': { schema: loyaltySettingsSchema } } } },
  responses: { 200: json(loyaltySettingsResultSchema, 'Saved'), ...problemResponses(400, 401, 403) },
});
export type PutLoyaltySettingsRoute = typeof putLoyaltySettings;
