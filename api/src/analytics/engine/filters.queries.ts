// The SQL side of the shared filters and groupings: every analytics query is "some source rows, limited
// by these conditions, grouped by these keys". Branch filters and the caller's branch scope are applied
// in the SQL, on the source's branch column.
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../../db/client.ts';
import { badRequest } from '../../lib/problem.ts';
import type { Locale } from '@rs/survey-definition';
import { returningCustomerCondition } from '../../distribution/segments.ts';
import type { FilterQuery, GroupBy } from './filters.schemas.ts';
import { isPeriod, OPEN_LINK_CHANNEL } from './filters.schemas.ts';

export type Fragment = PendingQuery<Row[]>;

export interface AnalyticsFilters {
  surveyId: string;
  from: string | null;
  to: string | null;
  timeZone: string;
  branchIds: string[] | null;
  regions: string[] | null;
  /** Brand codes: the branches of these brands. */
  brands?: string[] | null;
  tiers: string[] | null;
  customerTypes: string[] | null;
  vehicleClasses: string[] | null;
  channels: string[] | null;
  /** Answers given through open links (QR codes): counted (include, the default) or left out. */
  openLinks?: 'include' | 'exclude';
  /** Branch ids the caller may see (the access rules); null = all. Applied inside the SQL. */
  branchScope: string[] | null;
}

type FilterInput = Omit<FilterQuery, 'groupBy' | 'lang'> & { groupBy?: string; lang?: Locale };

const nonEmpty = (values: string[] | undefined) => (values && values.length > 0 ? [...new Set(values)] : null);

/** Checks branch codes and regions against the branches table (unknown ones → 400 naming the field). */
export async function resolveFilters(sql: Sql, query: FilterInput, options: { timeZone: string; branchScope: string[] | null }): Promise<AnalyticsFilters> {
  const codes = nonEmpty(query.branch);
  const regions = nonEmpty(query.region);
  let branchIds: string[] | null = null;
  if (codes) {
    const rows = await sql<{ id: string; code: string }[]>`select id, code from branches where code = any(${codes}::text[])`;
    const known = new Set(rows.map((r) => r.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw badRequest(
        'Unknown branch',
        unknown.map((c) => ({ path: 'branch', message: `no branch with code "${c}"` })),
      );
    }
    branchIds = rows.map((r) => r.id);
  }
  if (regions) {
    const rows = await sql<{ region: string }[]>`select distinct region from branches where region = any(${regions}::text[])`;
    const known = new Set(rows.map((r) => r.region));
    const unknown = regions.filter((r) => !known.has(r));
    if (unknown.length > 0) {
      throw badRequest(
        'Unknown region',
        unknown.map((r) => ({ path: 'region', message: `no branch in region "${r}"` })),
      );
    }
  }
  const brands = nonEmpty(query.brand);
  if (brands) {
    const rows = await sql<{ code: string }[]>`select code from brands where code = any(${brands}::text[])`;
    const known = new Set(rows.map((r) => r.code));
    const unknown = brands.filter((b) => !known.has(b));
    if (unknown.length > 0) {
      throw badRequest(
        'Unknown brand',
        unknown.map((b) => ({ path: 'brand', message: `no brand with code "${b}"` })),
      );
    }
  }
  return {
    surveyId: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    timeZone: options.timeZone,
    branchIds,
    regions,
    brands,
    tiers: nonEmpty(query.tier),
    customerTypes: nonEmpty(query.customerType),
    vehicleClasses: nonEmpty(query.vehicleClass),
    channels: nonEmpty(query.channel),
    openLinks: query.openLinks ?? 'include',
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
  /** Column holding the response id, when the rows are responses (open-link answers are told by it). */
  response?: string;
  /** The timestamp the period filter and period groupings use. */
  time: string;
  /** `time` is a calendar date of the company time zone already (the daily rollup). */
  isDay?: boolean;
  /** Column holding the row's value of the one segment the rows are keyed by (the segment rollup). */
  segmentValue?: string;
}

export const FACTS_SOURCE: Source = {
  branch: 'f.branch_id',
  customer: 'f.customer_id',
  rental: 'f.rental_id',
  response: 'f.response_id',
  time: 'f.finished_at',
};
export const INVITATIONS_SOURCE: Source = { branch: 'i.branch_id', customer: 'i.customer_id', rental: 'i.rental_id', time: 'i.created_at' };
/** The rollups: branch, day and a segment value (no customer or rental: segment filters are applied to the value). */
export const ROLLUP_SOURCE: Source = {
  branch: 'd.branch_id',
  customer: 'null::uuid',
  rental: 'null::uuid',
  time: 'd.day',
  isDay: true,
  segmentValue: 'd.value',
};
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
  const needs = new Set<'b' | 'br' | 'c' | 'rt'>();
  const rt = source.rentalAlias ?? 'rt';
  const rtNeeded = () => {
    if (!source.rentalAlias) needs.add('rt');
  };

  // Answers given through an open link: channel open_link (invitations and rentals never are).
  const openLink = source.response ? sql`exists (select 1 from open_link_responses olr where olr.response_id = ${sql.unsafe(source.response)})` : sql`false`;

  const keyParts: Fragment[] = [];
  for (const [position, key] of keys.filter((k) => k !== 'none').entries()) {
    let keyExpr: Fragment;
    let labelExpr: Fragment | null = null;
    if (source.segmentValue && !isPeriod(key) && key !== 'branch' && key !== 'region' && key !== 'brand') {
      keyExpr = sql.unsafe(source.segmentValue);
    } else if (isPeriod(key)) {
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
        case 'brand':
          needs.add('b');
          needs.add('br');
          keyExpr = sql`coalesce(br.code, 'unknown')`;
          labelExpr = options.lang === 'en' ? sql`coalesce(br.name_en, br.name, 'unknown')` : sql`coalesce(br.name, 'unknown')`;
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
          keyExpr = sql`case when ${openLink} then ${OPEN_LINK_CHANNEL} else coalesce(${sql.unsafe(rt)}.booking_channel, 'unknown') end`;
          break;
        case 'newReturning':
          rtNeeded();
          // The one definition of a returning customer (distribution/segments.ts), as stored on the rental when it
          // was reported or imported (rentals.repeat_customer, kept by updateReturningFlags); the condition
          // itself only for rentals without the flag (one index probe per response: seconds at 1M responses).
          keyExpr = sql`case when ${sql.unsafe(rt)}.id is null then 'unknown'
            when coalesce(${sql.unsafe(rt)}.repeat_customer, ${sql.unsafe(returningCustomerCondition(rt))}) then 'returning'
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
  if (filters.brands) {
    conditions.push(sql`${branch} in (select b2.id from branches b2 join brands br2 on br2.id = b2.brand_id where br2.code = any(${filters.brands}::text[]))`);
  }
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
    const booking = filters.channels.filter((c) => c !== OPEN_LINK_CHANNEL);
    const open = filters.channels.includes(OPEN_LINK_CHANNEL);
    if (booking.length > 0) rtNeeded();
    const byBooking = booking.length > 0 ? sql`(not ${openLink} and ${sql.unsafe(rt)}.booking_channel = any(${booking}::text[]))` : sql`false`;
    conditions.push(open ? sql`(${openLink} or ${byBooking})` : byBooking);
  }
  if (filters.openLinks === 'exclude') conditions.push(sql`not ${openLink}`);

  const joins: Fragment[] = [];
  if (needs.has('b')) joins.push(sql`left join branches b on b.id = ${branch}`);
  if (needs.has('br')) joins.push(sql`left join brands br on br.id = b.brand_id`);
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
