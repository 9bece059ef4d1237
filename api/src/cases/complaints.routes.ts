import { createRoute } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { idParamSchema, jsonBody, jsonResponse, problemResponses } from '../lib/openapi.ts';
import { caseDetailSchema } from './cases.schemas.ts';
import {
  attachmentParamSchema,
  attachmentSchema,
  complaintInputSchema,
  complaintLookupInputSchema,
  complaintLookupSchema,
  prioritySettingsInputSchema,
  prioritySettingsSchema,
} from './complaints.schemas.ts';

const tags = ['Complaints'];

export const lookupCustomer = createRoute({
  method: 'post',
  path: '/cases/complaints/lookup',
  ...guard('cases:write'),
  tags,
  summary: 'Find the customer and rental of a complaint by phone, email or rental number (in the body, never in the URL)',
  description: 'Contacts come back masked for branch and regional managers, who find only customers who rented at their branches.',
  request: jsonBody(complaintLookupInputSchema),
  responses: { 200: jsonResponse(complaintLookupSchema, 'Matching customers'), ...problemResponses(400, 401, 403) },
});
export type LookupCustomerRoute = typeof lookupCustomer;

export const openComplaint = createRoute({
  method: 'post',
  path: '/cases/complaints',
  ...guard('cases:write'),
  tags,
  summary: 'Open a case from a phone call, an email, the counter or social media',
  description:
    'The owner, time limits (per priority, PUT /cases/priority-settings), reminders, escalation and follow-up survey work as for a survey-raised case. ' +
    'The same `key` again answers 200 with the case opened the first time.',
  request: jsonBody(complaintInputSchema),
  responses: {
    201: jsonResponse(caseDetailSchema, 'Opened'),
    200: jsonResponse(caseDetailSchema, 'Opened before with this key'),
    ...problemResponses(400, 401, 403, 404, 422),
  },
});
export type OpenComplaintRoute = typeof openComplaint;

export const getPrioritySettings = createRoute({
  method: 'get',
  path: '/cases/priority-settings',
  ...guard('cases:read'),
  tags,
  summary: 'Per priority: the golden time to first contact and the time limits of complaints opened by staff',
  responses: { 200: jsonResponse(prioritySettingsSchema, 'Settings'), ...problemResponses(401, 403) },
});
export type GetPrioritySettingsRoute = typeof getPrioritySettings;

export const putPrioritySettings = createRoute({
  method: 'put',
  path: '/cases/priority-settings',
  ...guard('rules:write'),
  tags,
  summary: 'Change the golden first-contact times and complaint time limits (the priorities given)',
  request: jsonBody(prioritySettingsInputSchema),
  responses: { 200: jsonResponse(prioritySettingsSchema, 'Saved'), ...problemResponses(400, 401, 403) },
});
export type PutPrioritySettingsRoute = typeof putPrioritySettings;

export const addAttachment = createRoute({
  method: 'post',
  path: '/cases/{id}/attachments',
  ...guard('cases:write'),
  tags,
  summary: 'Attach a file to a case: the request body is the file, its type the Content-Type, its name the X-File-Name header (URI-encoded)',
  description:
    'Accepted: JPEG, PNG, WebP, PDF and plain text, recognised by their content (the declared type must agree), at most 1 MiB, at most 10 per case. ' +
    'Files are kept in the database and served only to those who may see the case.',
  request: {
    params: idParamSchema,
    body: {
      required: true,
      content: {
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
        'image/webp': { schema: { type: 'string', format: 'binary' } },
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
        'text/plain': { schema: { type: 'string', format: 'binary' } },
      },
    },
  },
  responses: { 201: jsonResponse(attachmentSchema, 'Attached'), ...problemResponses(400, 401, 403, 404, 413, 422) },
});
export type AddAttachmentRoute = typeof addAttachment;

export const getAttachment = createRoute({
  method: 'get',
  path: '/cases/{id}/attachments/{attachmentId}',
  ...guard('cases:read'),
  tags,
  summary: 'Download an attachment (as a download, never shown inline)',
  request: { params: attachmentParamSchema },
  responses: { 200: { description: 'The file' }, ...problemResponses(400, 401, 403, 404) },
});
export type GetAttachmentRoute = typeof getAttachment;
