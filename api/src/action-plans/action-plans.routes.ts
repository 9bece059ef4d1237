import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { idParamSchema, jsonBody, jsonResponse, problemResponses } from '../lib/openapi.ts';
import { effectQuerySchema, planDetailSchema, planInputSchema, planListQuerySchema, planListSchema, planUpdateSchema } from './action-plans.schemas.ts';

const tags = ['Action plans'];

export const listPlans = createRoute({
  method: 'get',
  path: '/action-plans',
  ...guard('analytics:read'),
  tags,
  summary: 'Action plans, soonest due first (branch and regional managers: plans with one of their branches)',
  request: { query: planListQuerySchema },
  responses: { 200: jsonResponse(planListSchema, 'Plans'), ...problemResponses(400, 401, 403) },
});
export type ListPlansRoute = typeof listPlans;

export const createPlan = createRoute({
  method: 'post',
  path: '/action-plans',
  ...guard('cases:write'),
  tags,
  summary: 'Open an action plan (from a driver, a Pareto problem, a comment topic, or on its own)',
  request: jsonBody(planInputSchema),
  responses: { 201: jsonResponse(planDetailSchema, 'Opened'), ...problemResponses(400, 401, 403, 422) },
});
export type CreatePlanRoute = typeof createPlan;

export const getPlan = createRoute({
  method: 'get',
  path: '/action-plans/{id}',
  ...guard('analytics:read'),
  tags,
  summary: 'One plan with its figure before and after the start date (95 % intervals)',
  description: 'docs/statistics.md#action-plans-before-and-after',
  request: { params: idParamSchema, query: effectQuerySchema },
  responses: { 200: jsonResponse(planDetailSchema, 'The plan'), ...problemResponses(400, 401, 403, 404) },
});
export type GetPlanRoute = typeof getPlan;

export const updatePlan = createRoute({
  method: 'patch',
  path: '/action-plans/{id}',
  ...guard('cases:write'),
  tags,
  summary: 'Change a plan: status, notes, owner, branches, dates, metric',
  request: { params: idParamSchema, ...jsonBody(planUpdateSchema) },
  responses: { 200: jsonResponse(planDetailSchema, 'Changed'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});
export type UpdatePlanRoute = typeof updatePlan;
