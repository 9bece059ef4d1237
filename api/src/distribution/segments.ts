// Customer segments from rental history: value tier A/B/C and new vs returning.
import type { AppDeps } from '../lib/types.ts';
import type { SqlClient } from '../queue/queue.ts';
import { DAY_MS } from './planning.ts';
import { assignValueTiers, markSegmentsRefreshed, segmentsState, updateReturningFlags } from './segments.queries.ts';

/**
 * The one definition of a returning customer, as a SQL condition on the rental aliased `rental`: the same
 * customer has another rental picked up strictly before this one's pick-up (equal pick-up times do not
 * count; when the earlier rental was returned does not matter). The stored flag `rentals.repeat_customer`
 * and the analytics grouping `newReturning` both use it (docs/statistics.md, "New and returning customers").
 */
export function returningCustomerCondition(rental: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(rental)) throw new Error(`not a SQL alias: ${rental}`);
  return `exists (select 1 from rentals earlier where earlier.customer_id = ${rental}.customer_id and earlier.picked_up_at < ${rental}.picked_up_at)`;
}

/**
 * Recomputes every customer's 12-month figures and value tier, and each rental's new/returning flag.
 * Tiers are first set when a customer's rental is stored (ingest); this periodic run re-tiers everyone as
 * the 12-month window moves.
 */
export async function refreshSegments(sql: SqlClient, now: Date): Promise<{ customers: number; rentals: number }> {
  const customers = await assignValueTiers(sql, now);
  const rentals = await updateReturningFlags(sql);
  await markSegmentsRefreshed(sql, now);
  return { customers, rentals };
}

/** Refreshes when rentals were stored since the last refresh, or when the last one is a day old. */
export async function refreshSegmentsIfStale(deps: AppDeps): Promise<boolean> {
  const now = deps.now();
  const state = await segmentsState(deps.sql);
  const due = !state || state.stale || !state.at || now.getTime() - Date.parse(state.at) > DAY_MS;
  if (!due) return false;
  await refreshSegments(deps.sql, now);
  return true;
}
