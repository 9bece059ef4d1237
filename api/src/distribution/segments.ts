// Customer segments from rental history: value tier A/B/C and new vs returning.
import type { AppDeps } from '../lib/types.ts';
import type { SqlClient } from '../queue/queue.ts';
import { DAY_MS } from './planning.ts';

/**
 * Recomputes every customer's 12-month figures and value tier, and each rental's new/returning flag.
 * Value = the amount of the customer's rentals returned in the last 12 months (frequency breaks ties).
 * Among customers with a rental in that window, the top 20 % by value are tier A, the next 30 % tier B,
 * the rest tier C; customers without one are C. A rental is "returning" when the customer picked up a car
 * before it.
 */
export async function refreshSegments(sql: SqlClient, now: Date): Promise<{ customers: number; rentals: number }> {
  const customers = await refreshCustomerSegments(sql, now);
  const rentals = await refreshRentalSegments(sql);
  await sql`
    insert into distribution_state (key, value, updated_at)
    values ('segments', jsonb_build_object('at', ${now.toISOString()}::text, 'rentalsCreatedAt', (select max(created_at) from rentals)), now())
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`;
  return { customers, rentals };
}

/** Every customer's rental count, 12-month figures and value tier; returns how many changed. */
export async function refreshCustomerSegments(sql: SqlClient, now: Date): Promise<number> {
  const iso = now.toISOString();
  const cutoff = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const result = await sql`
    with stats as (
      select c.id,
        count(r.id)::int as n_all,
        min(r.picked_up_at) as first,
        (count(r.id) filter (where r.returned_at > ${cutoff} and r.returned_at <= ${iso}))::int as n12,
        coalesce(sum(r.amount) filter (where r.returned_at > ${cutoff} and r.returned_at <= ${iso}), 0)::numeric(14, 2) as v12
      from customers c left join rentals r on r.customer_id = c.id
      group by c.id
    ), active as (
      select id, row_number() over (order by v12 desc, n12 desc, id) as rank, count(*) over () as total
      from stats where n12 > 0
    ), tiers as (
      select s.id, s.n_all, s.first, s.n12, s.v12,
        case when a.rank is null then 'C'
             when a.rank <= ceil(a.total * 0.2) then 'A'
             when a.rank <= ceil(a.total * 0.5) then 'B'
             else 'C' end as tier
      from stats s left join active a on a.id = s.id
    )
    update customers c set value_tier = t.tier, rental_count = t.n_all, first_rental_at = t.first, rentals_12m = t.n12, value_12m = t.v12,
      segments_updated_at = ${iso}
    from tiers t
    where c.id = t.id
      and (c.value_tier, c.rental_count, c.first_rental_at, c.rentals_12m, c.value_12m)
        is distinct from (t.tier, t.n_all, t.first, t.n12, t.v12)`;
  return result.count;
}

/** Each rental's new/returning flag (set when stored; corrected here for rentals stored out of order). */
export async function refreshRentalSegments(sql: SqlClient): Promise<number> {
  const result = await sql`
    update rentals r set repeat_customer = s.repeat
    from (select id, row_number() over (partition by customer_id order by picked_up_at, created_at, id) > 1 as repeat from rentals) s
    where r.id = s.id and r.repeat_customer is distinct from s.repeat`;
  return result.count;
}

/** Refreshes when rentals were stored since the last refresh, or when the last one is a day old. */
export async function refreshSegmentsIfStale(deps: AppDeps): Promise<boolean> {
  const now = deps.now();
  const [state] = await deps.sql<{ at: string | null; stale: boolean }[]>`
    select s.value->>'at' as at,
      coalesce((select max(created_at) from rentals) > (s.value->>'rentalsCreatedAt')::timestamptz, true) as stale
    from distribution_state s where s.key = 'segments'`;
  const due = !state || state.stale || !state.at || now.getTime() - Date.parse(state.at) > DAY_MS;
  if (!due) return false;
  await refreshSegments(deps.sql, now);
  return true;
}
