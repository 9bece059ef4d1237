/**
 * Rate-limit counters in PostgreSQL, so that every app process counts against the same budget: hits per
 * key in one-second buckets (table rate_limit_hits); a window is the sum of its buckets, so it slides by
 * the second. Each check is one statement.
 */
import type { Sql } from '../db/client.ts';

export type RateVerdict = { ok: true } | { ok: false; retryAfterMs: number };

const BUCKET_MS = 1000;
const SWEEP_EVERY_MS = 60_000;
/** Buckets older than this are deleted (longer than any window in use). */
const KEEP_MS = 24 * 3_600_000;

/** A bucket's start (epoch ms) and its hits. */
interface Bucket {
  bucket: number;
  hits: number;
}

const bucketOf = (at: number) => new Date(Math.floor(at / BUCKET_MS) * BUCKET_MS).toISOString();

/**
 * How long until a key over its limit may go again: until enough of its oldest hits have left the
 * window that one more fits. A bucket counts while its start is later than `at - windowMs`.
 */
export function retryAfterMs(buckets: { bucket: number; hits: number }[], limit: number, windowMs: number, at: number): number {
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((n, b) => n + b.hits, 0);
  let toDrop = total - limit + 1;
  for (const b of sorted) {
    toDrop -= b.hits;
    if (toDrop <= 0) return Math.max(1, b.bucket + windowMs - at);
  }
  return 1;
}

function verdict(n: number, limit: number, buckets: Bucket[], windowMs: number, at: number): RateVerdict {
  if (n < limit) return { ok: true };
  return { ok: false, retryAfterMs: retryAfterMs(buckets, limit, windowMs, at) };
}

/** A key that must be within its own limit for the hit to count (checked, not counted). */
export interface RateGate {
  key: string;
  limit: number;
}

/**
 * Counts a hit for the key unless the key is already at its limit within the window, or the gate key
 * (checked in the same statement, not counted) is at its limit: then the gate's verdict comes first.
 */
export async function takeHit(
  sql: Sql,
  key: string,
  limit: number,
  windowMs: number,
  at: number,
  gate?: RateGate,
  /** The pool for the occasional sweep of old buckets when `sql` is one connection in a transaction. */
  sweepWith: Sql = sql,
): Promise<RateVerdict> {
  sweepNowAndThen(sweepWith, at);
  const since = new Date(at - windowMs).toISOString();
  // Without a gate the gate's sums are over no rows (an empty key list), so its total is 0.
  const gateKeys = gate ? [gate.key] : [];
  const gateLimit = gate?.limit ?? 1;
  const [row] = await sql<{ gated: number; gateBuckets: Bucket[]; n: number; buckets: Bucket[] }[]>`
    with gate as (
      select bucket, hits from rate_limit_hits where key = any(${gateKeys}::text[]) and bucket > ${since}::timestamptz
    ), gate_total as (
      select coalesce(sum(hits), 0)::int as n from gate
    ), recent as (
      select bucket, hits from rate_limit_hits where key = ${key} and bucket > ${since}::timestamptz
    ), total as (
      select coalesce(sum(hits), 0)::int as n from recent
    ), counted as (
      insert into rate_limit_hits (key, bucket, hits)
      select ${key}, ${bucketOf(at)}::timestamptz, 1 from total, gate_total
      where total.n < ${limit}::int and gate_total.n < ${gateLimit}::int
      on conflict (key, bucket) do update set hits = rate_limit_hits.hits + 1
      returning 1
    )
    select (select n from gate_total) as gated,
           (select coalesce(json_agg(json_build_object('bucket', (extract(epoch from bucket) * 1000)::float8, 'hits', hits)), '[]'::json) from gate where (select n from gate_total) >= ${gateLimit}::int) as "gateBuckets",
           (select n from total) as n,
           (select coalesce(json_agg(json_build_object('bucket', (extract(epoch from bucket) * 1000)::float8, 'hits', hits)), '[]'::json) from recent where (select n from total) >= ${limit}::int) as buckets,
           (select count(*) from counted) as counted`;
  if (gate && row.gated >= gate.limit) return verdict(row.gated, gate.limit, row.gateBuckets, windowMs, at);
  return verdict(row.n, limit, row.buckets, windowMs, at);
}

/** Whether the key is within its limit, without counting. */
export async function checkHits(sql: Sql, key: string, limit: number, windowMs: number, at: number): Promise<RateVerdict> {
  const since = new Date(at - windowMs).toISOString();
  const buckets = await sql<Bucket[]>`
    select (extract(epoch from bucket) * 1000)::float8 as bucket, hits from rate_limit_hits where key = ${key} and bucket > ${since}::timestamptz`;
  const n = buckets.reduce((sum, b) => sum + b.hits, 0);
  return verdict(n, limit, buckets, windowMs, at);
}

/** Counts a hit for the key, whatever its count. */
export async function addHit(sql: Sql, key: string, at: number): Promise<void> {
  await sql`
    insert into rate_limit_hits (key, bucket, hits) values (${key}, ${bucketOf(at)}::timestamptz, 1)
    on conflict (key, bucket) do update set hits = rate_limit_hits.hits + 1`;
}

const lastSweep = new WeakMap<Sql, number>();

/** Deletes old buckets about once a minute per process (not awaited: a failed sweep is retried later). */
function sweepNowAndThen(sql: Sql, at: number) {
  if (at - (lastSweep.get(sql) ?? 0) < SWEEP_EVERY_MS) return;
  lastSweep.set(sql, at);
  sql`delete from rate_limit_hits where bucket < ${new Date(at - KEEP_MS).toISOString()}::timestamptz`.catch(() => lastSweep.delete(sql));
}
