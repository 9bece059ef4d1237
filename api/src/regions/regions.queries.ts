import type { SqlClient } from '../queue/queue.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { Region, RegionCreate, RegionUpdate } from './regions.schemas.ts';

interface RegionRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  active: boolean;
  branch_count: number;
  created_at: Date;
  updated_at: Date;
}

const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  active: r.active,
  branchCount: Number(r.branch_count),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Regions in code order with their branch counts. `scope` (branch ids; null = all) limits them for
 * branch-scoped roles to the regions holding a branch they see, and the counts to those branches.
 */
export async function listRegions(sql: SqlClient, scope: string[] | null, filter: { id?: string } = {}): Promise<Region[]> {
  const rows = await sql<RegionRow[]>`
    select r.id, r.code, r.name, r.name_en, r.active, r.created_at, r.updated_at,
           (select count(*)::int from branches b
             where b.region_id = r.id and (${scope}::uuid[] is null or b.id = any(${scope}::uuid[]))) as branch_count
    from regions r
    where (${filter.id ?? null}::uuid is null or r.id = ${filter.id ?? null})
      and (${scope}::uuid[] is null
           or exists (select 1 from branches b where b.region_id = r.id and b.id = any(${scope}::uuid[])))
    order by r.code`;
  return rows.map(toRegion);
}

async function oneRegion(sql: SqlClient, id: string): Promise<Region> {
  const [region] = await listRegions(sql, null, { id });
  if (!region) throw notFound('No such region');
  return region;
}

export async function createRegion(sql: SqlClient, input: RegionCreate, now: Date): Promise<Region> {
  const [row] = await sql<{ id: string }[]>`
    insert into regions (code, name, name_en, active, created_at, updated_at)
    values (${input.code}, ${input.name}, ${input.nameEn ?? null}, ${input.active}, ${now.toISOString()}, ${now.toISOString()})
    on conflict (code) do nothing
    returning id`;
  if (!row) throw conflict(`A region with code "${input.code}" exists already`);
  return oneRegion(sql, row.id);
}

export async function updateRegion(sql: SqlClient, id: string, input: RegionUpdate, now: Date): Promise<Region> {
  const [row] = await sql<{ id: string }[]>`
    update regions set
      name = coalesce(${input.name ?? null}, name),
      name_en = case when ${input.nameEn === undefined} then name_en else ${input.nameEn ?? null} end,
      active = coalesce(${input.active ?? null}::boolean, active),
      updated_at = ${now.toISOString()}
    where id = ${id}
    returning id`;
  if (!row) throw notFound('No such region');
  return oneRegion(sql, row.id);
}

/** Deletes a region without branches (its managers lose it); one with branches is refused (move or deactivate instead). */
export async function deleteRegion(sql: SqlClient, id: string): Promise<{ code: string }> {
  const [row] = await sql<{ code: string; branches: number }[]>`
    select code, (select count(*)::int from branches where region_id = ${id}) as branches from regions where id = ${id}`;
  if (!row) throw notFound('No such region');
  if (row.branches > 0) throw conflict(`Region "${row.code}" still has ${row.branches} branches: move them to another region, or deactivate the region`);
  await sql`delete from regions where id = ${id}`;
  return { code: row.code };
}

/** Creates or updates regions by code in one statement (the caller's transaction: all or nothing). */
export async function upsertRegions(sql: SqlClient, regions: RegionCreate[], now: Date): Promise<{ created: number; updated: number; unchanged: number }> {
  const values = regions.map((r) => ({ code: r.code, name: r.name, name_en: r.nameEn ?? null, active: r.active }));
  const rows = await sql<{ inserted: boolean }[]>`
    insert into regions (code, name, name_en, active, created_at, updated_at)
    select x.code, x.name, x.name_en, x.active, ${now.toISOString()}, ${now.toISOString()}
    from json_to_recordset(${JSON.stringify(values)}::json) as x(code text, name text, name_en text, active boolean)
    on conflict (code) do update set
      name = excluded.name, name_en = excluded.name_en, active = excluded.active, updated_at = excluded.updated_at
    where (regions.name, regions.name_en, regions.active) is distinct from (excluded.name, excluded.name_en, excluded.active)
    returning (xmax = 0) as inserted`;
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, unchanged: regions.length - rows.length };
}

/** The region with this code and the ids of all its branches; null when there is no such region. */
export async function regionWithBranches(sql: SqlClient, code: string) {
  const [row] = await sql<{ id: string; code: string; name: string; name_en: string | null; active: boolean; branch_ids: string[] }[]>`
    select r.id, r.code, r.name, r.name_en, r.active,
           coalesce(array(select b.id from branches b where b.region_id = r.id order by b.code), '{}')::text[] as branch_ids
    from regions r where r.code = ${code}`;
  if (!row) return null;
  return { region: { id: row.id, code: row.code, name: row.name, nameEn: row.name_en, active: row.active }, branchIds: row.branch_ids };
}

/** Whether the region exists (for a branch given a region id). */
export async function regionExists(sql: SqlClient, id: string): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from regions where id = ${id}`;
  return row.n > 0;
}
