// Time-driven work, always by the application clock (deps.now()): queue the deliveries that are due,
// expire invitations whose link ran out.
import type { AppDeps } from '../lib/types.ts';
import { insertJobs, txSql } from '../queue/queue.ts';
import { SEND_QUEUE } from './queues.ts';
import { cancelScheduledDeliveries, expireDueInvitations, queueDueDeliveries } from './scheduler.queries.ts';

const CHUNK = 1000;

/** Moves due deliveries to `queued` and creates their send jobs in the same transaction. */
export async function dispatchDue(deps: AppDeps): Promise<number> {
  const now = deps.now();
  let total = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      const sql = txSql(tx);
      const rows = await queueDueDeliveries(sql, now, CHUNK);
      await insertJobs(
        sql,
        rows.map((r) => ({ name: SEND_QUEUE, data: { deliveryId: r.id } })),
      );
      return rows.length;
    });
    total += n;
    if (n < CHUNK) return total;
  }
}

/** Marks invitations past their expiry as expired and cancels what was still to be sent for them. */
export async function expireInvitations(deps: AppDeps): Promise<number> {
  const now = deps.now();
  let total = 0;
  for (;;) {
    const expired = await expireDueInvitations(deps.sql, now, CHUNK);
    await cancelScheduledDeliveries(
      deps.sql,
      expired.map((e) => e.id),
      'expired',
      now,
    );
    total += expired.length;
    if (expired.length < CHUNK) return total;
  }
}
