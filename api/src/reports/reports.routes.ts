// Reports in the inbox: the signed-in user's digest subscription, "send me a test now", and the report as
// a PDF download (the dashboard's filters). Subscriptions belong to users (not API keys).
import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import { pdfQuerySchema, subscriptionInputSchema, subscriptionPageSchema, subscriptionSchema, testSendResultSchema } from './reports.schemas.ts';

const tags = ['Reports'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export const getSubscription = createRoute({
  method: 'get',
  path: '/reports/subscription',
  ...guard('account'),
  tags,
  summary: "The signed-in user's digest subscription (null when none), with the surveys, regions and branches they may choose",
  responses: { 200: json(subscriptionPageSchema, 'The subscription page'), ...problemResponses(401, 403) },
});
export type GetSubscriptionRoute = typeof getSubscription;

export const putSubscription = createRoute({
  method: 'put',
  path: '/reports/subscription',
  ...guard('account'),
  tags,
  summary: 'Subscribe to a weekly or monthly digest, or change it',
  description:
    'Regions and branches must be within what the user sees (400 naming `scope.codes` otherwise). The digest goes out at `sendHour` ' +
    'in the company time zone (weekly on `weekday`, monthly on the 1st), covering the seven days / the calendar month before.',
  request: { body: { required: true, content: { 'application/json': { schema: subscriptionInputSchema } } } },
  responses: { 200: json(subscriptionSchema, 'Saved'), ...problemResponses(400, 401, 403, 404) },
});
export type PutSubscriptionRoute = typeof putSubscription;

export const deleteSubscription = createRoute({
  method: 'delete',
  path: '/reports/subscription',
  ...guard('account'),
  tags,
  summary: 'Unsubscribe',
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
});
export type DeleteSubscriptionRoute = typeof deleteSubscription;

export const sendTest = createRoute({
  method: 'post',
  path: '/reports/subscription/test',
  ...guard('account'),
  tags,
  summary: 'Send me a test now: the digest of the latest complete period, to the signed-in user, at once',
  responses: {
    200: json(testSendResultSchema, 'Handed to the mail server'),
    ...problemResponses(401, 403, 409, 502),
  },
});
export type SendTestRoute = typeof sendTest;

export const reportPdf = createRoute({
  method: 'get',
  path: '/reports/pdf',
  ...guard('analytics:read'),
  tags,
  summary: "The report as a PDF for any dashboard filter, in the caller's branch scope",
  description:
    'Headline figures with change and significance against the previous period of equal length, NPS trend, branch league table, top movers with why they moved, new comment topics, cases past their SLA.',
  request: { query: pdfQuerySchema },
  responses: {
    200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...problemResponses(400, 401, 403, 404),
  },
});
export type ReportPdfRoute = typeof reportPdf;
