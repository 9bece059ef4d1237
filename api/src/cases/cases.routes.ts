import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { idParamSchema, jsonBody, jsonResponse, problemResponses } from '../lib/openapi.ts';
import {
  caseDetailSchema,
  caseOptionsSchema,
  caseListQuerySchema,
  caseListSchema,
  caseUpdateSchema,
  contactInputSchema,
  escalationContactsSchema,
  escalationInputSchema,
  escalationSchema,
  metricsQuerySchema,
  metricsSchema,
  noteInputSchema,
  ruleInputSchema,
  ruleListQuerySchema,
  rulePreviewQuerySchema,
  rulePreviewSchema,
  ruleSchema,
  teamInputSchema,
  teamSchema,
  transitionSchema,
} from './cases.schemas.ts';

const caseTags = ['Cases'];
const ruleTags = ['Alert rules'];

// ── Cases ───────────────────────────────────────────────────────────────────────────────────────

export const listCases = createRoute({
  method: 'get',
  path: '/cases',
  ...guard('cases:read'),
  tags: caseTags,
  summary: 'Cases with filters (mine, overdue, status, branch, root cause, priority), soonest deadline first',
  request: { query: caseListQuerySchema },
  responses: { 200: jsonResponse(caseListSchema, 'Cases'), ...problemResponses(400, 401, 403) },
});
export type ListCasesRoute = typeof listCases;

export const caseMetrics = createRoute({
  method: 'get',
  path: '/cases/metrics',
  ...guard('cases:read'),
  tags: caseTags,
  summary: 'Per branch and period: cases, median hours to first response and to resolution, SLA breach rate, recovery rate',
  description:
    'Cases are counted by the day they were opened (company time zone). SLA breach rate = cases that missed a time limit / cases whose outcome is known ' +
    '(resolved, or a time limit passed). Recovery rate = follow-up answers saying “resolved” / follow-up answers.',
  request: { query: metricsQuerySchema },
  responses: { 200: jsonResponse(metricsSchema, 'Metrics'), ...problemResponses(400, 401, 403) },
});
export type CaseMetricsRoute = typeof caseMetrics;

export const caseOptions = createRoute({
  method: 'get',
  path: '/cases/options',
  ...guard('cases:read'),
  tags: caseTags,
  summary: 'What the case pages offer to choose from: branches, people and teams to assign to',
  responses: {
    200: jsonResponse(caseOptionsSchema, 'Options'),
    ...problemResponses(401, 403),
  },
});
export type CaseOptionsRoute = typeof caseOptions;

export const getCase = createRoute({
  method: 'get',
  path: '/cases/{id}',
  ...guard('cases:read'),
  tags: caseTags,
  summary: 'One case with its response, customer, rental, follow-up and timeline',
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(caseDetailSchema, 'The case'), ...problemResponses(400, 401, 403, 404) },
});
export type GetCaseRoute = typeof getCase;

export const updateCase = createRoute({
  method: 'patch',
  path: '/cases/{id}',
  ...guard('cases:write'),
  tags: caseTags,
  summary: 'Change priority, root cause, resolution, compensation, follow-up or the owner',
  request: { params: idParamSchema, ...jsonBody(caseUpdateSchema) },
  responses: { 200: jsonResponse(caseDetailSchema, 'Changed'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});
export type UpdateCaseRoute = typeof updateCase;

export const transitionCase = createRoute({
  method: 'post',
  path: '/cases/{id}/transitions',
  ...guard('cases:write'),
  tags: caseTags,
  summary: 'Move the case: open → in progress → resolved → closed; resolved or closed → reopened',
  description: 'Resolving needs a root cause and a resolution (given here or set before); it sends the follow-up survey unless switched off.',
  request: { params: idParamSchema, ...jsonBody(transitionSchema) },
  responses: { 200: jsonResponse(caseDetailSchema, 'Moved'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});
export type TransitionCaseRoute = typeof transitionCase;

export const addNote = createRoute({
  method: 'post',
  path: '/cases/{id}/notes',
  ...guard('cases:write'),
  tags: caseTags,
  summary: 'Add an internal note',
  request: { params: idParamSchema, ...jsonBody(noteInputSchema) },
  responses: { 201: jsonResponse(caseDetailSchema, 'Added'), ...problemResponses(400, 401, 403, 404) },
});
export type AddNoteRoute = typeof addNote;

export const addContact = createRoute({
  method: 'post',
  path: '/cases/{id}/contacts',
  ...guard('cases:write'),
  tags: caseTags,
  summary: 'Log a call, e-mail or SMS to the customer (the first one is the first response)',
  request: { params: idParamSchema, ...jsonBody(contactInputSchema) },
  responses: { 201: jsonResponse(caseDetailSchema, 'Logged'), ...problemResponses(400, 401, 403, 404, 422) },
});
export type AddContactRoute = typeof addContact;

// ── Alert rules ─────────────────────────────────────────────────────────────────────────────────

export const listRules = createRoute({
  method: 'get',
  path: '/alert-rules',
  ...guard('cases:read'),
  tags: ruleTags,
  summary: 'Alert rules, optionally of one survey',
  request: { query: ruleListQuerySchema },
  responses: { 200: jsonResponse(z.array(ruleSchema), 'Rules'), ...problemResponses(400, 401, 403) },
});
export type ListRulesRoute = typeof listRules;

export const createRule = createRoute({
  method: 'post',
  path: '/alert-rules',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Create an alert rule',
  request: jsonBody(ruleInputSchema),
  responses: { 201: jsonResponse(ruleSchema, 'Created'), ...problemResponses(400, 401, 403, 422) },
});
export type CreateRuleRoute = typeof createRule;

export const getRule = createRoute({
  method: 'get',
  path: '/alert-rules/{id}',
  ...guard('cases:read'),
  tags: ruleTags,
  summary: 'One alert rule',
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(ruleSchema, 'The rule'), ...problemResponses(400, 401, 403, 404) },
});
export type GetRuleRoute = typeof getRule;

export const updateRule = createRoute({
  method: 'put',
  path: '/alert-rules/{id}',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Replace an alert rule (applies to responses finished from now on)',
  request: { params: idParamSchema, ...jsonBody(ruleInputSchema) },
  responses: { 200: jsonResponse(ruleSchema, 'Saved'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});
export type UpdateRuleRoute = typeof updateRule;

export const deleteRule = createRoute({
  method: 'delete',
  path: '/alert-rules/{id}',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Delete a rule that never raised a case',
  request: { params: idParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
export type DeleteRuleRoute = typeof deleteRule;

export const previewRule = createRoute({
  method: 'get',
  path: '/alert-rules/{id}/preview',
  ...guard('cases:read'),
  tags: ruleTags,
  summary: 'How many recent responses the rule would have raised a case for',
  request: { params: idParamSchema, query: rulePreviewQuerySchema },
  responses: { 200: jsonResponse(rulePreviewSchema, 'Preview'), ...problemResponses(400, 401, 403, 404) },
});
export type PreviewRuleRoute = typeof previewRule;

export const listTeams = createRoute({
  method: 'get',
  path: '/case-teams',
  ...guard('cases:read'),
  tags: ruleTags,
  summary: 'Teams cases can be assigned to',
  responses: { 200: jsonResponse(z.array(teamSchema), 'Teams'), ...problemResponses(401, 403) },
});
export type ListTeamsRoute = typeof listTeams;

export const createTeam = createRoute({
  method: 'post',
  path: '/case-teams',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Add a team (a name and the e-mail address its cases go to)',
  request: jsonBody(teamInputSchema),
  responses: { 201: jsonResponse(teamSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateTeamRoute = typeof createTeam;

export const deleteTeam = createRoute({
  method: 'delete',
  path: '/case-teams/{id}',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Remove a team no rule or case uses',
  request: { params: idParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
export type DeleteTeamRoute = typeof deleteTeam;

export const listEscalations = createRoute({
  method: 'get',
  path: '/escalation-contacts',
  ...guard('cases:read'),
  tags: ruleTags,
  summary: 'Who breached cases escalate to: regional managers (by region), then quality managers',
  responses: {
    200: jsonResponse(escalationContactsSchema, 'Contacts and the branches’ regions'),
    ...problemResponses(401, 403),
  },
});
export type ListEscalationsRoute = typeof listEscalations;

export const createEscalation = createRoute({
  method: 'post',
  path: '/escalation-contacts',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Add an escalation contact',
  request: jsonBody(escalationInputSchema),
  responses: { 201: jsonResponse(escalationSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateEscalationRoute = typeof createEscalation;

export const deleteEscalation = createRoute({
  method: 'delete',
  path: '/escalation-contacts/{id}',
  ...guard('rules:write'),
  tags: ruleTags,
  summary: 'Remove an escalation contact',
  request: { params: idParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404) },
});
export type DeleteEscalationRoute = typeof deleteEscalation;
