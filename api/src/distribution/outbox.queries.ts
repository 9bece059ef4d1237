import type { Sql } from '../db/client.ts';

export interface OutboxMessage {
  id: number;
  deliveryId: string;
  invitationId: string;
  kind: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  link: string;
  createdAt: string;
}

interface OutboxRow {
  id: string;
  delivery_id: string;
  invitation_id: string;
  kind: string;
  channel: 'email' | 'sms';
  to_address: string;
  subject: string | null;
  text: string;
  html: string | null;
  link: string;
  created_at: string;
}

function view(r: OutboxRow): OutboxMessage {
  return {
    id: Number(r.id),
    deliveryId: r.delivery_id,
    invitationId: r.invitation_id,
    kind: r.kind,
    channel: r.channel,
    to: r.to_address,
    subject: r.subject,
    text: r.text,
    html: r.html,
    link: r.link,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listOutbox(sql: Sql, q: { channel?: 'email' | 'sms'; limit: number; before?: number }) {
  const rows = await sql<OutboxRow[]>`
    select o.id, o.delivery_id, d.invitation_id, d.kind, o.channel, o.to_address, o.subject, o.text, o.html, o.link, o.created_at
    from outbox_messages o join deliveries d on d.id = o.delivery_id
    where true ${q.channel ? sql`and o.channel = ${q.channel}` : sql``} ${q.before ? sql`and o.id < ${q.before}` : sql``}
    order by o.id desc limit ${q.limit}`;
  const items = rows.map(view);
  return { items, nextBefore: items.length === q.limit ? items[items.length - 1].id : null };
}

export async function getOutboxMessage(sql: Sql, id: number): Promise<OutboxMessage | null> {
  const [row] = await sql<OutboxRow[]>`
    select o.id, o.delivery_id, d.invitation_id, d.kind, o.channel, o.to_address, o.subject, o.text, o.html, o.link, o.created_at
    from outbox_messages o join deliveries d on d.id = o.delivery_id
    where o.id = ${id}`;
  return row ? view(row) : null;
}
