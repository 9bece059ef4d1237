import type { AppRouteHandler } from '../lib/types.ts';
import { audit } from './audit.ts';
import { accountLink } from './auth.queries.ts';
import type { UserPrincipal } from './principal.ts';
import * as q from './users.queries.ts';
import type {
  CreateApiKeyRoute,
  CreateUserRoute,
  ListApiKeysRoute,
  ListUsersRoute,
  PasswordLinkRoute,
  RevokeApiKeyRoute,
  UpdateUserRoute,
  UserOptionsRoute,
} from './users.routes.ts';

export const listUsers: AppRouteHandler<ListUsersRoute> = async (c) => {
  const { db, now } = c.get('deps');
  return c.json(await q.listUsers(db, now()), 200);
};

export const userOptions: AppRouteHandler<UserOptionsRoute> = async (c) => {
  return c.json(await q.userOptions(c.get('deps').db), 200);
};

export const createUser: AppRouteHandler<CreateUserRoute> = async (c) => {
  const { db, now, publicUrl } = c.get('deps');
  const input = c.req.valid('json');
  const { user, token, expiresAt } = await q.createUser(db, input, now());
  await audit(
    c,
    'user.create',
    { type: 'user', id: user.id },
    { role: user.role, branches: user.branches.map((b) => b.code), regions: user.regions.map((r) => r.code) },
  );
  c.header('Cache-Control', 'no-store');
  return c.json({ user, passwordLink: { link: accountLink(publicUrl, token), expiresAt: expiresAt.toISOString() } }, 201);
};

export const updateUser: AppRouteHandler<UpdateUserRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const actor = c.get('principal') as UserPrincipal;
  const { user, changed } = await q.updateUser(db, id, c.req.valid('json'), actor.id, now());
  if (Object.keys(changed).length > 0) {
    if ('branches' in changed) changed.branches = user.branches.map((b) => b.code);
    if ('regions' in changed) changed.regions = user.regions.map((r) => r.code);
    await audit(c, 'user.update', { type: 'user', id }, changed);
  }
  return c.json(user, 200);
};

export const passwordLink: AppRouteHandler<PasswordLinkRoute> = async (c) => {
  const { db, now, publicUrl } = c.get('deps');
  const { id } = c.req.valid('param');
  const { token, expiresAt } = await q.newPasswordLink(db, id, now());
  await audit(c, 'user.password_link', { type: 'user', id });
  c.header('Cache-Control', 'no-store');
  return c.json({ link: accountLink(publicUrl, token), expiresAt: expiresAt.toISOString() }, 201);
};

export const listApiKeys: AppRouteHandler<ListApiKeysRoute> = async (c) => {
  return c.json(await q.listApiKeys(c.get('deps').db), 200);
};

export const createApiKey: AppRouteHandler<CreateApiKeyRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const principal = c.get('principal');
  const created = await q.createApiKey(db, c.req.valid('json'), principal?.kind === 'user' ? principal.id : null, now());
  await audit(c, 'api_key.create', { type: 'api_key', id: created.apiKey.id }, { name: created.apiKey.name, scopes: created.apiKey.scopes });
  c.header('Cache-Control', 'no-store');
  return c.json(created, 201);
};

export const revokeApiKey: AppRouteHandler<RevokeApiKeyRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const revoked = await q.revokeApiKey(db, id, now());
  if (!revoked.alreadyRevoked) await audit(c, 'api_key.revoke', { type: 'api_key', id }, { name: revoked.name });
  return c.body(null, 204);
};
