import type { SqlClient } from '../queue/queue.ts';
import { conflict, notFound } from '../lib/problem.ts';
import type { Branch, BranchCreate, BranchUpdate } from './branches.schemas.ts';

interface BranchRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  city: string;
  region: string;
  region_id: string;
  time_zone: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toBranch = (r: BranchRow): Branch => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  city: r.city,
  region: r.region,
  regionId: r.region_id,
  timeZone: r.time_zone,
  active: r.active,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const COLUMNS = 'id, code, name, name_en, city, region, region_id, time_zone, active, created_at, updated_at';

/** Which of these branch codes exist (rental targeting rules, reward redemptions by branch). */
export async function knownBranchCodes(sql: SqlClient, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await sql<{ code: string }[]>`select code from branches where code = any(${codes}::text[])`;
  return new Set(rows.map((r) => r.code));
}

/** Branches in code order; `scope` (branch ids) limits them for branch-scoped roles, null = all. */
export async function listBranches(sql: SqlClient, scope: string[] | null, filter: { active?: boolean }): Promise<Branch[]> {
  const rows = await sql<BranchRow[]>`
    select ${sql.unsafe(COLUMNS)} from branches
    where (${scope}::uuid[] is null or id = any(${scope}::uuid[]))
      and (${filter.active ?? null}::boolean is null or active = ${filter.active ?? null})
    order by code`;
  return rows.map(toBranch);
}

// The region: by id (the trigger of drizzle/0017_access_regions.sql then writes its code into `region`), or
// by code (the trigger finds or creates the region and sets region_id).
export async function createBranch(sql: SqlClient, input: BranchCreate, now: Date): Promise<Branch> {
  const [row] = await sql<BranchRow[]>`
    insert into branches (code, name, name_en, city, region, region_id, time_zone, active, created_at, updated_at)
    values (${input.code}, ${input.name}, ${input.nameEn ?? null}, ${input.city}, ${input.regionId ? '' : (input.region ?? '')}, ${input.regionId ?? null},
            ${input.timeZone}, ${input.active}, ${now.toISOString()}, ${now.toISOString()})
    on conflict (code) do nothing
    returning ${sql.unsafe(COLUMNS)}`;
  if (!row) throw conflict(`A branch with code "${input.code}" exists already`);
  return toBranch(row);
}

export async function updateBranch(sql: SqlClient, id: string, input: BranchUpdate, now: Date): Promise<Branch> {
  const [row] = await sql<BranchRow[]>`
    update branches set
      name = coalesce(${input.name ?? null}, name),
      name_en = case when ${input.nameEn === undefined} then name_en else ${input.nameEn ?? null} end,
      city = coalesce(${input.city ?? null}, city),
      region = coalesce(${input.region ?? null}, region),
      region_id = coalesce(${input.regionId ?? null}::uuid, region_id),
      time_zone = coalesce(${input.timeZone ?? null}, time_zone),
      active = coalesce(${input.active ?? null}::boolean, active),
      updated_at = ${now.toISOString()}
    where id = ${id}
    returning ${sql.unsafe(COLUMNS)}`;
  if (!row) throw notFound('No such branch');
  return toBranch(row);
}

/**
 * Creates or updates branches by code in one statement (the caller's transaction: all or nothing).
 * A branch whose fields are all the same is left alone.
 */
export async function upsertBranches(sql: SqlClient, branches: BranchCreate[], now: Date): Promise<{ created: number; updated: number; unchanged: number }> {
  const values = branches.map((b) => ({
    code: b.code,
    name: b.name,
    name_en: b.nameEn ?? null,
    city: b.city,
    region: b.region ?? '',
    time_zone: b.timeZone,
    active: b.active,
  }));
  const rows = await sql<{ inserted: boolean }[]>`
    insert into branches (code, name, name_en, city, region, time_zone, active, created_at, updated_at)
    select x.code, x.name, x.name_en, x.city, x.region, x.time_zone, x.active, ${now.toISOString()}, ${now.toISOString()}
    from json_to_recordset(${JSON.stringify(values)}::json) as x(code text, name text, name_en text, city text, region text, time_zone text, active boolean)
    on conflict (code) do update set
      name = excluded.name, name_en = excluded.name_en, city = excluded.city, region = excluded.region,
      time_zone = excluded.time_zone, active = excluded.active, updated_at = excluded.updated_at
    where (branches.name, branches.name_en, branches.city, branches.region, branches.time_zone, branches.active)
      is distinct from (excluded.name, excluded.name_en, excluded.city, excluded.region, excluded.time_zone, excluded.active)
    returning (xmax = 0) as inserted`;
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, unchanged: branches.length - rows.length };
}
