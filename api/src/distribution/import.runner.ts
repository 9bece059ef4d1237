// Runs a CSV import: the file is streamed through papaparse (never held in memory), records are mapped and
// checked, and every IMPORT_BATCH records are stored in one transaction together with the import's progress and
// the batch's rejected rows. A restart resumes after the last committed batch.
// The runner holds a lease on the import (runner_id, heartbeat every few seconds): when a process dies
// mid-import (kill -9), its heartbeat goes stale and the worker's sweep (resumeStaleImports) queues the
// import again within IMPORT_STALE_MS, instead of waiting hours for the queue job to expire. Each batch
// commits only while the lease is still this runner's, so two runners never count a batch twice.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { encodeProblems } from './import.reasons.ts';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { databaseUnavailableCode } from '../db/client.ts';
import { insertJobs, txSql, type SqlClient } from '../queue/queue.ts';
import { ingestImportRows, invitationTargets, type ImportBatchSummary, type IngestSummary, type RentalRow } from './ingest.ts';
import { recordToRental, type RecordProblem } from './import.mapping.ts';
import {
  beatImport,
  claimImport,
  failImport,
  finishImport,
  importToRun,
  insertRejections,
  markImportStarted,
  recordBatchProgress,
  requeueStaleImports,
} from './import.queries.ts';
import { IMPORT_QUEUE } from './queues.ts';
import { ingestBatch } from './rentals.queries.ts';
import { refreshSegments } from './segments.ts';
import { tokenSecret } from './tokens.ts';
import { wakeSender } from './worker-signal.ts';

export const IMPORT_BATCH = 10_000;
/** How often a runner renews its lease, and how old a lease may get before the import is taken over. */
export const IMPORT_HEARTBEAT_MS = 5_000;
export const IMPORT_STALE_MS = 30_000;

/** The lease was taken over by another runner (this one was presumed dead): stop without writing. */
class ImportLeaseLost extends Error {
  override name = 'ImportLeaseLost';
}

/**
 * Imports whose runner stopped beating go back to the queue (at start-up and every few seconds, from the
 * distribution worker); returns how many.
 */
export async function resumeStaleImports(deps: Pick<AppDeps, 'sql'>, staleMs = IMPORT_STALE_MS): Promise<number> {
  return deps.sql.begin(async (tx) => {
    const ids = await requeueStaleImports(tx, staleMs);
    if (ids.length > 0) {
      await insertJobs(
        tx,
        ids.map((importId) => ({ name: IMPORT_QUEUE, data: { importId } })),
      );
      log.warn(`resuming ${ids.length} interrupted import(s) from their last committed batch`);
    }
    return ids.length;
  });
}

/**
 * Bytes → text (UTF-8 or GB18030, as detected at upload), without a byte-order mark. The text goes out as
 * strings (object mode), so papaparse does not get it back as bytes to decode once more.
 */
export function decoder(encoding: string): Transform {
  const text = new TextDecoder(encoding === 'gb18030' ? 'gb18030' : 'utf-8', { ignoreBOM: false });
  return new Transform({
    readableObjectMode: true,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      const rest = text.decode();
      done(null, rest === '' ? undefined : rest);
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

/** The row-wise path's per-row results as the counts of a batch. */
function summaryCounts(summary: IngestSummary): ImportBatchSummary {
  const outcome: ImportBatchSummary = { created: 0, updated: 0, unchanged: 0, rejected: [], invitationsCreated: summary.invitationsCreated };
  summary.results.forEach((r, index) => {
    if (r.status === 'rejected') outcome.rejected.push({ index, errors: r.errors ?? [], reason: r.reason });
    else outcome[r.status]++;
  });
  return outcome;
}

interface Pending {
  rowNumber: number;
  row?: RentalRow;
  problem?: RecordProblem;
}

/**
 * Runs (or resumes) an import to the end. Safe to call again after a crash or for a finished import.
 * `refreshSegments: false` leaves the customer segments to the worker's next refresh (benchmarks); `batchSize`
 * (tests) stores fewer rows per transaction than IMPORT_BATCH; `timings` adds up the time of each step (benchmarks).
 */
export async function runImport(
  deps: AppDeps,
  importId: string,
  run: { refreshSegments?: boolean; batchSize?: number; timings?: Record<string, number> } = {},
): Promise<void> {
  const sql = deps.sql;
  const job = await importToRun(sql, importId);
  if (!job || job.status === 'done' || job.status === 'uploaded' || !job.mapping) return;
  const options = { timeZone: job.options?.timeZone ?? deps.env.COMPANY_TIME_ZONE };
  const encoding = job.options?.encoding ?? 'utf-8';
  // Another live runner has it (a duplicate queue job): nothing to do here.
  const runnerId = randomUUID();
  if (!(await claimImport(sql, importId, runnerId, IMPORT_STALE_MS))) return;
  await markImportStarted(sql, importId, deps.now());
  let leaseLost = false;
  const heartbeat = setInterval(() => {
    beatImport(sql, importId, runnerId)
      .then((held) => (leaseLost ||= !held))
      .catch(() => {}); // the database is away: the next beat (or the batch commit) tells
  }, IMPORT_HEARTBEAT_MS);
  heartbeat.unref?.();

  const clockStart = performance.now();
  const elapsedBefore = Number(job.elapsed_ms);
  const elapsed = () => Math.round(elapsedBefore + performance.now() - clockStart);
  const targets = await invitationTargets(sql);
  const secret = tokenSecret(deps.env);
  let bytesRead = 0;
  let pending: Pending[] = [];
  let rowNumber = 0;
  const skip = job.rows_done;

  const ctx = { now: deps.now(), tokenSecret: secret, updateCustomerFacts: false, timings: run.timings };
  /** The batch's rejected rows and progress, in the batch's transaction, under this runner's lease. */
  const commitBatch = async (tx: SqlClient, batch: Pending[], rows: Pending[], outcome: ImportBatchSummary, bytes: number) => {
    const rejections: { row_number: number; fields: string[]; reason: string; external_id: string | null }[] = [];
    for (const p of batch)
      if (p.problem)
        rejections.push({ row_number: p.rowNumber, fields: p.problem.fields, reason: encodeProblems(p.problem.problems), external_id: p.problem.externalId });
    for (const r of outcome.rejected) {
      const errors = r.errors;
      rejections.push({
        row_number: rows[r.index].rowNumber,
        fields: errors.map((e) => e.path),
        reason: encodeProblems(
          errors.length > 0
            ? errors.map((e) => ({ field: e.path, code: e.code ?? 'invalid', params: e.params ?? { text: e.message } }))
            : [{ field: '', code: 'invalid', params: { text: r.reason ?? 'rejected' } }],
        ),
        external_id: rows[r.index].row!.externalId,
      });
    }
    rejections.sort((a, b) => a.row_number - b.row_number);
    await insertRejections(tx, importId, rejections);
    const held = await recordBatchProgress(tx, importId, runnerId, {
      lastRow: batch[batch.length - 1].rowNumber,
      created: outcome.created,
      updated: outcome.updated,
      unchanged: outcome.unchanged,
      rejected: rejections.length,
      invitations: outcome.invitationsCreated,
      bytes,
      elapsedMs: elapsed(),
    });
    // Rolls the whole batch back: the runner that took over stores these rows itself.
    if (!held) throw new ImportLeaseLost('the import was taken over by another runner');
    if (outcome.invitationsCreated > 0) queueMicrotask(wakeSender);
  };

  // One batch is stored while the next is read and checked (two batches in memory at most); batches still
  // commit one after the other, in file order.
  let storing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await storing;
    if (leaseLost) throw new ImportLeaseLost('the import was taken over by another runner');
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    storing = store(batch, bytesRead);
    // A failure surfaces at the next flush; it must not also count as unhandled meanwhile.
    storing.catch(() => {});
  };

  const store = async (batch: Pending[], bytes: number) => {
    const rows = batch.filter((p) => p.row);
    try {
      // The set-based path: staging table, one statement per table for the whole batch.
      await deps.db.transaction(async (t) => {
        const tx = txSql(t);
        const outcome = await ingestImportRows(
          tx,
          ctx,
          rows.map((p) => p.row!),
          targets,
        );
        await commitBatch(tx, batch, rows, outcome, bytes);
      });
    } catch (error) {
      // A refusal by the database (a value it will not store, a deadlock): the batch again on the row-wise
      // path, which retries deadlocks and rejects only the rows the database refuses (a savepoint each).
      if (error instanceof ImportLeaseLost || !(error as { severity?: string }).severity) throw error;
      log.warn(
        `import ${importId}: batch ending at row ${batch[batch.length - 1].rowNumber} goes row by row (${(error as { code?: string }).code ?? 'database error'})`,
      );
      await ingestBatch(
        deps.db,
        ctx,
        rows.map((p) => p.row!),
        (tx, summary) => commitBatch(tx, batch, rows, summaryCounts(summary), bytes),
        targets,
      );
    }
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
      if (pending.length >= (run.batchSize ?? IMPORT_BATCH)) await flush();
    }
    await flush();
    await storing;
    if (!(await finishImport(sql, importId, runnerId, deps.now(), elapsed()))) throw new ImportLeaseLost('the import was taken over by another runner');
    // An uploaded copy is not needed any more (files elsewhere, e.g. a benchmark's, are left alone).
    if (path.resolve(job.file_path).startsWith(path.resolve(deps.env.IMPORT_DIR) + path.sep)) await unlink(job.file_path).catch(() => {});
  } catch (error) {
    await storing.catch(() => {}); // the batch in flight commits or rolls back first
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ImportLeaseLost) {
      log.warn(`import ${importId}: ${message}; this runner stops`);
      return;
    }
    // Database away: the import stays `running` and its stale heartbeat brings it back once it returns.
    const unavailable = databaseUnavailableCode(error);
    log.warn(`import ${importId} stopped: ${unavailable ? `database unavailable (${unavailable})` : message}`);
    if (!unavailable) {
      await failImport(sql, importId, runnerId, message.slice(0, 500), elapsed());
    }
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
  // The imported history changes value tiers and new / returning: refreshed right after the import.
  if (run.refreshSegments !== false) await refreshSegments(sql, deps.now());
}
