import { guard } from '../access/guard.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { idParamSchema, jsonResponse, problemResponses } from '../lib/openapi.ts';
import { importJobSchema, rejectionsQuerySchema, rejectionsSchema, startImportSchema, uploadQuerySchema, uploadResultSchema } from './import.schemas.ts';

const tags = ['Distribution'];

export const uploadImport = createRoute({
  method: 'post',
  path: '/imports',
  ...guard('distribution:write'),
  tags,
  summary: 'Upload a CSV file of rentals (the request body is the file); answers its columns and a suggested mapping',
  description:
    'The file is streamed to disk, never held in memory. UTF-8 (with or without BOM) and GB18030 are recognised. Nothing is imported until POST /imports/{id}/start.',
  request: {
    query: uploadQuerySchema,
    body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: { 201: jsonResponse(uploadResultSchema, 'Uploaded'), ...problemResponses(400) },
});
export type UploadImportRoute = typeof uploadImport;

export const startImport = createRoute({
  method: 'post',
  path: '/imports/{id}/start',
  ...guard('distribution:write'),
  tags,
  summary: 'Start (or resume) an uploaded import with a column mapping',
  request: { params: idParamSchema, body: { required: true, content: { 'application/json': { schema: startImportSchema } } } },
  responses: { 202: jsonResponse(importJobSchema, 'Queued'), ...problemResponses(400, 404, 409, 422) },
});
export type StartImportRoute = typeof startImport;

export const getImport = createRoute({
  method: 'get',
  path: '/imports/{id}',
  ...guard('distribution:read'),
  tags,
  summary: 'Progress of an import: rows done, created / updated / unchanged / rejected, rows per second',
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(importJobSchema, 'The import'), ...problemResponses(404) },
});
export type GetImportRoute = typeof getImport;

export const listImports = createRoute({
  method: 'get',
  path: '/imports',
  ...guard('distribution:read'),
  tags,
  summary: 'The latest imports',
  responses: { 200: jsonResponse(z.array(importJobSchema), 'Imports, newest first') },
});
export type ListImportsRoute = typeof listImports;

export const listImportRejections = createRoute({
  method: 'get',
  path: '/imports/{id}/rejections',
  ...guard('distribution:read'),
  tags,
  summary: 'Rejected rows of an import, by row number (1 = the first row after the header); format=csv for a file',
  request: { params: idParamSchema, query: rejectionsQuerySchema },
  responses: {
    200: {
      description: 'Rejected rows',
      content: { 'application/json': { schema: rejectionsSchema }, 'text/csv': { schema: z.string() } },
    },
    ...problemResponses(400, 404),
  },
});
export type ListImportRejectionsRoute = typeof listImportRejections;

export const previewImport = createRoute({
  method: 'get',
  path: '/imports/{id}/preview',
  ...guard('distribution:read'),
  tags,
  summary: 'The first rows of an uploaded file and a suggested column mapping, for the mapping step',
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(uploadResultSchema, 'Preview'), ...problemResponses(404, 410) },
});
export type PreviewImportRoute = typeof previewImport;
