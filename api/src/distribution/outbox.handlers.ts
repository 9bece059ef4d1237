import { audit } from '../access/audit.ts';
import { notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { maskOutboxMessage } from './outbox.mask.ts';
import { getOutboxMessage, listOutbox as queryOutbox } from './outbox.queries.ts';
import type { ListOutboxRoute, RevealOutboxMessageRoute } from './outbox.routes.ts';

export const listOutbox: AppRouteHandler<ListOutboxRoute> = async (c) => {
  const { items, nextBefore } = await queryOutbox(c.get('deps').sql, c.req.valid('query'));
  c.header('Cache-Control', 'no-store');
  return c.json({ items: items.map(maskOutboxMessage), nextBefore }, 200);
};

export const revealOutboxMessage: AppRouteHandler<RevealOutboxMessageRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const message = await getOutboxMessage(c.get('deps').sql, id);
  if (!message) throw notFound('No such outbox message');
  await audit(c, 'outbox.reveal', { type: 'outbox_message', id: String(id) }, { deliveryId: message.deliveryId, channel: message.channel });
  c.header('Cache-Control', 'no-store');
  return c.json({ ...message, masked: false }, 200);
};
