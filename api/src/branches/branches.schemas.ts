import { z } from '@hono/zod-openapi';
import { isValidTimeZone } from '../lib/time-zone.ts';
import { regionCode } from '../regions/regions.schemas.ts';

/** An IANA time zone name ("Asia/Shanghai", "UTC"); UTC offsets such as "+08:00" are not names. */
export const ianaTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz) && isValidTimeZone(tz), 'not an IANA time zone name (e.g. Asia/Shanghai)')
  .openapi({ example: 'Asia/Shanghai' });

export const branchCode = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, '1–32 letters, digits, "-" or "_"')
  .openapi({ description: 'The code the rental system uses for the branch', example: 'SH01' });

const text = (max: number) => z.string().trim().min(1).max(max);

export const branchSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string().openapi({ description: 'Chinese name' }),
    nameEn: z.string().nullable().openapi({ description: 'English name' }),
    city: z.string(),
    region: z.string().openapi({ description: 'The code of its region' }),
    regionId: z.uuid(),
    timeZone: z.string(),
    active: z.boolean().openapi({ description: 'Inactive branches keep their history but are no longer offered' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Branch');
export type Branch = z.infer<typeof branchSchema>;

export const branchCreateSchema = z
  .object({
    code: branchCode,
    name: text(100),
    nameEn: text(100).nullable().optional(),
    city: text(100),
    region: regionCode.optional().openapi({ description: 'The region by its code; a code not known yet creates the region (named by its code until renamed)' }),
    regionId: z.uuid().optional().openapi({ description: 'The region by its id (instead of `region`)' }),
    timeZone: ianaTimeZone.default('Asia/Shanghai'),
    active: z.boolean().default(true),
  })
  .refine((b) => b.region !== undefined || b.regionId !== undefined, { path: ['region'], message: 'a region: `region` (its code) or `regionId`' })
  .openapi('BranchCreate');
export type BranchCreate = z.infer<typeof branchCreateSchema>;

export const branchUpdateSchema = z
  .object({
    name: text(100),
    nameEn: text(100).nullable(),
    city: text(100),
    region: regionCode,
    regionId: z.uuid(),
    timeZone: ianaTimeZone,
    active: z.boolean(),
  })
  .partial()
  .openapi('BranchUpdate', { description: 'The code cannot change: rentals refer to it' });
export type BranchUpdate = z.infer<typeof branchUpdateSchema>;

export const branchListQuerySchema = z.object({
  active: z.enum(['true', 'false']).optional().openapi({ description: 'Only active (true) or inactive (false) branches' }),
});

export const branchImportResultSchema = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .openapi('BranchImportResult');
