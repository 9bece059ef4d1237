import type { SqlClient } from '../queue/queue.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { Brand, BrandCreate, BrandUpdate, PublicBrand } from './brands.schemas.ts';

interface BrandRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  primary_color: string;
  on_primary_color: string;
  sender_name: string;
  sender_email: string;
  sms_sender: string;
  legal_footer: string;
  legal_footer_en: string | null;
  logo_updated_at: Date | null;
  has_logo: boolean;
  branches: { id: string; code: string }[] | null;
  created_at: Date;
  updated_at: Date;
}

export const logoUrl = (id: string, updatedAt: Date | string | null) => (updatedAt ? `/api/brands/${id}/logo?v=${new Date(updatedAt).getTime()}` : null);

const toBrand = (r: BrandRow): Brand => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  primaryColor: r.primary_color,
  onPrimaryColor: r.on_primary_color,
  senderName: r.sender_name,
  senderEmail: r.sender_email,
  smsSender: r.sms_sender,
  legalFooter: r.legal_footer,
  legalFooterEn: r.legal_footer_en,
  logoUrl: r.has_logo ? logoUrl(r.id, r.logo_updated_at) : null,
  branches: r.branches ?? [],
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listBrands(sql: SqlClient, filter: { id?: string } = {}): Promise<Brand[]> {
  const rows = await sql<BrandRow[]>`
    select r.id, r.code, r.name, r.name_en, r.primary_color, r.on_primary_color, r.sender_name, r.sender_email, r.sms_sender,
           r.legal_footer, r.legal_footer_en, r.logo_updated_at, r.logo is not null as has_logo, r.created_at, r.updated_at,
           (select coalesce(json_agg(json_build_object('id', b.id, 'code', b.code) order by b.code), '[]'::json)
              from branches b where b.brand_id = r.id) as branches
    from brands r
    where (${filter.id ?? null}::uuid is null or r.id = ${filter.id ?? null})
    order by r.code`;
  return rows.map(toBrand);
}

export async function oneBrand(sql: SqlClient, id: string): Promise<Brand> {
  const [brand] = await listBrands(sql, { id });
  if (!brand) throw notFound('No such brand');
  return brand;
}

export async function createBrand(sql: SqlClient, input: BrandCreate, now: Date): Promise<Brand> {
  const [row] = await sql<{ id: string }[]>`
    insert into brands (code, name, name_en, primary_color, on_primary_color, sender_name, sender_email, sms_sender, legal_footer, legal_footer_en, created_at, updated_at)
    values (${input.code}, ${input.name}, ${input.nameEn ?? null}, ${input.primaryColor.toLowerCase()}, ${input.onPrimaryColor.toLowerCase()},
            ${input.senderName}, ${input.senderEmail}, ${input.smsSender}, ${input.legalFooter}, ${input.legalFooterEn ?? null},
            ${now.toISOString()}, ${now.toISOString()})
    on conflict (code) do nothing
    returning id`;
  if (!row) throw conflict(`A brand with code "${input.code}" exists already`);
  return oneBrand(sql, row.id);
}

/** The stored colours of a brand (to check an update's contrast against what it leaves unchanged). */
export async function brandColours(sql: SqlClient, id: string): Promise<{ primaryColor: string; onPrimaryColor: string }> {
  const [row] = await sql<{ primary_color: string; on_primary_color: string }[]>`select primary_color, on_primary_color from brands where id = ${id}`;
  if (!row) throw notFound('No such brand');
  return { primaryColor: row.primary_color, onPrimaryColor: row.on_primary_color };
}

export async function updateBrand(sql: SqlClient, id: string, input: BrandUpdate, now: Date): Promise<Brand> {
  const keep = <T>(v: T | undefined) => (v === undefined ? null : v);
  const [row] = await sql<{ id: string }[]>`
    update brands set
      name = coalesce(${keep(input.name)}, name),
      name_en = case when ${input.nameEn === undefined} then name_en else ${input.nameEn ?? null} end,
      primary_color = coalesce(${keep(input.primaryColor?.toLowerCase())}, primary_color),
      on_primary_color = coalesce(${keep(input.onPrimaryColor?.toLowerCase())}, on_primary_color),
      sender_name = coalesce(${keep(input.senderName)}, sender_name),
      sender_email = coalesce(${keep(input.senderEmail)}, sender_email),
      sms_sender = coalesce(${keep(input.smsSender)}, sms_sender),
      legal_footer = coalesce(${keep(input.legalFooter)}, legal_footer),
      legal_footer_en = case when ${input.legalFooterEn === undefined} then legal_footer_en else ${input.legalFooterEn ?? null} end,
      updated_at = ${now.toISOString()}
    where id = ${id}
    returning id`;
  if (!row) throw notFound('No such brand');
  return oneBrand(sql, row.id);
}

/** Deletes a brand without branches; one with branches is refused (move them first). */
export async function deleteBrand(sql: SqlClient, id: string): Promise<{ code: string }> {
  const [row] = await sql<{ code: string; branches: number }[]>`
    select code, (select count(*)::int from branches where brand_id = ${id}) as branches from brands where id = ${id}`;
  if (!row) throw notFound('No such brand');
  if (row.branches > 0) throw conflict(`Brand "${row.code}" still has ${row.branches} branches: give them another brand first`);
  await sql`delete from brands where id = ${id}`;
  return { code: row.code };
}

export async function setLogo(sql: SqlClient, id: string, logo: { bytes: Uint8Array; type: string } | null, now: Date): Promise<void> {
  const [row] = await sql<{ id: string }[]>`
    update brands set logo = ${logo ? Buffer.from(logo.bytes) : null}, logo_type = ${logo?.type ?? null},
      logo_updated_at = ${logo ? now.toISOString() : null}, updated_at = ${now.toISOString()}
    where id = ${id} returning id`;
  if (!row) throw notFound('No such brand');
}

export async function readLogo(sql: SqlClient, id: string): Promise<{ bytes: Buffer; type: string; updatedAt: Date } | null> {
  const [row] = await sql<{ logo: Buffer | null; logo_type: string | null; logo_updated_at: Date | null }[]>`
    select logo, logo_type, logo_updated_at from brands where id = ${id}`;
  if (!row?.logo || !row.logo_type || !row.logo_updated_at) return null;
  return { bytes: row.logo, type: row.logo_type, updatedAt: new Date(row.logo_updated_at) };
}

/** Gives a branch a brand (or none); false when there is no such branch. */
export async function setBranchBrand(sql: SqlClient, branchId: string, brandId: string | null, now: Date): Promise<{ code: string } | null> {
  if (brandId) {
    const [brand] = await sql<{ n: number }[]>`select count(*)::int as n from brands where id = ${brandId}`;
    if (brand.n === 0) throw notFound('No such brand');
  }
  const [row] = await sql<{ code: string }[]>`
    update branches set brand_id = ${brandId}, updated_at = ${now.toISOString()} where id = ${branchId} returning code`;
  return row ?? null;
}

interface PublicBrandRow {
  id: string;
  name: string;
  name_en: string | null;
  primary_color: string;
  on_primary_color: string;
  legal_footer: string;
  legal_footer_en: string | null;
  logo_updated_at: Date | null;
  has_logo: boolean;
}

const toPublic = (r: PublicBrandRow): PublicBrand => ({
  name: r.name,
  nameEn: r.name_en,
  primaryColor: r.primary_color,
  onPrimaryColor: r.on_primary_color,
  legalFooter: r.legal_footer,
  legalFooterEn: r.legal_footer_en,
  logoUrl: r.has_logo ? logoUrl(r.id, r.logo_updated_at) : null,
});

/** The brand of the branch an invitation (by its token's hash) belongs to; null without one. */
export async function brandOfInvitation(sql: SqlClient, tokenHash: string): Promise<PublicBrand | null> {
  const [row] = await sql<PublicBrandRow[]>`
    select r.id, r.name, r.name_en, r.primary_color, r.on_primary_color, r.legal_footer, r.legal_footer_en, r.logo_updated_at, r.logo is not null as has_logo
    from invitations i join branches b on b.id = i.branch_id join brands r on r.id = b.brand_id
    where i.token_hash = ${tokenHash}`;
  return row ? toPublic(row) : null;
}

/** What the sender needs of the brand of a branch: the public part and the senders. */
export async function brandOfBranch(sql: SqlClient, branchId: string) {
  const [row] = await sql<(PublicBrandRow & { sender_name: string; sender_email: string; sms_sender: string })[]>`
    select r.id, r.name, r.name_en, r.primary_color, r.on_primary_color, r.legal_footer, r.legal_footer_en, r.logo_updated_at,
           r.logo is not null as has_logo, r.sender_name, r.sender_email, r.sms_sender
    from branches b join brands r on r.id = b.brand_id
    where b.id = ${branchId}`;
  return row ? { ...toPublic(row), senderName: row.sender_name, senderEmail: row.sender_email, smsSender: row.sms_sender } : null;
}

/** The brand of a message: its look in the e-mail, the From header and the SMS sender. */
export async function brandForSending(sql: SqlClient, brandId: string, locale: string, publicUrl: string) {
  const [row] = await sql<(PublicBrandRow & { sender_name: string; sender_email: string; sms_sender: string })[]>`
    select r.id, r.name, r.name_en, r.primary_color, r.on_primary_color, r.legal_footer, r.legal_footer_en, r.logo_updated_at,
           r.logo is not null as has_logo, r.sender_name, r.sender_email, r.sms_sender
    from brands r where r.id = ${brandId}`;
  if (!row) return null;
  const english = locale === 'en';
  const logo = row.has_logo ? logoUrl(row.id, row.logo_updated_at) : null;
  return {
    look: {
      name: english && row.name_en ? row.name_en : row.name,
      primaryColor: row.primary_color,
      onPrimaryColor: row.on_primary_color,
      legalFooter: english && row.legal_footer_en ? row.legal_footer_en : row.legal_footer,
      logoUrl: logo ? `${publicUrl.replace(/\/$/, '')}${logo}` : null,
    },
    from: `"${row.sender_name}" <${row.sender_email}>`,
    smsSender: row.sms_sender,
  };
}
