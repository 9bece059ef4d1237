// The SQL side of the shared filters and groupings: every analytics query is "some source rows, limited
// by these conditions, grouped by these keys". Branch filters and the caller's branch scope are applied
// in the SQL, on the source's branch column.
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/client.ts';
import { badRequest } from '../lib/problem.ts';
import type { Locale } from '../surveys/definition/index.ts';
import type { FilterQuery, GroupBy } from './filters.schemas.ts';
import { isPeriod } from './filters.schemas.ts';

export type Fragment = PendingQuery<Row[]>;

export interface AnalyticsFilters {
  surveyId: string;
  from: string | null;
  to: string | null;
  timeZone: string;
  branchIds: string[] | null;
  regions: string[] | null;
  tiers: string[] | null;
  customerTypes: string[] | null;
  vehicleClasses: string[] | null;
  channels: string[] | null;
  /** Branch ids the caller may see (the access rules); null = all. Applied inside the SQL. */
  branchScope: string[] | null;
}

type FilterInput = Omit<FilterQuery, 'groupBy' | 'lang'> & { groupBy?: string; lang?: Locale };

const nonEmpty = (values: string[] | undefined) => (values && values.length > 0 ? [...new Set(values)] : null);

/** Checks branch codes and regions against the branches table (unknown ones → 400 naming the field). */
export async function resolveFilters(
  sql: Sql,
  query: FilterInput,
  options: { timeZone: string; branchScope: string[] | null },
): Promise<AnalyticsFilters> {
  const codes = nonEmpty(query.branch);
  const regions = nonEmpty(query.region);
  let branchIds: string[] | null = null;
  if (codes) {
    const rows = await sql<{ id: string; code: string }[]>`select id, code from branches where code = any(${codes}::text[])`;
    const known = new Set(rows.map((r) => r.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw badRequest('Unknown branch', unknown.map((c) => ({ path: 'branch', message: `no branch with code "${c}"` })));
    }
    branchIds = rows.map((r) => r.id);
  }
  if (regions) {
    const rows = await sql<{ region: string }[]>`select distinct region from branches where region = any(${regions}::text[])`;
    const known = new Set(rows.map((r) => r.region));
    const unknown = regions.filter((r) => !known.has(r));
    if (unknown.length > 0) {
      throw badRequest('Unknown region', unknown.map((r) => ({ path: 'region', message: `no branch in region "${r}"` })));
    }
  }
  return {
    surveyId: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    timeZone: options.timeZone,
    branchIds,
    regions,
    tiers: nonEmpty(query.tier),
    customerTypes: nonEmpty(query.customerType),
    vehicleClasses: nonEmpty(query.vehicleClass),
    channels: nonEmpty(query.channel),
    branchScope: options.branchScope,
  };
}

/** Where a query's rows come from: trusted SQL column references. */
export interface Source {
  branch: string;
  customer: string;
  /** Column holding the rental id; with `rentalAlias` the source row is itself the rental. */
  rental: string;
  rentalAlias?: string;
  /** The timestamp the period filter and period groupings use. */
  time: string;
  /** `time` is a calendar date of the company time zone already (the daily rollup). */
  isDay?: boolean;
}

export const FACTS_SOURCE: Source = { branch: 'f.branch_id', customer: 'f.customer_id', rental: 'f.rental_id', time: 'f.finished_at' };
export const INVITATIONS_SOURCE: Source = { branch: 'i.branch_id', customer: 'i.customer_id', rental: 'i.rental_id', time: 'i.created_at' };
/** The daily rollup: branch and day only (no customer or rental: segment filters never reach it). */
export const DAILY_SOURCE: Source = { branch: 'd.branch_id', customer: 'null::uuid', rental: 'null::uuid', time: 'd.day', isDay: true };
export const RENTALS_SOURCE: Source = { branch: 'x.pickup_branch_id', customer: 'x.customer_id', rental: 'x.id', rentalAlias: 'x', time: 'x.returned_at' };

export interface ScopeSql {
  /** Left joins the filters and keys need (branches b, customers c, rentals rt). */
  joins: Fragment;
  /** Conditions, starting with `true`. */
  where: Fragment;
  /** `k0, l0, k1, l1, …` select expressions (none when there are no keys). */
  keys: Fragment | null;
  keyCount: number;
}

export function joinFragments(sql: Sql, parts: Fragment[], separator: string): Fragment {
  if (parts.length === 0) return sql``;
  return parts.reduce((acc, part) => sql`${acc}${sql.unsafe(separator)}${part}`);
}

/** Time the company's calendar day `date` starts, as SQL. */
export const dayStart = (sql: Sql, date: string, timeZone: string) => sql`((${date}::date)::timestamp at time zone ${timeZone})`;
export const dayEnd = (sql: Sql, date: string, timeZone: string) => sql`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

/**
 * The joins, conditions and group keys for `source` under `filters`. `keys` are groupings (none adds
 * no key). `period` overrides the period of the filters (used to look at the previous period).
 */
export function scopeSql(
  sql: Sql,
  source: Source,
  filters: AnalyticsFilters,
  keys: GroupBy[],
  options: { lang?: Locale; period?: { from: string | null; to: string | null } } = {},
): ScopeSql {
  const needs = new Set<'b' | 'c' | 'rt'>();
  const rt = source.rentalAlias ?? 'rt';
  const rtNeeded = () => {
    if (!source.rentalAlias) needs.add('rt');
  };

  const keyParts: Fragment[] = [];
  for (const [position, key] of keys.filter((k) => k !== 'none').entries()) {
    let keyExpr: Fragment;
    let labelExpr: Fragment | null = null;
    if (isPeriod(key)) {
      keyExpr = source.isDay
        ? sql`to_char(date_trunc(${key}, ${sql.unsafe(source.time)}::timestamp), 'YYYY-MM-DD')`
        : sql`to_char(date_trunc(${key}, ${sql.unsafe(source.time)} at time zone ${filters.timeZone}), 'YYYY-MM-DD')`;
    } else {
      switch (key) {
        case 'branch':
          needs.add('b');
          keyExpr = sql`coalesce(b.code, 'unknown')`;
          labelExpr = options.lang === 'en' ? sql`coalesce(b.name_en, b.name, 'unknown')` : sql`coalesce(b.name, 'unknown')`;
          break;
        case 'region':
          needs.add('b');
          keyExpr = sql`coalesce(b.region, 'unknown')`;
          break;
        case 'tier':
          needs.add('c');
          keyExpr = sql`coalesce(c.value_tier, 'unknown')`;
          break;
        case 'customerType':
          needs.add('c');
          keyExpr = sql`coalesce(c.customer_type, 'unknown')`;
          break;
        case 'vehicleClass':
          rtNeeded();
          keyExpr = sql`coalesce(${sql.unsafe(rt)}.vehicle_class, 'unknown')`;
          break;
        case 'channel':
          rtNeeded();
          keyExpr = sql`coalesce(${sql.unsafe(rt)}.booking_channel, 'unknown')`;
          break;
        case 'newReturning':
          rtNeeded();
          // Returning: the customer had a rental that ended before the answered one started.
          keyExpr = sql`case when ${sql.unsafe(rt)}.id is null then 'unknown'
            when exists (select 1 from rentals earlier where earlier.customer_id = ${sql.unsafe(rt)}.customer_id
                         and earlier.returned_at < ${sql.unsafe(rt)}.picked_up_at) then 'returning'
            else 'new' end`;
          break;
        default:
          throw new Error(`unhandled grouping ${key satisfies never}`);
      }
    }
    keyParts.push(sql`${keyExpr} as ${sql.unsafe(`k${position}`)}, ${labelExpr ?? keyExpr} as ${sql.unsafe(`l${position}`)}`);
  }

  const period = options.period ?? { from: filters.from, to: filters.to };
  const time = sql.unsafe(source.time);
  const conditions: Fragment[] = [sql`true`];
  if (source.isDay) {
    if (period.from) conditions.push(sql`${time} >= ${period.from}::date`);
    if (period.to) conditions.push(sql`${time} <= ${period.to}::date`);
  } else {
    if (period.from) conditions.push(sql`${time} >= ${dayStart(sql, period.from, filters.timeZone)}`);
    if (period.to) conditions.push(sql`${time} < ${dayEnd(sql, period.to, filters.timeZone)}`);
  }
  const branch = sql.unsafe(source.branch);
  if (filters.branchIds) conditions.push(sql`${branch} = any(${filters.branchIds}::uuid[])`);
  if (filters.regions) conditions.push(sql`${branch} in (select id from branches where region = any(${filters.regions}::text[]))`);
  if (filters.branchScope) conditions.push(sql`${branch} = any(${filters.branchScope}::uuid[])`);
  if (filters.tiers) {
    needs.add('c');
    conditions.push(sql`c.value_tier = any(${filters.tiers}::text[])`);
  }
  if (filters.customerTypes) {
    needs.add('c');
    conditions.push(sql`c.customer_type = any(${filters.customerTypes}::text[])`);
  }
  if (filters.vehicleClasses) {
    rtNeeded();
    conditions.push(sql`${sql.unsafe(rt)}.vehicle_class = any(${filters.vehicleClasses}::text[])`);
  }
  if (filters.channels) {
    rtNeeded();
    conditions.push(sql`${sql.unsafe(rt)}.booking_channel = any(${filters.channels}::text[])`);
  }

  const joins: Fragment[] = [];
  if (needs.has('b')) joins.push(sql`left join branches b on b.id = ${branch}`);
  if (needs.has('c')) joins.push(sql`left join customers c on c.id = ${sql.unsafe(source.customer)}`);
  if (needs.has('rt')) joins.push(sql`left join rentals rt on rt.id = ${sql.unsafe(source.rental)}`);

  return {
    joins: joinFragments(sql, joins, ' '),
    where: joinFragments(sql, conditions, ' and '),
    keys: keyParts.length > 0 ? joinFragments(sql, keyParts, ', ') : null,
    keyCount: keyParts.length,
  };
}

/**
 * Runs analytics reads in one transaction with the planner settings they want: no JIT (compiling the
 * wide aggregate lists costs more than it saves, and wrecks small filtered reads) and hash aggregation
 * (PostgreSQL guesses one group per distinct timestamp for a period key and would sort instead).
 */
export function analyticsRead<T>(sql: Sql, f: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx.unsafe('set local jit = off; set local enable_sort = off');
    return f(tx as unknown as Sql);
  }) as Promise<T>;
}

/** `1, 2, …, n` for GROUP BY (positions, because the key expressions carry parameters). */
export const ordinals = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => i + 1 + offset).join(', ');
