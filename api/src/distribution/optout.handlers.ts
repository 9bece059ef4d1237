import type { AppRouteHandler } from '../lib/types.ts';
import { txSql } from '../queue/queue.ts';
import { linkUnavailable } from '../responses/respond.queries.ts';
import type { OptOutRoute } from './optout.routes.ts';
import { hashToken, TOKEN_PATTERN } from './tokens.ts';

/** Records the customer's opt-out: no invitation to any survey from now on, nothing more sent for pending ones. */
export const optOut: AppRouteHandler<OptOutRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { token } = c.req.valid('param');
  // Hash either way: unknown and malformed tokens take as long as known ones.
  const hash = hashToken(token);
  if (!TOKEN_PATTERN.test(token)) throw linkUnavailable();
  const at = now().toISOString();
  const done = await db.transaction(async (tx) => {
    const sql = txSql(tx);
    const [invitation] = await sql<{ id: string; customer_id: string }[]>`select id, customer_id from invitations where token_hash = ${hash}`;
    if (!invitation) return false;
    await sql`update customers set opted_out_at = coalesce(opted_out_at, ${at}), updated_at = ${at} where id = ${invitation.customer_id}`;
    await sql`update invitations set status = 'opted_out' where id = ${invitation.id} and status <> 'finished'`;
    await sql`
      update deliveries set status = 'cancelled', outcome = 'opted_out', updated_at = ${at}
      where status in ('scheduled', 'queued') and invitation_id in (select id from invitations where customer_id = ${invitation.customer_id})`;
    return true;
  });
  if (!done) throw linkUnavailable();
  return c.json({ optedOut: true as const }, 200);
};
