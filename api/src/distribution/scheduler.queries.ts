// The SQL of the time-driven work (scheduler.ts): due deliveries to the queue, expired invitations.
import type { SqlClient } from '../queue/queue.ts';

/** Moves up to `limit` due scheduled deliveries to `queued` (skipping ones another worker holds); their ids. */
export async function queueDueDeliveries(sql: SqlClient, now: Date, limit: number) {
  const at = now.toISOString();
  return sql<{ id: string }[]>`
    update deliveries set status = 'queued', queued_at = ${at}, updated_at = ${at}
    where id in (
      select id from deliveries where status = 'scheduled' and due_at <= ${at}
      order by due_at limit ${limit} for update skip locked)
    returning id`;
}

/** Marks up to `limit` invitations past their expiry as expired; their ids. */
export async function expireDueInvitations(sql: SqlClient, now: Date, limit: number) {
  return sql<{ id: string }[]>`
    update invitations set status = 'expired'
    where id in (
      select id from invitations
      where expires_at <= ${now.toISOString()} and status in ('scheduled', 'sent', 'opened', 'started', 'failed')
      limit ${limit})
    returning id`;
}

/** Cancels what was still to be sent for these invitations, with the outcome. */
export async function cancelScheduledDeliveries(sql: SqlClient, invitationIds: string[], outcome: string, now: Date) {
  if (invitationIds.length === 0) return;
  await sql`
    update deliveries set status = 'cancelled', outcome = ${outcome}, updated_at = ${now.toISOString()}
    where invitation_id = any(${invitationIds}::uuid[]) and status = 'scheduled'`;
}
