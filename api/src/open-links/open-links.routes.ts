import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { idParamSchema, jsonBody, jsonResponse, problemResponses } from '../lib/openapi.ts';
import {
  emailScoreBodySchema,
  emailScoreResultSchema,
  openLinkCreateSchema,
  openLinkListQuerySchema,
  openLinkSchema,
  openLinkUpdateSchema,
  openSessionQuerySchema,
  openSessionSchema,
  openSubmitResultSchema,
  openSubmitSchema,
  printQuerySchema,
  slugParamSchema,
  tokenParamSchema,
} from './open-links.schemas.ts';

const tags = ['Open links'];
const binary = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } } });

export const listOpenLinks = createRoute({
  method: 'get',
  path: '/open-links',
  ...guard('distribution:read'),
  tags,
  summary: 'Open feedback links (per branch, optionally per vehicle or counter tag) with their answer counts',
  request: { query: openLinkListQuerySchema },
  responses: { 200: jsonResponse(z.array(openLinkSchema), 'Open links'), ...problemResponses(400, 401, 403) },
});
export type ListOpenLinksRoute = typeof listOpenLinks;

export const createOpenLink = createRoute({
  method: 'post',
  path: '/open-links',
  ...guard('distribution:write'),
  tags,
  summary: 'Create an open link of a published survey for a branch (and tag); one active link per survey, branch and tag',
  request: jsonBody(openLinkCreateSchema),
  responses: { 201: jsonResponse(openLinkSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateOpenLinkRoute = typeof createOpenLink;

export const updateOpenLink = createRoute({
  method: 'patch',
  path: '/open-links/{id}',
  ...guard('distribution:write'),
  tags,
  summary: 'Change the tag or limits of an open link, or close it (`active: false`; its printed QR code then says it is closed)',
  request: { params: idParamSchema, ...jsonBody(openLinkUpdateSchema) },
  responses: { 200: jsonResponse(openLinkSchema, 'Updated'), ...problemResponses(400, 401, 403, 404, 409) },
});
export type UpdateOpenLinkRoute = typeof updateOpenLink;

export const openLinkQr = createRoute({
  method: 'get',
  path: '/open-links/{id}/qr.png',
  ...guard('distribution:read'),
  tags,
  summary: 'The QR code of an open link (PNG)',
  request: { params: idParamSchema },
  responses: { 200: binary('image/png', 'QR code'), ...problemResponses(401, 403, 404) },
});
export type OpenLinkQrRoute = typeof openLinkQr;

export const openLinkPrint = createRoute({
  method: 'get',
  path: '/open-links/{id}/print.pdf',
  ...guard('distribution:read'),
  tags,
  summary: 'A printable A4 / A5 poster or table card (PDF) with the QR code and the branch name in Chinese and English',
  request: { params: idParamSchema, query: printQuerySchema },
  responses: { 200: binary('application/pdf', 'Poster'), ...problemResponses(400, 401, 403, 404) },
});
export type OpenLinkPrintRoute = typeof openLinkPrint;

const publicTags = ['Answering (public)'];

export const openSession = createRoute({
  method: 'get',
  path: '/open/{slug}',
  ...guard('public'),
  tags: publicTags,
  summary: 'The survey behind an open link (QR code), with a signed ticket of when the page opened',
  request: { params: slugParamSchema, query: openSessionQuerySchema },
  responses: { 200: jsonResponse(openSessionSchema, 'The survey to answer'), ...problemResponses(404) },
});
export type OpenSessionRoute = typeof openSession;

export const submitOpen = createRoute({
  method: 'post',
  path: '/open/{slug}/submit',
  ...guard('public'),
  tags: publicTags,
  summary: 'Send the answers given through an open link',
  description:
    'Needs the device cookie `rs_open_device` (the page sets it) and the ticket from opening the link. Answers sent sooner than the ' +
    "link's minimum time answer 400 (`ticket`); beyond the day's answers per device or per client address, 429 with `reason`. " +
    'A filled-in honeypot field (`website`) is answered like a success and nothing is kept.',
  request: { params: slugParamSchema, ...jsonBody(openSubmitSchema) },
  responses: { 200: jsonResponse(openSubmitResultSchema, 'Finished'), ...problemResponses(400, 404, 429) },
});
export type SubmitOpenRoute = typeof submitOpen;

export const emailScore = createRoute({
  method: 'put',
  path: '/respond/{token}/email-score',
  ...guard('public'),
  tags: publicTags,
  summary: 'The recommendation score clicked in the invitation email: saved as the answer (the response stays open)',
  description:
    'Same rules as the link itself: an unknown or opted-out link 404, an answered or expired one 410 (a finished response is never changed). ' +
    'Answers where the survey continues.',
  request: { params: tokenParamSchema, ...jsonBody(emailScoreBodySchema) },
  responses: { 200: jsonResponse(emailScoreResultSchema, 'Saved'), ...problemResponses(400, 404, 409, 410, 429) },
});
export type EmailScoreRoute = typeof emailScore;
