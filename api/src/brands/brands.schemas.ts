import { z } from '@hono/zod-openapi';
import { HEX_COLOUR } from './brands.contrast.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const colour = z.string().regex(HEX_COLOUR, 'a colour as #rrggbb').openapi({ example: '#0b57d0' });
// No line breaks or angle brackets: the name goes into the From header as "Name <address>".
const senderName = text(100).refine((s) => !/[\r\n<>"]/.test(s), 'no line breaks, quotes or angle brackets');

export const brandCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "_" and "-" (at most 32)')
  .openapi({ description: 'The code filters name the brand by (?brand=)', example: 'CITY' });

export const brandSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string().openapi({ description: 'The name customers see (Chinese, or the only one)' }),
    nameEn: z.string().nullable(),
    primaryColor: z.string().openapi({ description: 'Buttons, links and the header bar; at least 4.5:1 against white' }),
    onPrimaryColor: z.string().openapi({ description: 'Text on the brand colour; at least 4.5:1 against it' }),
    senderName: z.string().openapi({ description: 'E-mail sender name' }),
    senderEmail: z.string().openapi({ description: 'E-mail sender address' }),
    smsSender: z.string().openapi({ description: 'SMS sender (the provider shows it as the sender or signature)' }),
    legalFooter: z.string(),
    legalFooterEn: z.string().nullable(),
    logoUrl: z.string().nullable().openapi({ description: 'Where the logo is served (public), null without a logo' }),
    branches: z.array(z.object({ id: z.uuid(), code: z.string() })).openapi({ description: 'Branches of this brand' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Brand');
export type Brand = z.infer<typeof brandSchema>;

export const brandCreateSchema = z
  .object({
    code: brandCode,
    name: text(100),
    nameEn: text(100).nullable().optional(),
    primaryColor: colour,
    onPrimaryColor: colour.default('#ffffff'),
    senderName,
    senderEmail: z.email().max(200),
    smsSender: text(20).refine((s) => !/[\r\n]/.test(s), 'one line'),
    legalFooter: z.string().trim().max(1000).default(''),
    legalFooterEn: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi('BrandCreate');
export type BrandCreate = z.infer<typeof brandCreateSchema>;

export const brandUpdateSchema = brandCreateSchema
  .omit({ code: true })
  .partial()
  .openapi('BrandUpdate', { description: 'The code cannot change: filters and links refer to it' });
export type BrandUpdate = z.infer<typeof brandUpdateSchema>;

export const brandIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const branchIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const linkTokenParamSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'token', in: 'path' } }),
});

export const branchBrandSchema = z
  .object({ brandId: z.uuid().nullable().openapi({ description: 'The brand of the branch; null = none' }) })
  .openapi('BranchBrand');

/** What a customer's page needs of the brand: no codes, senders or ids. */
export const publicBrandSchema = z
  .object({
    name: z.string(),
    nameEn: z.string().nullable(),
    primaryColor: z.string(),
    onPrimaryColor: z.string(),
    legalFooter: z.string(),
    legalFooterEn: z.string().nullable(),
    logoUrl: z.string().nullable(),
  })
  .openapi('PublicBrand');
export type PublicBrand = z.infer<typeof publicBrandSchema>;

export const linkBrandSchema = z.object({ brand: publicBrandSchema.nullable() }).openapi('LinkBrand');
