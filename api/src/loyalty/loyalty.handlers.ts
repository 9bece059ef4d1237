import type { Context } from 'hono';
import { audit } from '../access/audit.ts';
import { maskEmail, maskPhone, masksContacts } from '../access/mask.ts';
import { branchScopeOf } from '../access/scope.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
import * as q from './loyalty.queries.ts';
import type {
  GetLadderRoute,
  GetLoyaltyIndexRoute,
  GetLoyaltySettingsRoute,
  GetLoyaltyValueRoute,
  ListLoyaltyCustomersRoute,
  PutLoyaltySettingsRoute,
} from './loyalty.routes.ts';
import { DEFAULT_LOYALTY_SETTINGS } from './loyalty.schemas.ts';

/** Read from the replica when there is one; the analytics rollups are brought up to date on the primary. */
function context(c: Context<AppBindings>) {
  const { sql, readSql, env, now } = c.get('deps');
  return { read: readSql ?? sql, options: { timeZone: env.COMPANY_TIME_ZONE, branchScope: branchScopeOf(c), now: now(), primary: sql } };
}

export const getLadder: AppRouteHandler<GetLadderRoute> = async (c) => {
  const { read, options } = context(c);
  return c.json(await q.buildLadder(read, c.req.valid('query'), options), 200);
};

export const listLoyaltyCustomers: AppRouteHandler<ListLoyaltyCustomersRoute> = async (c) => {
  const { read, options } = context(c);
  const masked = masksContacts(c);
  const mask = (x: { email: string | null; phone: string | null }) => (masked ? { email: maskEmail(x.email), phone: maskPhone(x.phone) } : x);
  return c.json(await q.listCustomers(read, c.req.valid('query'), { ...options, mask }), 200);
};

export const getLoyaltyIndex: AppRouteHandler<GetLoyaltyIndexRoute> = async (c) => {
  const { read, options } = context(c);
  return c.json(await q.buildIndex(read, c.req.valid('query'), options), 200);
};

export const getLoyaltyValue: AppRouteHandler<GetLoyaltyValueRoute> = async (c) => {
  const { read, options } = context(c);
  return c.json(await q.buildValue(read, c.req.valid('query'), options), 200);
};

export const getLoyaltySettings: AppRouteHandler<GetLoyaltySettingsRoute> = async (c) => {
  const { settings, updatedAt } = await q.readSettings(c.get('deps').sql);
  return c.json({ settings, defaults: DEFAULT_LOYALTY_SETTINGS, updatedAt }, 200);
};

export const putLoyaltySettings: AppRouteHandler<PutLoyaltySettingsRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const input = c.req.valid('json');
  const principal = c.get('principal');
  await q.writeSettings(sql, input, principal?.kind === 'user' ? principal.id : null, now());
  await audit(c, 'loyalty.settings', { type: 'loyalty_settings' }, { weights: input.weights });
  const { settings, updatedAt } = await q.readSettings(sql);
  return c.json({ settings, defaults: DEFAULT_LOYALTY_SETTINGS, updatedAt }, 200);
};
