import type { Database } from '../db/client.ts';
import { insertJobs, txSql, type SqlClient } from '../queue/queue.ts';
import type { ColumnMapping, ImportOptions } from './import.mapping.ts';
import { decodeProblems, problemsText } from './import.reasons.ts';
import { IMPORT_QUEUE } from './queues.ts';
import { rentalDiffers, setRentalFields } from './ingest.queries.ts';

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

/** An uploaded file waiting for its column mapping. */
export async function createImportJob(
  sql: SqlClient,
  job: { id: string; fileName: string; filePath: string; size: number; header: string[]; encoding: string },
): Promise<ImportJobRow> {
  const [row] = await sql<ImportJobRow[]>`
    insert into import_jobs (id, file_name, file_path, bytes_total, status, header, options, created_at, updated_at)
    values (${job.id}, ${job.fileName}, ${job.filePath}, ${job.size}, 'uploaded', ${JSON.stringify(job.header)}::jsonb, ${JSON.stringify({ encoding: job.encoding })}::jsonb, now(), now())
    returning *`;
  return row;
}

/**
 * Stores the mapping and queues the import's job in one transaction; undefined when the import is no longer
 * uploaded or failed (another request started it meanwhile).
 */
export async function queueImportJob(
  db: Database,
  id: string,
  mapping: Record<string, number | undefined>,
  options: Record<string, unknown>,
): Promise<ImportJobRow | undefined> {
  return db.transaction(async (tx) => {
    const sql = txSql(tx);
    const [updated] = await sql<ImportJobRow[]>`
      update import_jobs set status = 'queued', mapping = ${JSON.stringify(mapping)}::jsonb, options = ${JSON.stringify(options)}::jsonb, updated_at = now()
      where id = ${id} and status in ('uploaded', 'failed')
      returning *`;
    if (!updated) return undefined;
    await insertJobs(sql, [{ name: IMPORT_QUEUE, data: { importId: id } }]);
    return updated;
  });
}

export async function listImportJobs(sql: SqlClient, limit = 20): Promise<ImportJobRow[]> {
  return sql<ImportJobRow[]>`select * from import_jobs order by created_at desc limit ${limit}`;
}

export async function listRejections(sql: SqlClient, id: string, offset: number, limit: number) {
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from import_rejections where import_id = ${id}`;
  const items = await sql<{ row_number: number; fields: string[]; reason: string; external_id: string | null }[]>`
    select row_number, fields, reason, external_id from import_rejections where import_id = ${id}
    order by row_number offset ${offset} limit ${limit}`;
  return {
    total,
    items: items.map((r) => {
      const problems = decodeProblems(r.reason);
      return { row: r.row_number, fields: r.fields, reason: problemsText(problems), problems, externalId: r.external_id };
    }),
  };
}

// The runner's lease on an import (columns runner_id, heartbeat_at): one process runs an import at a time,
// and one whose runner stopped beating is taken over (api/src/distribution/import.runner.ts).

/** Takes the import for this runner unless another runner's heartbeat is fresher than `staleMs`. */
export async function claimImport(sql: SqlClient, importId: string, runnerId: string, staleMs: number): Promise<boolean> {
  const rows = await sql`
    update import_jobs set runner_id = ${runnerId}, heartbeat_at = now(), status = 'running', error = null, updated_at = now()
    where id = ${importId} and status in ('queued', 'running', 'failed')
      and (runner_id is null or runner_id = ${runnerId} or heartbeat_at is null
           or heartbeat_at < now() - make_interval(secs => ${staleMs / 1000}))
    returning id`;
  return rows.length === 1;
}

/** The runner is alive; false when its lease was taken over meanwhile. */
export async function beatImport(sql: SqlClient, importId: string, runnerId: string): Promise<boolean> {
  const rows = await sql`update import_jobs set heartbeat_at = now() where id = ${importId} and runner_id = ${runnerId} and status = 'running' returning id`;
  return rows.length === 1;
}

/**
 * Imports left `running` by a runner that stopped beating more than `staleMs` ago go back to `queued`,
 * with a new queue job, in one transaction; returns their ids.
 */
export async function requeueStaleImports(sql: SqlClient, staleMs: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    update import_jobs set status = 'queued', runner_id = null, updated_at = now()
    where status = 'running' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${staleMs / 1000}))
    returning id`;
  return rows.map((r) => r.id);
}

// ── The set-based path of an import batch (api/src/distribution/ingest.ts, ingestImportRows) ─────────────
// The batch's checked rows are copied into a temporary table of this session (emptied at commit), and
// branches, customers and rentals are then resolved and written with one statement each.

/** A customer of the batch (its rows merged), as copied into the staging table. */
export interface StageCustomer {
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferredLanguage: string | null;
  consentEmail: boolean | null;
  consentSms: boolean | null;
  customerType: string | null;
  memberLevel: string | null;
}

/** A rental row of the batch, its customer and branches resolved, as copied into the staging table. */
export interface StageRental {
  n: number;
  /** How many rows of the same rental come before it in the batch (an upsert touches a row once). */
  round: number;
  externalId: string;
  customerId: string;
  pickupBranchId: string;
  returnBranchId: string;
  vehicleClass: string;
  pickedUpAt: Date;
  returnedAt: Date;
  amount: number;
  bookingChannel: string;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const copyText = (v: string | null) =>
  v === null ? '\\N' : COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
const copyBool = (v: boolean | null) => (v === null ? '\\N' : v ? 't' : 'f');

async function copyInto<T>(copy: Promise<import('node:stream').Writable>, rows: T[], line: (row: T) => string) {
  const writable = await copy;
  const done = new Promise<void>((resolve, reject) => {
    writable.on('finish', resolve);
    writable.on('error', reject);
  });
  let chunk = '';
  for (const r of rows) {
    chunk += line(r);
    if (chunk.length > 1 << 16) {
      if (!writable.write(chunk)) await new Promise((resolve) => writable.once('drain', resolve));
      chunk = '';
    }
  }
  writable.end(chunk);
  await done;
}

/**
 * The session's staging tables (temporary, emptied at every commit or rollback), and the planner settings
 * for the staged statements, in one round trip. The staged statements join a few thousand staged rows to
 * tables of millions by their keys: index probes are the plan. The staging tables have no statistics (an
 * ANALYZE per batch costs more than the lookups), and with estimates alone the planner may hash a whole
 * table for them: until planAsConfigured, within the batch's transaction, it may not.
 */
export async function prepareStaging(sql: SqlClient): Promise<void> {
  await sql.unsafe(`
    create temp table if not exists import_stage_customers (
      external_id text not null, name text, email text, phone text, preferred_language text, consent_email boolean, consent_sms boolean,
      customer_type text, member_level text
    ) on commit delete rows;
    create temp table if not exists import_stage_rentals (
      n int not null, round int not null, external_id text not null, customer_id uuid not null, pickup_branch_id uuid not null,
      return_branch_id uuid not null, vehicle_class text not null, picked_up_at timestamptz not null, returned_at timestamptz not null,
      amount numeric not null, booking_channel text not null
    ) on commit delete rows;
    select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`);
}

/** The planner's own settings again (after prepareStaging). */
export async function planAsConfigured(sql: SqlClient): Promise<void> {
  await sql`select set_config(name, reset_val, true) from pg_settings where name in ('enable_hashjoin', 'enable_mergejoin')`;
}

/** Copies a batch's customers into their staging table (COPY FROM STDIN). */
export async function stageCustomers(sql: SqlClient, customers: StageCustomer[]): Promise<void> {
  await copyInto(
    sql`copy import_stage_customers (external_id, name, email, phone, preferred_language, consent_email, consent_sms, customer_type, member_level) from stdin`.writable(),
    customers,
    (c) =>
      `${copyText(c.externalId)}\t${copyText(c.name)}\t${copyText(c.email)}\t${copyText(c.phone)}\t${copyText(c.preferredLanguage)}\t${copyBool(c.consentEmail)}\t${copyBool(c.consentSms)}\t${copyText(c.customerType)}\t${copyText(c.memberLevel)}\n`,
  );
}

/** Copies a batch's rentals, their customers and branches resolved, into their staging table. */
export async function stageRentals(sql: SqlClient, rentals: StageRental[]): Promise<void> {
  await copyInto(
    sql`copy import_stage_rentals (n, round, external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel) from stdin`.writable(),
    rentals,
    (r) =>
      `${r.n}\t${r.round}\t${copyText(r.externalId)}\t${r.customerId}\t${r.pickupBranchId}\t${r.returnBranchId}\t${copyText(r.vehicleClass)}\t${r.pickedUpAt.toISOString()}\t${r.returnedAt.toISOString()}\t${r.amount}\t${copyText(r.bookingChannel)}\n`,
  );
}

/** Every branch (id, code, region, zone): an import resolves its rows' branch codes against them. */
export async function branchesByCode(sql: SqlClient) {
  const rows = await sql<{ id: string; code: string; region: string; time_zone: string }[]>`select id, code, region, time_zone from branches`;
  return new Map(rows.map((b) => [b.code, { id: b.id, code: b.code, region: b.region, timeZone: b.time_zone }]));
}

/**
 * Upserts the staged customers like ingest's upsertCustomers: the fields given, known customers updated only
 * when something differs, new ones inserted. Each staged customer is looked up once; an unchanged one costs
 * that lookup only. Returns the id of each (one inserted meanwhile by another transaction is missing).
 */
export async function upsertStagedCustomers(sql: SqlClient): Promise<{ external_id: string; id: string }[]> {
  return sql<{ external_id: string; id: string }[]>`
    with x as materialized (
      select x.*, c.id,
        (coalesce(x.name, c.name), coalesce(x.email, c.email), coalesce(x.phone, c.phone), coalesce(x.preferred_language, c.preferred_language),
         coalesce(x.consent_email, c.consent_email), coalesce(x.consent_sms, c.consent_sms), coalesce(x.customer_type, c.customer_type),
         coalesce(x.member_level, c.member_level))
          is distinct from (c.name, c.email, c.phone, c.preferred_language, c.consent_email, c.consent_sms, c.customer_type, c.member_level) as differs
      from import_stage_customers x left join customers c on c.external_id = x.external_id
    ), changed as (
      update customers c set
        name = coalesce(x.name, c.name), email = coalesce(x.email, c.email), phone = coalesce(x.phone, c.phone),
        preferred_language = coalesce(x.preferred_language, c.preferred_language),
        consent_email = coalesce(x.consent_email, c.consent_email), consent_sms = coalesce(x.consent_sms, c.consent_sms),
        customer_type = coalesce(x.customer_type, c.customer_type), member_level = coalesce(x.member_level, c.member_level),
        updated_at = now()
      from x
      where x.id is not null and x.differs and c.id = x.id
      returning c.id
    ), added as (
      insert into customers (external_id, name, email, phone, preferred_language, consent_email, consent_sms, customer_type, member_level)
      select x.external_id, x.name, x.email, x.phone, x.preferred_language, coalesce(x.consent_email, true), coalesce(x.consent_sms, false),
        coalesce(x.customer_type, 'leisure'), x.member_level
      from x where x.id is null
      on conflict (external_id) do nothing
      returning external_id, id
    )
    select x.external_id, x.id from x where x.id is not null
    union all
    select external_id, id from added`;
}

/**
 * Writes the staged rentals of one round like ingest's upsertRentals: new ones inserted (their new /
 * returning flag from the stored rentals and the round's), changed ones updated, identical ones only read.
 * Each staged row costs one lookup of its rental; an identical one nothing more.
 * Returns the created rows (by external id, `n` null) and the updated ones (with `n`), in no order;
 * `previous_customer_id`: whose rental an updated one was.
 */
export async function upsertStagedRentals(sql: SqlClient, round: number) {
  return sql<
    {
      n: number | null;
      external_id: string;
      rental_id: string;
      customer_id: string;
      status: 'created' | 'updated';
      pickup_branch_id: string;
      previous_customer_id: string | null;
    }[]
  >`
    with s as materialized (
      select y.*, r.id as rental_id, r.customer_id as previous_customer_id, r.id is null or ${sql.unsafe(rentalDiffers('r', 'y'))} as differs
      from import_stage_rentals y
      left join rentals r on r.external_id = y.external_id
      where y.round = ${round}
    ), x as materialized (
      -- only new and changed rows go on; an earlier pick-up of the same customer among them makes a new rental returning
      select s.*, s.picked_up_at > min(s.picked_up_at) over (partition by s.customer_id) as earlier
      from s where s.differs
    ), changed as (
      update rentals r set ${sql.unsafe(setRentalFields('x'))}
      from x
      where x.rental_id is not null and r.id = x.rental_id
      returning x.n, r.external_id, r.id, r.customer_id, r.pickup_branch_id, x.previous_customer_id
    ), added as (
      insert into rentals (external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel, repeat_customer)
      select f.external_id, f.customer_id, f.pickup_branch_id, f.return_branch_id, f.vehicle_class, f.picked_up_at, f.returned_at, f.amount, f.booking_channel,
        f.earlier or exists (select 1 from rentals e where e.customer_id = f.customer_id and e.picked_up_at < f.picked_up_at)
      from x f where f.rental_id is null
      on conflict (external_id) do nothing
      returning id, external_id, customer_id, pickup_branch_id
    )
    -- no join back to the staged rows: a created row is known by its external id (unique within a round)
    select null::int as n, a.external_id, a.id as rental_id, a.customer_id, 'created' as status, a.pickup_branch_id, null::uuid as previous_customer_id
    from added a
    union all
    select ch.n, ch.external_id, ch.id, ch.customer_id, 'updated', ch.pickup_branch_id, ch.previous_customer_id
    from changed ch`;
}

/**
 * New / returning after rentals were only added for these customers: an added rental makes the customer's
 * rentals picked up after it returning (returningCustomerCondition: an earlier pick-up of the same customer),
 * never one returning new, so only the rentals still marked new and picked up after the customer's earliest
 * added one (`since`) change. Rentals added by the batch already got their own flag on insert.
 */
export async function flagReturningAfterInserts(sql: SqlClient, added: { customerId: string; since: Date }[]): Promise<number> {
  if (added.length === 0) return 0;
  const result = await sql`
    update rentals r set repeat_customer = true
    from unnest(${added.map((a) => a.customerId)}::uuid[], ${added.map((a) => a.since.toISOString())}::text[]) as a(customer_id, since)
    where r.customer_id = a.customer_id and r.picked_up_at > a.since::timestamptz and not r.repeat_customer`;
  return result.count;
}

/** The rejected rows of a batch (row numbers, fields, reason codes as JSON). */
export async function insertRejections(
  sql: SqlClient,
  importId: string,
  rejections: { row_number: number; fields: string[]; reason: string; external_id: string | null }[],
) {
  if (rejections.length === 0) return;
  await sql`
    insert into import_rejections (import_id, row_number, fields, reason, external_id)
    select ${importId}, x.row_number, array(select jsonb_array_elements_text(x.fields)), x.reason, x.external_id
    from jsonb_to_recordset(${JSON.stringify(rejections)}::jsonb) as x(row_number int, fields jsonb, reason text, external_id text)
    on conflict (import_id, row_number) do nothing`;
}

/** A committed batch's progress; false when the lease is no longer this runner's. */
export async function recordBatchProgress(
  sql: SqlClient,
  importId: string,
  runnerId: string,
  p: { lastRow: number; created: number; updated: number; unchanged: number; rejected: number; invitations: number; bytes: number; elapsedMs: number },
): Promise<boolean> {
  const progressed = await sql`
    update import_jobs set
      heartbeat_at = now(),
      rows_done = ${p.lastRow},
      rows_created = rows_created + ${p.created}, rows_updated = rows_updated + ${p.updated},
      rows_unchanged = rows_unchanged + ${p.unchanged}, rows_rejected = rows_rejected + ${p.rejected},
      invitations_created = invitations_created + ${p.invitations},
      bytes_done = greatest(bytes_done, ${p.bytes}), elapsed_ms = ${p.elapsedMs}, updated_at = now()
    where id = ${importId} and runner_id = ${runnerId}`;
  return progressed.count === 1;
}

// ── One import as import.runner.ts runs it ─────────────────────────────────────────────────────────

export interface ImportToRun {
  id: string;
  status: string;
  file_path: string;
  mapping: ColumnMapping | null;
  options: (ImportOptions & { encoding?: string }) | null;
  rows_done: number;
  elapsed_ms: number;
  bytes_done: number;
}

export async function importToRun(sql: SqlClient, importId: string): Promise<ImportToRun | undefined> {
  const [job] = await sql<ImportToRun[]>`
    select id, status, file_path, mapping, options, rows_done, elapsed_ms, bytes_done from import_jobs where id = ${importId}`;
  return job;
}

export async function markImportStarted(sql: SqlClient, importId: string, at: Date) {
  await sql`update import_jobs set started_at = coalesce(started_at, ${at.toISOString()}) where id = ${importId}`;
}

/** Marks the import done when this runner still holds it; false when another runner took it over. */
export async function finishImport(sql: SqlClient, importId: string, runnerId: string, at: Date, elapsedMs: number): Promise<boolean> {
  const finished = await sql`
    update import_jobs set status = 'done', finished_at = ${at.toISOString()}, bytes_done = bytes_total, elapsed_ms = ${elapsedMs},
      runner_id = null, heartbeat_at = null, updated_at = now()
    where id = ${importId} and runner_id = ${runnerId}`;
  return finished.count === 1;
}

export async function failImport(sql: SqlClient, importId: string, runnerId: string, error: string, elapsedMs: number) {
  await sql`update import_jobs set status = 'failed', error = ${error}, elapsed_ms = ${elapsedMs}, runner_id = null, updated_at = now()
    where id = ${importId} and runner_id = ${runnerId}`;
}
