import type { AppRouteHandler } from '../lib/types.ts';
import { linkUnavailable } from '../responses/respond.queries.ts';
import { recordOptOut } from './optout.queries.ts';
import type { OptOutRoute } from './optout.routes.ts';
import { hashToken, TOKEN_PATTERN } from './tokens.ts';

/** Records the customer's opt-out: no invitation to any survey from now on, nothing more sent for pending ones. */
export const optOut: AppRouteHandler<OptOutRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { token } = c.req.valid('param');
  // Hash either way: unknown and malformed tokens take as long as known ones.
  const hash = hashToken(token);
  if (!TOKEN_PATTERN.test(token)) throw linkUnavailable();
  if (!(await recordOptOut(db, hash, now().toISOString()))) throw linkUnavailable();
  return c.json({ optedOut: true as const }, 200);
};
