// pg-boss 10 in the application's own database, shared by every domain. Its schema (`pgboss`) and the
// queues are created by the SQL migrations, so a job can be inserted in the same transaction as the rows
// it belongs to (`insertJobs(tx, …)`): the job exists exactly when that transaction commits.
import PgBoss from 'pg-boss';
import type postgres from 'postgres';
import type { Database, Sql } from '../db/client.ts';
import { log } from '../lib/logger.ts';

export type { PgBoss };
export type SqlClient = Sql | postgres.TransactionSql;
type DrizzleTx = Parameters<Parameters<Database['transaction']>[0]>[0];

// Values as text the way pg (node-postgres) would send them: arrays (job ids) as array literals,
// objects (job output) as JSON, dates as ISO strings; the statements cast them.
const arrayLiteral = (items: unknown[]) => `{${items.map((x) => `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

/** pg-boss's `db` option over a postgres.js client or transaction. */
export function bossDb(sql: SqlClient): PgBoss.Db {
  return {
    executeSql: async (text, values = []) => {
      // Maintenance and migrations come as one "BEGIN; …; COMMIT;" script: run it as a transaction of ours.
      const script = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/.exec(text);
      if (script) {
        const run = (tx: SqlClient) => tx.unsafe(script[1]).simple();
        if ('savepoint' in sql) await run(sql);
        else await (sql as Sql).begin((tx) => run(tx as unknown as SqlClient));
        return { rows: [] };
      }
      const rows = await sql.unsafe(
        text,
        values.map((v) =>
          v === undefined || v === null
            ? null
            : Array.isArray(v)
              ? arrayLiteral(v)
              : v instanceof Date
                ? v.toISOString()
                : typeof v === 'object'
                  ? JSON.stringify(v)
                  : v,
        ),
      );
      return { rows: [...rows] };
    },
  };
}

/** The postgres.js transaction under a drizzle transaction, for raw SQL and job inserts in it. */
export function txSql(tx: DrizzleTx | Database): SqlClient {
  const client = (tx as unknown as { session?: { client?: SqlClient } }).session?.client;
  if (!client) throw new Error('not a postgres.js drizzle database or transaction');
  return client;
}

// Never started: only builds the INSERT; every insert names the connection it runs on.
let producer: PgBoss | undefined;
function jobProducer(): PgBoss {
  producer ??= new PgBoss({ db: { executeSql: async () => ({ rows: [] }) }, migrate: false, supervise: false, schedule: false });
  return producer;
}

const knownQueues = new Set<string>();

/**
 * Inserts jobs on the given connection — pass a transaction to make them part of it. Fails when a queue
 * does not exist (pg-boss would drop such a job silently).
 */
export async function insertJobs(sql: SqlClient, jobs: PgBoss.JobInsert[]): Promise<void> {
  if (jobs.length === 0) return;
  const names = [...new Set(jobs.map((j) => j.name))].filter((n) => !knownQueues.has(n));
  if (names.length > 0) {
    const found = await sql<{ name: string }[]>`select name from pgboss.queue where name = any(${names}::text[])`;
    for (const { name } of found) knownQueues.add(name);
    const missing = names.filter((n) => !knownQueues.has(n));
    if (missing.length > 0) throw new Error(`pg-boss queue missing: ${missing.join(', ')}`);
  }
  // json_to_recordset over one parameter: chunks keep the statement size reasonable.
  for (let i = 0; i < jobs.length; i += 5000) {
    await jobProducer().insert(jobs.slice(i, i + 5000), { db: bossDb(sql) });
  }
}

export interface QueueRuntimeOptions {
  maintenanceIntervalSeconds: number;
}

/** A started pg-boss on the application's connection pool: maintenance (expiring crashed jobs), fetch, complete, fail. */
export async function startBoss(sql: Sql, options: QueueRuntimeOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDb(sql),
    migrate: true,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
  });
  boss.on('error', (error) => log.warn(`queue: ${error.message}`));
  await boss.start();
  return boss;
}

export interface ConsumerOptions {
  batchSize: number;
  concurrency: number;
  pollMs: number;
  /**
   * Fetch the next batch while the lanes still hold the last jobs of this one (for short jobs: a fetched
   * job waits at most about one batch before it starts, far below its expiry).
   */
  prefetch?: boolean;
}

export interface Consumer {
  /** Skip the wait before the next fetch (new jobs were just queued). */
  notify(): void;
  /** Fetches and handles jobs until the queue has none that are due; resolves with how many were handled. */
  drain(): Promise<number>;
  /** Stops fetching and waits for the jobs in hand. */
  stop(): Promise<void>;
}

/**
 * A polling consumer: fetches a batch, handles up to `concurrency` jobs at a time, completes or fails each
 * one. pg-boss retries failed jobs with its backoff and moves them to the dead-letter queue after the
 * last attempt; a job whose process died stays active until it expires and is then retried.
 */
export function consume<T extends object>(
  boss: PgBoss,
  name: string,
  options: ConsumerOptions,
  handler: (job: PgBoss.JobWithMetadata<T>) => Promise<void>,
  { autoStart = true }: { autoStart?: boolean } = {},
): Consumer {
  let stopping = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  // Outcomes that could not be recorded (the database went away meanwhile): recorded before the next
  // fetch, so these jobs go on (retry or done) as soon as the database is back, not when they expire.
  let unsettledDone: string[] = [];
  const unsettledFailed = new Map<string, string>();

  async function settle() {
    if (unsettledDone.length > 0) {
      await boss.complete(name, unsettledDone);
      unsettledDone = [];
    }
    for (const [id, message] of unsettledFailed) {
      await boss.fail(name, id, { message });
      unsettledFailed.delete(id);
    }
  }

  /**
   * Handles jobs until none is due: up to `concurrency` at a time; a lane with nothing left fetches the next
   * batch without waiting for the slowest job of the previous one (with `prefetch`, before the lanes run
   * dry); finished jobs are completed in groups of up to a batch. Resolves with how many jobs were handled.
   */
  async function pump(): Promise<number> {
    await settle();
    const pending: PgBoss.JobWithMetadata<T>[] = [];
    let fetching: Promise<void> | null = null;
    let exhausted = false;
    let handled = 0;
    let done: string[] = [];
    const completing: Promise<void>[] = [];
    const refill = () => {
      if (fetching || exhausted || stopping) return;
      fetching = boss
        .fetch<T>(name, { batchSize: options.batchSize, includeMetadata: true })
        .then(
          (jobs) => {
            if (jobs.length === 0) exhausted = true;
            pending.push(...jobs);
          },
          (error) => {
            exhausted = true;
            log.warn(`queue ${name}: ${error instanceof Error ? error.message : error}`);
          },
        )
        .finally(() => {
          fetching = null;
        });
    };
    const complete = () => {
      if (done.length === 0) return;
      const ids = done;
      done = [];
      completing.push(
        boss.complete(name, ids).then(
          () => undefined,
          (e) => {
            log.warn(`queue ${name}: could not record finished jobs yet: ${e instanceof Error ? e.message : e}`);
            unsettledDone.push(...ids);
          },
        ),
      );
    };
    const lane = async () => {
      for (;;) {
        if (pending.length === 0 || (options.prefetch && pending.length <= options.concurrency)) refill();
        const job = pending.shift();
        if (!job) {
          if (!fetching) return;
          await fetching;
          continue;
        }
        handled++;
        try {
          await handler(job);
          done.push(job.id);
          if (done.length >= options.batchSize) complete();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await boss.fail(name, job.id, { message }).catch((e) => {
            log.warn(`queue ${name}: could not record a failed job yet: ${e instanceof Error ? e.message : e}`);
            unsettledFailed.set(job.id, message);
          });
        }
      }
    };
    refill();
    await fetching;
    if (pending.length === 0) return 0;
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    complete();
    await Promise.all(completing);
    return handled;
  }

  async function run() {
    while (!stopping) {
      let handled = 0;
      try {
        handled = await pump();
      } catch (error) {
        log.warn(`queue ${name}: ${error instanceof Error ? error.message : error}`);
      }
      if (handled === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  if (autoStart) loop = run();

  return {
    notify: () => wake?.(),
    async drain() {
      let total = 0;
      for (;;) {
        const n = await pump();
        total += n;
        if (n === 0) return total;
      }
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
