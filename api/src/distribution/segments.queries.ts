// The SQL of customer segments (segments.ts): value tiers, new/returning flags and when they were refreshed.
import type { SqlClient } from '../queue/queue.ts';
import { DAY_MS } from './planning.ts';
import { returningCustomerCondition } from './segments.ts';

/**
 * Rental count, 12-month figures and value tier; returns how many customers changed.
 * Value = the amount of the customer's rentals returned in the last 12 months (frequency breaks ties).
 * Among customers with a rental in that window, the top 20 % by value are tier A, the next 30 % tier B,
 * the rest tier C; customers without one are C.
 * With `customerIds` (a rental of theirs was just stored) only those customers are written: their figures
 * come from their rentals, everyone else's from the figures stored at their last tiering, so a new
 * customer gets a tier at once from the history known then. Without it, everyone is recomputed.
 */
export async function assignValueTiers(sql: SqlClient, now: Date, customerIds?: string[]): Promise<number> {
  if (customerIds && customerIds.length === 0) return 0;
  const only = customerIds ?? null;
  const iso = now.toISOString();
  const cutoff = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const result = await sql`
    with fresh as (
      select c.id,
        count(r.id)::int as n_all,
        min(r.picked_up_at) as first,
        (count(r.id) filter (where r.returned_at > ${cutoff} and r.returned_at <= ${iso}))::int as n12,
        coalesce(sum(r.amount) filter (where r.returned_at > ${cutoff} and r.returned_at <= ${iso}), 0)::numeric(14, 2) as v12
      from customers c left join rentals r on r.customer_id = c.id
      where ${only}::uuid[] is null or c.id = any(${only}::uuid[])
      group by c.id
    ), stats as (
      select * from fresh
      union all
      select c.id, c.rental_count, c.first_rental_at, c.rentals_12m, c.value_12m from customers c
      where ${only}::uuid[] is not null and c.id <> all(${only}::uuid[])
    ), active as (
      select id, row_number() over (order by v12 desc, n12 desc, id) as rank, count(*) over () as total
      from stats where n12 > 0
    ), tiers as (
      select s.id, s.n_all, s.first, s.n12, s.v12,
        case when a.rank is null then 'C'
             when a.rank <= ceil(a.total * 0.2) then 'A'
             when a.rank <= ceil(a.total * 0.5) then 'B'
             else 'C' end as tier
      from fresh s left join active a on a.id = s.id
    )
    update customers c set value_tier = t.tier, rental_count = t.n_all, first_rental_at = t.first, rentals_12m = t.n12, value_12m = t.v12,
      segments_updated_at = ${iso}
    from tiers t
    where c.id = t.id
      and (c.value_tier, c.rental_count, c.first_rental_at, c.rentals_12m, c.value_12m)
        is distinct from (t.tier, t.n_all, t.first, t.n12, t.v12)`;
  return result.count;
}

/**
 * Each rental's new/returning flag (returningCustomerCondition), for the rentals of `customerIds` or of
 * everyone. Ingest runs it for the customers of a batch in the batch's transaction, so a rental stored out
 * of order (earlier pick-up, arriving later) corrects that customer's later rentals at once.
 */
export async function updateReturningFlags(sql: SqlClient, customerIds?: string[]): Promise<number> {
  if (customerIds && customerIds.length === 0) return 0;
  const only = customerIds ?? null;
  const returning = sql.unsafe(returningCustomerCondition('r'));
  const result = await sql`
    update rentals r set repeat_customer = ${returning}
    where (${only}::uuid[] is null or r.customer_id = any(${only}::uuid[]))
      and r.repeat_customer is distinct from ${returning}`;
  return result.count;
}

/** Notes the refresh: when it ran and the newest rental it saw. */
export async function markSegmentsRefreshed(sql: SqlClient, now: Date) {
  await sql`
    insert into distribution_state (key, value, updated_at)
    values ('segments', jsonb_build_object('at', ${now.toISOString()}::text, 'rentalsCreatedAt', (select max(created_at) from rentals)), now())
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`;
}

/** When segments were last refreshed, and whether rentals were stored since. */
export async function segmentsState(sql: SqlClient): Promise<{ at: string | null; stale: boolean } | undefined> {
  const [state] = await sql<{ at: string | null; stale: boolean }[]>`
    select s.value->>'at' as at,
      coalesce((select max(created_at) from rentals) > (s.value->>'rentalsCreatedAt')::timestamptz, true) as stale
    from distribution_state s where s.key = 'segments'`;
  return state;
}
