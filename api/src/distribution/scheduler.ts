// Time-driven work, always by the application clock (deps.now()): queue the deliveries that are due,
// expire invitations whose link ran out.
import type { AppDeps } from '../lib/types.ts';
import { insertJobs, txSql } from '../queue/queue.ts';
import { SEND_QUEUE } from './queues.ts';

const CHUNK = 1000;

/** Moves due deliveries to `queued` and creates their send jobs in the same transaction. */
export async function dispatchDue(deps: AppDeps): Promise<number> {
  const now = deps.now().toISOString();
  let total = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      const sql = txSql(tx);
      const rows = await sql<{ id: string }[]>`
        update deliveries set status = 'queued', queued_at = ${now}, updated_at = ${now}
        where id in (
          select id from deliveries where status = 'scheduled' and due_at <= ${now}
          order by due_at limit ${CHUNK} for update skip locked)
        returning id`;
      await insertJobs(sql, rows.map((r) => ({ name: SEND_QUEUE, data: { deliveryId: r.id } })));
      return rows.length;
    });
    total += n;
    if (n < CHUNK) return total;
  }
}

/** Marks invitations past their expiry as expired and cancels what was still to be sent for them. */
export async function expireInvitations(deps: AppDeps): Promise<number> {
  const now = deps.now().toISOString();
  let total = 0;
  for (;;) {
    const expired = await deps.sql<{ id: string }[]>`
      update invitations set status = 'expired'
      where id in (
        select id from invitations
        where expires_at <= ${now} and status in ('scheduled', 'sent', 'opened', 'started', 'failed')
        limit ${CHUNK})
      returning id`;
    if (expired.length > 0) {
      await deps.sql`
        update deliveries set status = 'cancelled', outcome = 'expired', updated_at = ${now}
        where invitation_id = any(${expired.map((e) => e.id)}::uuid[]) and status = 'scheduled'`;
    }
    total += expired.length;
    if (expired.length < CHUNK) return total;
  }
}
