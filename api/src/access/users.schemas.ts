import { z } from '@hono/zod-openapi';
import { branchRefSchema, emailInput, regionRefSchema } from './auth.schemas.ts';
import { API_KEY_SCOPES, ROLES } from './permissions.ts';

export const idParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    branches: z.array(branchRefSchema),
    regions: z.array(regionRefSchema).openapi({ description: 'Regional managers: the regions whose branches they see' }),
    status: z.enum(['active', 'invited', 'locked', 'disabled']).openapi({ description: 'invited: has not chosen a password yet' }),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('User');

export const userCreateSchema = z
  .object({
    email: emailInput,
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    branchIds: z.array(z.uuid()).max(500).default([]).openapi({ description: 'Required for branch managers: the branches they see' }),
    regionIds: z.array(z.uuid()).max(200).default([]).openapi({ description: 'Required for regional managers: the regions whose branches they see' }),
  })
  .openapi('UserInput');

export const userUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(ROLES).optional(),
    branchIds: z.array(z.uuid()).max(500).optional(),
    regionIds: z.array(z.uuid()).max(200).optional(),
    disabled: z.boolean().optional(),
    unlock: z.literal(true).optional().openapi({ description: 'Lift a lock after failed sign-ins' }),
  })
  .openapi('UserUpdate');

export const passwordLinkSchema = z
  .object({
    link: z.url().openapi({ description: 'One-time link to choose a password; shown once, hand it to the user' }),
    expiresAt: z.string(),
  })
  .openapi('PasswordLink');

export const userCreatedSchema = z.object({ user: userSchema, passwordLink: passwordLinkSchema }).openapi('UserCreated');

export const userOptionsSchema = z
  .object({
    roles: z.array(z.enum(ROLES)),
    branches: z.array(branchRefSchema.extend({ region: z.string(), city: z.string() })),
    regions: z.array(regionRefSchema.extend({ active: z.boolean() })),
  })
  .openapi('UserOptions');

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key' }),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const apiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi('ApiKeyInput');

export const apiKeyCreatedSchema = z
  .object({ apiKey: apiKeySchema, key: z.string().openapi({ description: 'The secret key, shown only now: send it as "Authorization: Bearer <key>"' }) })
  .openapi('ApiKeyCreated');
