import type { Database } from '../db/client.ts';
import { txSql } from '../queue/queue.ts';

/**
 * Records the opt-out of the customer the invitation (by token hash) went to: no invitation to any survey
 * from now on, nothing more sent for pending ones. False when no invitation has this token.
 */
export async function recordOptOut(db: Database, tokenHash: string, at: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const sql = txSql(tx);
    const [invitation] = await sql<{ id: string; customer_id: string }[]>`select id, customer_id from invitations where token_hash = ${tokenHash}`;
    if (!invitation) return false;
    await sql`update customers set opted_out_at = coalesce(opted_out_at, ${at}), updated_at = ${at} where id = ${invitation.customer_id}`;
    await sql`update invitations set status = 'opted_out' where id = ${invitation.id} and status <> 'finished'`;
    await sql`
      update deliveries set status = 'cancelled', outcome = 'opted_out', updated_at = ${at}
      where status in ('scheduled', 'queued') and invitation_id in (select id from invitations where customer_id = ${invitation.customer_id})`;
    return true;
  });
}
