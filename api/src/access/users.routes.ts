import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { guard } from './guard.ts';
import {
  apiKeyCreatedSchema,
  apiKeyCreateSchema,
  apiKeySchema,
  idParamSchema,
  passwordLinkSchema,
  userCreatedSchema,
  userCreateSchema,
  userOptionsSchema,
  userSchema,
  userUpdateSchema,
} from './users.schemas.ts';

const tags = ['Accounts'];
const json = <S>(schema: S) => ({ content: { 'application/json': { schema } } });
const access = guard('users:admin');

export const listUsers = createRoute({
  method: 'get',
  path: '/users',
  ...access,
  tags,
  summary: 'All staff accounts with role, branches and status',
  responses: { 200: { description: 'Users', ...json(z.array(userSchema)) }, ...problemResponses(401, 403) },
});

export const userOptions = createRoute({
  method: 'get',
  path: '/users/options',
  ...access,
  tags,
  summary: 'Roles and branches a user can be given',
  responses: { 200: { description: 'Options', ...json(userOptionsSchema) }, ...problemResponses(401, 403) },
});

export const createUser = createRoute({
  method: 'post',
  path: '/users',
  ...access,
  tags,
  summary: 'Create a staff account; returns a one-time link for the user to choose a password',
  request: { body: { required: true, ...json(userCreateSchema) } },
  responses: { 201: { description: 'Created', ...json(userCreatedSchema) }, ...problemResponses(400, 401, 403, 409, 422) },
});

export const updateUser = createRoute({
  method: 'patch',
  path: '/users/{id}',
  ...access,
  tags,
  summary: 'Change name, role, branches; disable, enable or unlock',
  request: { params: idParamSchema, body: { required: true, ...json(userUpdateSchema) } },
  responses: { 200: { description: 'Updated', ...json(userSchema) }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

export const passwordLink = createRoute({
  method: 'post',
  path: '/users/{id}/password-link',
  ...access,
  tags,
  summary: 'A new one-time set-password link (for a forgotten password); earlier links stop working',
  request: { params: idParamSchema },
  responses: { 201: { description: 'Link', ...json(passwordLinkSchema) }, ...problemResponses(401, 403, 404) },
});

export const listApiKeys = createRoute({
  method: 'get',
  path: '/api-keys',
  ...access,
  tags,
  summary: 'API keys for integrations (never the keys themselves)',
  responses: { 200: { description: 'Keys', ...json(z.array(apiKeySchema)) }, ...problemResponses(401, 403) },
});

export const createApiKey = createRoute({
  method: 'post',
  path: '/api-keys',
  ...access,
  tags,
  summary: 'Create an API key with scopes; the key is returned once',
  request: { body: { required: true, ...json(apiKeyCreateSchema) } },
  responses: { 201: { description: 'Created', ...json(apiKeyCreatedSchema) }, ...problemResponses(400, 401, 403) },
});

export const revokeApiKey = createRoute({
  method: 'delete',
  path: '/api-keys/{id}',
  ...access,
  tags,
  summary: 'Revoke an API key at once',
  request: { params: idParamSchema },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404) },
});

export type ListUsersRoute = typeof listUsers;
export type UserOptionsRoute = typeof userOptions;
export type CreateUserRoute = typeof createUser;
export type UpdateUserRoute = typeof updateUser;
export type PasswordLinkRoute = typeof passwordLink;
export type ListApiKeysRoute = typeof listApiKeys;
export type CreateApiKeyRoute = typeof createApiKey;
export type RevokeApiKeyRoute = typeof revokeApiKey;
