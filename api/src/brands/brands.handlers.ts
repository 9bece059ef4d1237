import { audit } from '../access/audit.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError, badRequest, notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { contrastFaults } from './brands.contrast.ts';
import { LOGO_MAX_BYTES, checkLogo } from './brands.logo.ts';
import * as q from './brands.queries.ts';
import type {
  CreateBrandRoute,
  DeleteBrandRoute,
  DeleteLogoRoute,
  GetLogoRoute,
  LinkBrandRoute,
  ListBrandsRoute,
  PutLogoRoute,
  SetBranchBrandRoute,
  UpdateBrandRoute,
} from './brands.routes.ts';

const checkContrast = (colours: { primaryColor: string; onPrimaryColor: string }) => {
  const faults = contrastFaults(colours);
  if (faults.length > 0) throw badRequest('The brand colours do not keep the WCAG AA contrast ratio (4.5:1); nothing was saved', faults);
};

export const listBrands: AppRouteHandler<ListBrandsRoute> = async (c) => c.json(await q.listBrands(c.get('deps').sql), 200);

export const createBrand: AppRouteHandler<CreateBrandRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const input = c.req.valid('json');
  checkContrast(input);
  const brand = await q.createBrand(sql, input, now());
  await audit(c, 'brand.create', { type: 'brand', id: brand.id }, { code: brand.code });
  return c.json(brand, 201);
};

export const updateBrand: AppRouteHandler<UpdateBrandRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const stored = await q.brandColours(sql, id);
  checkContrast({ primaryColor: input.primaryColor ?? stored.primaryColor, onPrimaryColor: input.onPrimaryColor ?? stored.onPrimaryColor });
  const brand = await q.updateBrand(sql, id, input, now());
  await audit(c, 'brand.update', { type: 'brand', id }, { code: brand.code, fields: Object.keys(input) });
  return c.json(brand, 200);
};

export const deleteBrand: AppRouteHandler<DeleteBrandRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { id } = c.req.valid('param');
  const { code } = await q.deleteBrand(sql, id);
  await audit(c, 'brand.delete', { type: 'brand', id }, { code });
  return c.body(null, 204);
};

export const putLogo: AppRouteHandler<PutLogoRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const tooLarge = () =>
    new ProblemError(413, 'Payload Too Large', `A logo may have at most ${LOGO_MAX_BYTES / 1024} KiB`, [
      { path: 'logo', code: 'too_large', message: `a logo may have at most ${LOGO_MAX_BYTES / 1024} KiB`, params: { max: LOGO_MAX_BYTES } },
    ]);
  if (Number(c.req.header('content-length') ?? 0) > LOGO_MAX_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const checked = checkLogo(bytes);
  if (!checked.ok) {
    const title = checked.status === 413 ? 'Payload Too Large' : checked.status === 415 ? 'Unsupported Media Type' : 'Bad Request';
    throw new ProblemError(checked.status, title, 'The logo was not saved', checked.errors);
  }
  await q.setLogo(sql, id, { bytes, type: checked.type }, now());
  await audit(c, 'brand.logo', { type: 'brand', id }, { contentType: checked.type, sizeBytes: bytes.length });
  return c.json(await q.oneBrand(sql, id), 200);
};

export const deleteLogo: AppRouteHandler<DeleteLogoRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  await q.setLogo(sql, id, null, now());
  await audit(c, 'brand.logo', { type: 'brand', id }, { removed: true });
  return c.json(await q.oneBrand(sql, id), 200);
};

export const getLogo: AppRouteHandler<GetLogoRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const logo = await q.readLogo(c.get('deps').sql, id);
  if (!logo) throw notFound('No logo');
  return c.body(new Uint8Array(logo.bytes), 200, {
    'Content-Type': logo.type,
    'Content-Length': String(logo.bytes.length),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    // The URL carries the upload time (?v=), so a new logo has a new URL.
    'Cache-Control': 'public, max-age=86400',
  });
};

export const setBranchBrand: AppRouteHandler<SetBranchBrandRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const { brandId } = c.req.valid('json');
  const branch = await q.setBranchBrand(sql, id, brandId, now());
  if (!branch) throw notFound('No such branch');
  await audit(c, 'branch.brand', { type: 'branch', id }, { code: branch.code, brandId });
  return c.json({ brandId }, 200);
};

export const linkBrand: AppRouteHandler<LinkBrandRoute> = async (c) => {
  const { token } = c.req.valid('param');
  return c.json({ brand: await q.brandOfInvitation(c.get('deps').sql, hashToken(token)) }, 200);
};
