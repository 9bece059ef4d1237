import type { AppRouteHandler } from '../lib/types.ts';
import { surveyLink } from './tokens.ts';
import { ingestRental } from './rentals.queries.ts';
import type { CreateRentalRoute } from './rentals.routes.ts';

export const createRental: AppRouteHandler<CreateRentalRoute> = async (c) => {
  const { db, publicUrl, now } = c.get('deps');
  const result = await ingestRental(db, c.req.valid('json'), now());
  const { token, ...invitation } = result.invitation ?? ({} as { token?: string });
  const body = {
    rentalId: result.rentalId,
    created: result.created,
    invitation: result.invitation ? { ...(invitation as Omit<NonNullable<typeof result.invitation>, 'token'>), ...(token ? { link: surveyLink(publicUrl, token) } : {}) } : null,
    ...(result.reason ? { reason: result.reason } : {}),
  };
  return c.json(body, result.created ? 201 : 200);
};
