import type { SqlClient } from '../queue/queue.ts';

export interface ImportJobRow {
  id: string;
  file_name: string;
  file_path: string;
  status: 'uploaded' | 'queued' | 'running' | 'done' | 'failed';
  bytes_total: string | number;
  bytes_done: string | number;
  header: string[];
  mapping: Record<string, number> | null;
  options: Record<string, unknown> | null;
  rows_done: number;
  rows_created: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  invitations_created: number;
  elapsed_ms: string | number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  created_at: string;
}

const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);

export function importJobBody(row: ImportJobRow) {
  const elapsed = Number(row.elapsed_ms);
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    bytesTotal: Number(row.bytes_total),
    bytesDone: Math.min(Number(row.bytes_done), Number(row.bytes_total)),
    header: row.header,
    mapping: row.mapping,
    rowsDone: row.rows_done,
    rowsCreated: row.rows_created,
    rowsUpdated: row.rows_updated,
    rowsUnchanged: row.rows_unchanged,
    rowsRejected: row.rows_rejected,
    invitationsCreated: row.invitations_created,
    rowsPerSecond: elapsed > 0 && row.rows_done > 0 ? Math.round((row.rows_done / elapsed) * 1000) : null,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    error: row.error,
    createdAt: iso(row.created_at)!,
  };
}

export async function getImportJob(sql: SqlClient, id: string): Promise<ImportJobRow | undefined> {
  const [row] = await sql<ImportJobRow[]>`select * from import_jobs where id = ${id}`;
  return row;
}

export async function listImportJobs(sql: SqlClient, limit = 20): Promise<ImportJobRow[]> {
  return sql<ImportJobRow[]>`select * from import_jobs order by created_at desc limit ${limit}`;
}

export async function listRejections(sql: SqlClient, id: string, offset: number, limit: number) {
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from import_rejections where import_id = ${id}`;
  const items = await sql<{ row_number: number; fields: string[]; reason: string; external_id: string | null }[]>`
    select row_number, fields, reason, external_id from import_rejections where import_id = ${id}
    order by row_number offset ${offset} limit ${limit}`;
  return { total, items: items.map((r) => ({ row: r.row_number, fields: r.fields, reason: r.reason, externalId: r.external_id })) };
}
