import { createRoute, z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import { problemResponses } from '../lib/openapi.ts';
import {
  branchBrandSchema,
  branchIdParamSchema,
  brandCreateSchema,
  brandIdParamSchema,
  brandSchema,
  brandUpdateSchema,
  linkBrandSchema,
  linkTokenParamSchema,
} from './brands.schemas.ts';

const tags = ['Brands'];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
const jsonBody = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const CONTRAST =
  'Colours are checked on save against WCAG 2.1 AA (4.5:1): the brand colour against the white page, the text colour against the brand colour; ' +
  'a failure is 400 naming the field (`errors[].path` primaryColor or onPrimaryColor, `code` contrast, `params.ratio`).';

export const listBrands = createRoute({
  method: 'get',
  path: '/brands',
  ...guard('branches:admin'),
  tags,
  summary: 'Brands in code order, with their branches',
  responses: { 200: json(z.array(brandSchema), 'Brands'), ...problemResponses(401, 403) },
});
export type ListBrandsRoute = typeof listBrands;

export const createBrand = createRoute({
  method: 'post',
  path: '/brands',
  ...guard('branches:admin'),
  tags,
  summary: 'Add a brand',
  description: CONTRAST,
  request: jsonBody(brandCreateSchema),
  responses: { 201: json(brandSchema, 'Created'), ...problemResponses(400, 401, 403, 409) },
});
export type CreateBrandRoute = typeof createBrand;

export const updateBrand = createRoute({
  method: 'patch',
  path: '/brands/{id}',
  ...guard('branches:admin'),
  tags,
  summary: 'Change a brand',
  description: CONTRAST,
  request: { params: brandIdParamSchema, ...jsonBody(brandUpdateSchema) },
  responses: { 200: json(brandSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type UpdateBrandRoute = typeof updateBrand;

export const deleteBrand = createRoute({
  method: 'delete',
  path: '/brands/{id}',
  ...guard('branches:admin'),
  tags,
  summary: 'Delete a brand without branches (409 while branches belong to it)',
  request: { params: brandIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
export type DeleteBrandRoute = typeof deleteBrand;

export const putLogo = createRoute({
  method: 'put',
  path: '/brands/{id}/logo',
  ...guard('branches:admin'),
  tags,
  summary: 'Upload the logo (the request body: a PNG, JPEG or WebP image, at most 200 KiB, PNG at most 1000 × 1000 pixels)',
  description: 'The type is read from the bytes. Too large → 413, another type (SVG included) → 415, too many pixels → 400; `errors[].path` is logo.',
  request: {
    params: brandIdParamSchema,
    body: {
      required: true,
      content: {
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: { 200: json(brandSchema, 'Updated'), ...problemResponses(400, 401, 403, 404, 413, 415) },
});
export type PutLogoRoute = typeof putLogo;

export const deleteLogo = createRoute({
  method: 'delete',
  path: '/brands/{id}/logo',
  ...guard('branches:admin'),
  tags,
  summary: 'Remove the logo',
  request: { params: brandIdParamSchema },
  responses: { 200: json(brandSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type DeleteLogoRoute = typeof deleteLogo;

export const getLogo = createRoute({
  method: 'get',
  path: '/brands/{id}/logo',
  ...guard('public'),
  tags,
  summary: 'The logo image (public: survey pages and e-mails show it)',
  request: { params: brandIdParamSchema },
  responses: { 200: { description: 'The image' }, ...problemResponses(400, 404) },
});
export type GetLogoRoute = typeof getLogo;

export const setBranchBrand = createRoute({
  method: 'put',
  path: '/branches/{id}/brand',
  ...guard('branches:admin'),
  tags,
  summary: 'Give a branch a brand (or none): its customers then see that brand',
  request: { params: branchIdParamSchema, ...jsonBody(branchBrandSchema) },
  responses: { 200: json(branchBrandSchema, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});
export type SetBranchBrandRoute = typeof setBranchBrand;

export const linkBrand = createRoute({
  method: 'get',
  path: '/respond/{token}/brand',
  ...guard('public'),
  tags,
  summary: "The brand of a survey link's branch (name, logo, colours, legal footer); brand null without one or for an unknown link",
  request: { params: linkTokenParamSchema },
  responses: { 200: json(linkBrandSchema, 'Brand'), ...problemResponses(400, 429) },
});
export type LinkBrandRoute = typeof linkBrand;
