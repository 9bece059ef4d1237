import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Papa from 'papaparse';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';
import { badRequest, conflict, notFound, ProblemError, unprocessable } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { IMPORT_FIELDS, missingRequired, suggestMapping, type ColumnMapping } from './import.mapping.ts';
import { createImportJob, getImportJob, importJobBody, listImportJobs, listRejections, queueImportJob } from './import.queries.ts';
import type { GetImportRoute, ListImportRejectionsRoute, ListImportsRoute, PreviewImportRoute, StartImportRoute, UploadImportRoute } from './import.routes.ts';
import { isValidTimeZone } from '../lib/time-zone.ts';

const SNIFF_BYTES = 64 * 1024;

/** UTF-8 when the first bytes are valid UTF-8, otherwise GB18030 (what Excel writes for Chinese Windows). */
function sniff(head: Buffer): { encoding: 'utf-8' | 'gb18030'; text: string } {
  try {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }) };
  } catch {
    return { encoding: 'gb18030', text: new TextDecoder('gb18030').decode(head, { stream: true }) };
  }
}

async function preview(filePath: string, size: number) {
  const handle = await open(filePath, 'r');
  const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const { encoding, text } = sniff(head);
  // The last line of the sniffed bytes may be cut off: only complete lines are previewed.
  const complete = size > SNIFF_BYTES ? text.slice(0, Math.max(text.lastIndexOf('\n'), 0)) : text;
  const rows = Papa.parse<string[]>(complete, { preview: 6, skipEmptyLines: 'greedy' }).data;
  const header = (rows[0] ?? []).map((h) => h.trim());
  return { encoding, header, sample: rows.slice(1) };
}

const fields = () => IMPORT_FIELDS.map((f) => ({ key: f.key, required: f.required }));

export const uploadImport: AppRouteHandler<UploadImportRoute> = async (c) => {
  const deps = c.get('deps');
  const body = c.req.raw.body;
  if (!body) throw badRequest('Send the CSV file as the request body.');
  const id = randomUUID();
  const dir = path.resolve(deps.env.IMPORT_DIR);
  await mkdir(dir, { recursive: true });
  const filePath = path.join(dir, `${id}.csv`);
  try {
    await pipeline(Readable.fromWeb(body as unknown as WebReadableStream), createWriteStream(filePath));
  } catch (error) {
    // Over the size limit (413) or the client went away: nothing of it stays on disk.
    await unlink(filePath).catch(() => {});
    throw error;
  }
  const { size } = await stat(filePath);
  const { encoding, header, sample } = await preview(filePath, size);
  if (size === 0 || header.length < 2) {
    await unlink(filePath).catch(() => {});
    throw badRequest('The file has no header row with columns.');
  }
  const unstorable = header.flatMap((name, i) => (isStorableText(name) ? [] : [{ path: `column ${i + 1}`, row: 1, message: UNSTORABLE_TEXT_MESSAGE }]));
  if (unstorable.length > 0) {
    await unlink(filePath).catch(() => {});
    throw badRequest('The header row has characters that cannot be stored.', unstorable);
  }
  const fileName = (c.req.valid('query').fileName ?? 'rentals.csv').slice(0, 200);
  const row = await createImportJob(deps.sql, { id, fileName, filePath, size, header, encoding });
  return c.json({ ...importJobBody(row), encoding, sample, suggestedMapping: suggestMapping(header) as Record<string, number>, fields: fields() }, 201);
};

export const previewImport: AppRouteHandler<PreviewImportRoute> = async (c) => {
  const sql = c.get('deps').sql;
  const job = await getImportJob(sql, c.req.valid('param').id);
  if (!job) throw notFound('No such import');
  const size = await stat(job.file_path).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw new ProblemError(410, 'Gone', 'The uploaded file is no longer there.');
  const { encoding, sample } = await preview(job.file_path, size);
  return c.json(
    { ...importJobBody(job), encoding, sample, suggestedMapping: (job.mapping ?? suggestMapping(job.header)) as Record<string, number>, fields: fields() },
    200,
  );
};

export const startImport: AppRouteHandler<StartImportRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const { mapping, timeZone } = c.req.valid('json');
  const job = await getImportJob(deps.sql, id);
  if (!job) throw notFound('No such import');
  if (job.status !== 'uploaded' && job.status !== 'failed') throw conflict(`The import is ${job.status}.`);
  const errors = [
    ...missingRequired(mapping as ColumnMapping).map((f) => ({ path: `mapping.${f}`, message: 'required field not mapped to a column' })),
    ...Object.entries(mapping)
      .filter(([, i]) => i !== undefined && i >= job.header.length)
      .map(([f]) => ({ path: `mapping.${f}`, message: `no column ${mapping[f as keyof typeof mapping]} (the file has ${job.header.length})` })),
  ];
  const columns = Object.values(mapping);
  if (new Set(columns).size !== columns.length) errors.push({ path: 'mapping', message: 'a column is mapped to two fields' });
  if (timeZone && !isValidTimeZone(timeZone)) errors.push({ path: 'timeZone', message: 'not an IANA time zone' });
  if (errors.length > 0) throw unprocessable('The mapping cannot be used', errors);
  const options = { ...(job.options ?? {}), timeZone: timeZone ?? deps.env.COMPANY_TIME_ZONE };
  const row = await queueImportJob(deps.db, id, mapping, options);
  if (!row) throw conflict('The import was started meanwhile.');
  return c.json(importJobBody(row), 202);
};

export const getImport: AppRouteHandler<GetImportRoute> = async (c) => {
  const job = await getImportJob(c.get('deps').sql, c.req.valid('param').id);
  if (!job) throw notFound('No such import');
  return c.json(importJobBody(job), 200);
};

export const listImports: AppRouteHandler<ListImportsRoute> = async (c) => {
  const jobs = await listImportJobs(c.get('deps').sql);
  return c.json(jobs.map(importJobBody), 200);
};

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const listImportRejections: AppRouteHandler<ListImportRejectionsRoute> = async (c) => {
  const sql = c.get('deps').sql;
  const { id } = c.req.valid('param');
  const { offset, limit, format } = c.req.valid('query');
  const job = await getImportJob(sql, id);
  if (!job) throw notFound('No such import');
  if (format === 'csv') {
    const all = await listRejections(sql, id, 0, 1_000_000);
    const lines = [['row', 'external_id', 'fields', 'reason'], ...all.items.map((r) => [r.row, r.externalId ?? '', r.fields.join(' '), r.reason])];
    return c.body('\uFEFF' + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n', 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="import-${id.slice(0, 8)}-rejected.csv"`,
    });
  }
  return c.json(await listRejections(sql, id, offset, limit), 200);
};
