import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../lib/openapi.ts';
import { loginBodySchema, meSchema, passwordChangeSchema, setupBodySchema, setupInfoSchema, setupTokenParamSchema } from './auth.schemas.ts';
import { guard } from './guard.ts';

const tags = ['Accounts'];
const json = <S>(schema: S) => ({ content: { 'application/json': { schema } } });

export const login = createRoute({
  method: 'post',
  path: '/auth/login',
  ...guard('public'),
  tags,
  summary: 'Sign in with email and password; sets the HTTP-only session cookie',
  request: { body: { required: true, ...json(loginBodySchema) } },
  responses: {
    200: { description: 'Signed in', ...json(meSchema) },
    ...problemResponses(400, 401, 429),
  },
});

export const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  ...guard('account'),
  tags,
  summary: 'Sign out: ends this session',
  responses: { 204: { description: 'Signed out' }, ...problemResponses(401, 403) },
});

export const me = createRoute({
  method: 'get',
  path: '/auth/me',
  ...guard('account'),
  tags,
  summary: 'The signed-in user: role, permissions and branches',
  responses: { 200: { description: 'The signed-in user', ...json(meSchema) }, ...problemResponses(401, 403) },
});

export const changePassword = createRoute({
  method: 'post',
  path: '/auth/password',
  ...guard('account'),
  tags,
  summary: 'Change your password; your other sessions end',
  request: { body: { required: true, ...json(passwordChangeSchema) } },
  responses: { 204: { description: 'Changed' }, ...problemResponses(400, 401, 403) },
});

export const setupInfo = createRoute({
  method: 'get',
  path: '/auth/setup/{token}',
  ...guard('public'),
  tags,
  summary: 'What a one-time setup or set-password link is for',
  request: { params: setupTokenParamSchema },
  responses: { 200: { description: 'Valid link', ...json(setupInfoSchema) }, ...problemResponses(400, 404) },
});

export const completeSetup = createRoute({
  method: 'post',
  path: '/auth/setup/{token}',
  ...guard('public'),
  tags,
  summary: 'Use a one-time link: create the first administrator or choose a password; signs in',
  request: { params: setupTokenParamSchema, body: { required: true, ...json(setupBodySchema) } },
  responses: { 200: { description: 'Done and signed in', ...json(meSchema) }, ...problemResponses(400, 404, 409) },
});

export type LoginRoute = typeof login;
export type LogoutRoute = typeof logout;
export type MeRoute = typeof me;
export type ChangePasswordRoute = typeof changePassword;
export type SetupInfoRoute = typeof setupInfo;
export type CompleteSetupRoute = typeof completeSetup;
