import { z } from '@hono/zod-openapi';

export const importQuerySchema = z.object({
  survey: z.uuid().openapi({ description: 'Survey the answers belong to' }),
  version: z.coerce.number().int().min(1).optional().openapi({ description: 'Published version whose question ids the columns name; default the newest' }),
  mapping: z.string().max(20_000).optional().openapi({ description: 'JSON object renaming CSV columns, e.g. {"NPS":"q_nps","Store":"branch"}' }),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Check every row, write nothing' }),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

export const importBodyDescription =
  'CSV (UTF-8, header row). Columns: finished_at (required: ISO 8601 with offset, or "YYYY-MM-DD HH:mm" in the company time zone), ' +
  'branch (code), rental (external id: fills branch and customer), customer (external id), locale; then one column per question id ' +
  '(matrix items as question.item; "other" texts as question.other; several choices separated by | or ;).';

export const importResultSchema = z
  .object({
    survey: z.uuid(),
    version: z.number().int(),
    dryRun: z.boolean(),
    rows: z.number().int().openapi({ description: 'Data rows read' }),
    imported: z.number().int(),
    rejected: z.number().int(),
    errors: z
      .array(
        z.object({
          row: z.number().int().openapi({ description: 'Row of the file; the header is row 1' }),
          errors: z.array(z.object({ path: z.string(), message: z.string() })),
        }),
      )
      .openapi({ description: 'Rejected rows (the first 1,000), each with its faults' }),
  })
  .openapi('ResponseImport');
