import { z } from '@hono/zod-openapi';
import { PASSWORD_MAX_LENGTH } from './passwords.ts';
import { PERMISSIONS, ROLES } from './permissions.ts';

export const emailInput = z.string().trim().toLowerCase().min(3).max(254).pipe(z.email());

export const branchRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).openapi('BranchRef');
export const regionRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }).openapi('RegionRef');

export const meSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    permissions: z.array(z.enum(PERMISSIONS)),
    branches: z.array(branchRefSchema).nullable().openapi({ description: 'The branches this user sees; null = all' }),
    regions: z.array(regionRefSchema).nullable().openapi({ description: 'Regional managers: the regions assigned to them; null for other roles' }),
    maskContacts: z.boolean().openapi({ description: "Customers' email and phone are shown masked" }),
    timeZone: z.string().openapi({ description: 'The company time zone (COMPANY_TIME_ZONE): dates and times are shown in it', example: 'Asia/Shanghai' }),
  })
  .openapi('Me');

export const loginBodySchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('LoginInput');

export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('PasswordChange');

export const setupTokenParamSchema = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'not a setup token')
    .openapi({ param: { name: 'token', in: 'path' } }),
});

export const setupInfoSchema = z
  .object({
    purpose: z.enum(['setup', 'password']).openapi({ description: 'setup: create the first administrator; password: choose a password' }),
    email: z.string().nullable(),
    name: z.string().nullable(),
  })
  .openapi('SetupInfo');

export const setupBodySchema = z
  .object({
    email: emailInput.optional().openapi({ description: 'Required for the first administrator' }),
    name: z.string().trim().min(1).max(200).optional(),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('SetupInput');
