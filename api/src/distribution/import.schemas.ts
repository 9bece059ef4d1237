import { z } from '@hono/zod-openapi';
import { IMPORT_FIELDS } from './import.mapping.ts';
import { REJECTION_CODES } from './import.reasons.ts';

const fieldKeys = IMPORT_FIELDS.map((f) => f.key) as [string, ...string[]];

export const uploadQuerySchema = z.object({
  fileName: z.string().max(200).optional().openapi({ description: 'Name of the uploaded file, for the list of imports' }),
});

export const importFieldSchema = z.object({ key: z.string(), required: z.boolean() });

export const importJobSchema = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    status: z.enum(['uploaded', 'queued', 'running', 'done', 'failed']),
    bytesTotal: z.number(),
    bytesDone: z.number(),
    header: z.array(z.string()),
    mapping: z.record(z.string(), z.number().int()).nullable(),
    rowsDone: z.number().int(),
    rowsCreated: z.number().int(),
    rowsUpdated: z.number().int(),
    rowsUnchanged: z.number().int(),
    rowsRejected: z.number().int(),
    invitationsCreated: z.number().int(),
    rowsPerSecond: z.number().nullable().openapi({ description: 'Rows handled per second of working time' }),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ImportJob');

export const uploadResultSchema = importJobSchema
  .extend({
    encoding: z.string(),
    sample: z.array(z.array(z.string())).openapi({ description: 'The first data rows, for the mapping step' }),
    suggestedMapping: z.record(z.string(), z.number().int()),
    fields: z.array(importFieldSchema),
  })
  .openapi('ImportUpload');

export const startImportSchema = z
  .object({
    mapping: z
      .partialRecord(z.enum(fieldKeys), z.number().int().min(0).max(500))
      .openapi({ description: 'Field → column index (0 = first column). Required fields: see `fields` of the upload answer' }),
    timeZone: z.string().max(64).optional().openapi({ description: 'Zone of date-times written without an offset (default: the company time zone)' }),
  })
  .openapi('ImportStart');

export const rejectionsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

export const rejectionsSchema = z
  .object({
    total: z.number().int(),
    items: z.array(
      z.object({
        row: z.number().int(),
        fields: z.array(z.string()),
        reason: z.string().openapi({ description: 'The problems in English' }),
        problems: z
          .array(z.object({ field: z.string(), code: z.enum(REJECTION_CODES), params: z.record(z.string(), z.union([z.string(), z.number()])) }))
          .openapi({ description: 'Each problem as a code with parameters, for a translated message (invalid: params.text is the message)' }),
        externalId: z.string().nullable(),
      }),
    ),
  })
  .openapi('ImportRejections');
