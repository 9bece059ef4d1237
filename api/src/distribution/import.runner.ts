// Runs a CSV import: the file is streamed through papaparse (never held in memory), records are mapped and
// checked, and every 2,000 records are stored in one transaction together with the import's progress and
// the batch's rejected rows. A restart resumes after the last committed batch.
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import type { SqlClient } from '../queue/queue.ts';
import { targetSurvey, type RentalRow } from './ingest.ts';
import { recordToRental, type ColumnMapping, type ImportOptions, type RecordProblem } from './import.mapping.ts';
import { ingestBatch } from './rentals.queries.ts';
import { refreshSegments } from './segments.ts';
import { tokenSecret } from './tokens.ts';
import { wakeSender } from './worker-signal.ts';

export const IMPORT_BATCH = 2000;

/** Bytes → text (UTF-8 or GB18030, as detected at upload), without a byte-order mark. */
export function decoder(encoding: string): Transform {
  const text = new TextDecoder(encoding === 'gb18030' ? 'gb18030' : 'utf-8', { ignoreBOM: false });
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/**
 * Records of a CSV file, header first. papaparse parses each chunk of text as it arrives (its `chunk`
 * callback: all rows of a chunk at once); when the consumer falls behind, the file stream is paused —
 * never papaparse itself, whose pause / resume re-parses the rest of a chunk.
 */
export async function* csvRecords(path: string, encoding: string, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (onBytes) file.on('data', (chunk) => onBytes((chunk as Buffer).length));
  const text = file.pipe(decoder(encoding));
  const chunks: string[][][] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  file.on('error', (error) => {
    failure = error;
    signal();
  });
  Papa.parse<string[], NodeJS.ReadableStream>(text, {
    skipEmptyLines: 'greedy',
    chunk: (results: Papa.ParseResult<string[]>) => {
      chunks.push(results.data);
      if (chunks.length >= 4) text.pause();
      signal();
    },
    complete: () => {
      finished = true;
      signal();
    },
    error: (error: Error) => {
      failure = error;
      signal();
    },
  });
  try {
    for (;;) {
      const rows = chunks.shift();
      if (rows) {
        if (chunks.length < 2 && text.isPaused()) text.resume();
        yield* rows;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    file.destroy();
  }
}

interface ImportRow {
  id: string;
  status: string;
  file_path: string;
  mapping: ColumnMapping | null;
  options: (ImportOptions & { encoding?: string }) | null;
  rows_done: number;
  elapsed_ms: number;
  bytes_done: number;
}

interface Pending {
  rowNumber: number;
  row?: RentalRow;
  problem?: RecordProblem;
}

/**
 * Runs (or resumes) an import to the end. Safe to call again after a crash or for a finished import.
 * `refreshSegments: false` leaves the customer segments to the worker's next refresh (benchmarks).
 */
export async function runImport(deps: AppDeps, importId: string, run: { refreshSegments?: boolean } = {}): Promise<void> {
  const sql = deps.sql;
  const [job] = await sql<ImportRow[]>`
    select id, status, file_path, mapping, options, rows_done, elapsed_ms, bytes_done from import_jobs where id = ${importId}`;
  if (!job || job.status === 'done' || job.status === 'uploaded' || !job.mapping) return;
  const options = { timeZone: job.options?.timeZone ?? deps.env.COMPANY_TIME_ZONE };
  const encoding = job.options?.encoding ?? 'utf-8';
  await sql`
    update import_jobs set status = 'running', started_at = coalesce(started_at, ${deps.now().toISOString()}), error = null, updated_at = now()
    where id = ${importId}`;

  const clockStart = performance.now();
  const elapsedBefore = Number(job.elapsed_ms);
  const elapsed = () => Math.round(elapsedBefore + performance.now() - clockStart);
  const target = await targetSurvey(sql);
  const secret = tokenSecret(deps.env);
  let bytesRead = 0;
  let pending: Pending[] = [];
  let rowNumber = 0;
  const skip = job.rows_done;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const rows = batch.filter((p) => p.row);
    const lastRow = batch[batch.length - 1].rowNumber;
    const bytes = bytesRead;
    await ingestBatch(
      deps.db,
      { now: deps.now(), tokenSecret: secret, updateCustomerFacts: false },
      rows.map((p) => p.row!),
      async (tx: SqlClient, summary) => {
        const rejections: { row_number: number; fields: string[]; reason: string; external_id: string | null }[] = [];
        for (const p of batch) if (p.problem) rejections.push({ row_number: p.rowNumber, fields: p.problem.fields, reason: p.problem.reason, external_id: p.problem.externalId });
        const count = { created: 0, updated: 0, unchanged: 0 };
        summary.results.forEach((r, i) => {
          if (r.status === 'rejected') {
            rejections.push({
              row_number: rows[i].rowNumber,
              fields: (r.errors ?? []).map((e) => e.path),
              reason: (r.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ') || (r.reason ?? 'rejected'),
              external_id: rows[i].row!.externalId,
            });
          } else count[r.status]++;
        });
        if (rejections.length > 0) {
          await tx`
            insert into import_rejections (import_id, row_number, fields, reason, external_id)
            select ${importId}, x.row_number, array(select jsonb_array_elements_text(x.fields)), x.reason, x.external_id
            from jsonb_to_recordset(${JSON.stringify(rejections)}::jsonb) as x(row_number int, fields jsonb, reason text, external_id text)
            on conflict (import_id, row_number) do nothing`;
        }
        await tx`
          update import_jobs set
            rows_done = ${lastRow},
            rows_created = rows_created + ${count.created}, rows_updated = rows_updated + ${count.updated},
            rows_unchanged = rows_unchanged + ${count.unchanged}, rows_rejected = rows_rejected + ${rejections.length},
            invitations_created = invitations_created + ${summary.invitationsCreated},
            bytes_done = greatest(bytes_done, ${bytes}), elapsed_ms = ${elapsed()}, updated_at = now()
          where id = ${importId}`;
        if (summary.invitationsCreated > 0) queueMicrotask(wakeSender);
      },
      target,
    );
  };

  try {
    let header = true;
    for await (const record of csvRecords(job.file_path, encoding, (n) => (bytesRead += n))) {
      if (header) {
        header = false;
        continue;
      }
      rowNumber++;
      if (rowNumber <= skip) continue;
      const converted = recordToRental(record, job.mapping, options);
      pending.push('row' in converted ? { rowNumber, row: converted.row } : { rowNumber, problem: converted.problem });
      if (pending.length >= IMPORT_BATCH) await flush();
    }
    await flush();
    await sql`
      update import_jobs set status = 'done', finished_at = ${deps.now().toISOString()}, bytes_done = bytes_total, elapsed_ms = ${elapsed()}, updated_at = now()
      where id = ${importId}`;
    // An uploaded copy is not needed any more (files elsewhere, e.g. a benchmark's, are left alone).
    if (path.resolve(job.file_path).startsWith(path.resolve(deps.env.IMPORT_DIR) + path.sep)) await unlink(job.file_path).catch(() => {});
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn(`import ${importId} stopped: ${message}`);
    await sql`update import_jobs set status = 'failed', error = ${message.slice(0, 500)}, elapsed_ms = ${elapsed()}, updated_at = now() where id = ${importId}`;
    throw error;
  }
  // The imported history changes value tiers and new / returning: refreshed right after the import.
  if (run.refreshSegments !== false) await refreshSegments(sql, deps.now());
}
