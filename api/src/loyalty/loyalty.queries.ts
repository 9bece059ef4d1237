// All SQL of the loyalty ladder, index and customer value (docs/statistics.md#loyalty-ladder-index-and-customer-value).
// One pass over the rentals per request gives each customer's figures at the two dates; the analytics engine's
// filters and branch scope (engine/filters.queries.ts) apply to the customer's branch (that of their latest
// rental) or, for the index, to the response's and the rental's own branch. Formulas live in
// analytics/engine/statistics/loyalty.ts; the rung's CASE below is the SQL twin of ladderRung().
import type { Sql } from '../db/client.ts';
import { FACTS_SOURCE, analyticsRead, dayEnd, dayStart, scopeSql, type Fragment, type Source } from '../analytics/engine/filters.queries.ts';
import { npsCategorySql } from '../analytics/engine/nps.queries.ts';
import { prepare, type AnalyticsRequest } from '../analytics/engine/request.queries.ts';
import {
  DEFAULT_LOYALTY_SETTINGS,
  LOYALTY_BOOTSTRAP,
  RUNGS,
  TIERS,
  bootstrapIndexInterval,
  compareBands,
  expectedRentals,
  indexParts,
  lifetimeValue,
  loyaltyIndex,
  normaliseWeights,
  sumUnits,
  tierRetention,
  type IndexUnit,
  type LoyaltySettings,
  type Rung,
  type Tier,
} from '../analytics/engine/statistics/loyalty.ts';
import type { SqlClient } from '../queue/queue.ts';
import type { CustomersQuery, IndexQuery, LadderQuery, LoyaltySettingsInput, ValueQuery } from './loyalty.schemas.ts';
import { loyaltySettingsSchema } from './loyalty.schemas.ts';

export interface LoyaltyOptions {
  timeZone: string;
  branchScope: string[] | null;
  now: Date;
  primary?: Sql;
}

// ── Settings ──────────────────────────────────────────────────────────────────────────────────────────

/** The stored settings over the defaults (a field the row lacks, or a row that no longer parses, takes the default). */
export async function readSettings(sql: SqlClient): Promise<{ settings: LoyaltySettings; updatedAt: string | null }> {
  const [row] = await sql<{ settings: string; updated_at: Date }[]>`select settings::text as settings, updated_at from loyalty_settings where id = 1`;
  if (!row) return { settings: DEFAULT_LOYALTY_SETTINGS, updatedAt: null };
  const merged = { ...DEFAULT_LOYALTY_SETTINGS, ...(JSON.parse(row.settings) as Partial<LoyaltySettings>) };
  const parsed = loyaltySettingsSchema.safeParse(merged);
  return { settings: parsed.success ? parsed.data : DEFAULT_LOYALTY_SETTINGS, updatedAt: new Date(row.updated_at).toISOString() };
}

export async function writeSettings(sql: SqlClient, settings: LoyaltySettingsInput, userId: string | null, now: Date) {
  await sql`
    insert into loyalty_settings (id, settings, updated_by, updated_at)
    values (1, ${JSON.stringify(settings)}::jsonb, ${userId}, ${now.toISOString()})
    on conflict (id) do update set settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
}

// ── Dates ─────────────────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const todayIn = (timeZone: string, now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** The period: `to` (default today, company time zone) and `from` (default 89 days before `to`, i.e. 90 days). */
function periodOf(query: { from?: string; to?: string }, options: LoyaltyOptions) {
  const to = query.to ?? todayIn(options.timeZone, options.now);
  const from = query.from ?? addDays(to, -89);
  return { from, to };
}

async function instants(sql: Sql, period: { from: string; to: string }, timeZone: string) {
  const [row] = await sql<{ a: Date; p: Date; w: Date }[]>`
    select ${dayEnd(sql, period.to, timeZone)} as a, ${dayStart(sql, period.from, timeZone)} as p,
           ${dayStart(sql, addDays(period.to, -364), timeZone)} as w`;
  return { asOf: new Date(row.a).toISOString(), previousAsOf: new Date(row.p).toISOString(), windowStart: new Date(row.w).toISOString() };
}

// ── Per-customer figures at the two dates ─────────────────────────────────────────────────────────────

type LoyaltyGroupBy = LadderQuery['groupBy'];

/** The customer's latest rental (up to the as-of date) is their branch; its rental carries vehicle class and channel. */
const HOME_SOURCE: Source = { branch: 'h.branch_id', customer: 'h.customer_id', rental: 'h.home_rental_id', time: 'h.last_cur' };

const num = (x: number) => (Number.isFinite(x) ? String(x) : '0');

/** SQL twin of ladderRung(): the rung from the columns of one date (suffix `cur` or `prev`). */
export function ladderRungSql(settings: LoyaltySettings, suffix: 'cur' | 'prev'): string {
  const byTier = (field: 'minRentals12m' | 'maxRecencyDays') =>
    `(case coalesce(tier, 'C') when 'A' then ${num(settings.tiers.A[field])} when 'B' then ${num(settings.tiers.B[field])} else ${num(settings.tiers.C[field])} end)`;
  return `(case when coalesce(n_${suffix}, 0) = 0 then null
    when n_${suffix} = 1 then 'one_time'
    when f_${suffix} < ${byTier('minRentals12m')} then 'repeat'
    when recency_${suffix} > ${byTier('maxRecencyDays')}
      or (gap_${suffix} is not null and recency_${suffix} > ${num(settings.overdueFactor)} * gap_${suffix})
      or cat_${suffix} = 'detractor' then 'at_risk'
    when cat_${suffix} = 'promoter' then 'advocate'
    else 'loyal' end)`;
}

/**
 * `with … l as (…)`: one row per customer with a rental up to the as-of date in reach (filters and branch
 * scope on their branch): counts, recency and mean gap at both dates, attitude, 12-month revenue, the
 * year before last's revenue (for retention), the rung at both dates, and the group key k0/l0.
 */
function customerBase(
  sql: Sql,
  req: AnalyticsRequest,
  settings: LoyaltySettings,
  at: { asOf: string; previousAsOf: string },
  groupBy: LoyaltyGroupBy,
): Fragment {
  const npsColumn = req.survey.metrics.nps ? req.layout.column('f', req.survey.metrics.nps) : 'null::float8';
  const category = sql.unsafe(npsCategorySql(npsColumn));
  const lookback = `${settings.lookbackMonths} months`;
  const a = at.asOf;
  const p = at.previousAsOf;
  const scope = scopeSql(sql, HOME_SOURCE, req.filters, [groupBy], { lang: req.locale, period: { from: null, to: null } });
  const keys = scope.keys ?? sql`'all' as k0, 'all' as l0`;
  const attitude = (until: string) => sql`
    select distinct on (f.customer_id) f.customer_id, ${category} as cat
    from analytics_response_facts f
    where f.survey_id = ${req.filters.surveyId} and f.customer_id is not null and ${sql.unsafe(npsColumn)} is not null
      and f.finished_at <= ${until}::timestamptz and f.finished_at > ${until}::timestamptz - interval '365 days'
    order by f.customer_id, f.finished_at desc, f.response_id desc`;
  return sql`
    with s as (
      select x.customer_id,
        count(*) filter (where x.picked_up_at > ${a}::timestamptz - ${lookback}::interval)::int as n_cur,
        count(*) filter (where x.picked_up_at > ${a}::timestamptz - interval '365 days')::int as f_cur,
        min(x.picked_up_at) filter (where x.picked_up_at > ${a}::timestamptz - ${lookback}::interval) as first_cur,
        max(x.picked_up_at) filter (where x.picked_up_at > ${a}::timestamptz - ${lookback}::interval) as last_cur,
        count(*) filter (where x.picked_up_at <= ${p}::timestamptz and x.picked_up_at > ${p}::timestamptz - ${lookback}::interval)::int as n_prev,
        count(*) filter (where x.picked_up_at <= ${p}::timestamptz and x.picked_up_at > ${p}::timestamptz - interval '365 days')::int as f_prev,
        min(x.picked_up_at) filter (where x.picked_up_at <= ${p}::timestamptz and x.picked_up_at > ${p}::timestamptz - ${lookback}::interval) as first_prev,
        max(x.picked_up_at) filter (where x.picked_up_at <= ${p}::timestamptz and x.picked_up_at > ${p}::timestamptz - ${lookback}::interval) as last_prev,
        coalesce(sum(x.amount) filter (where x.returned_at > ${a}::timestamptz - interval '365 days' and x.returned_at <= ${a}::timestamptz), 0)::float8 as revenue12,
        count(*) filter (where x.returned_at > ${a}::timestamptz - interval '365 days' and x.returned_at <= ${a}::timestamptz)::int as returned12,
        coalesce(avg(x.amount) filter (where x.picked_up_at > ${a}::timestamptz - ${lookback}::interval), 0)::float8 as avg_amount,
        coalesce(sum(x.amount) filter (where x.returned_at > ${a}::timestamptz - interval '730 days' and x.returned_at <= ${a}::timestamptz - interval '365 days'), 0)::float8 as revenue_py,
        count(*) filter (where x.returned_at > ${a}::timestamptz - interval '730 days' and x.returned_at <= ${a}::timestamptz - interval '365 days')::int as returned_py,
        (array_agg(x.id order by x.picked_up_at desc, x.id desc))[1] as home_rental_id
      from rentals x
      where x.picked_up_at <= ${a}::timestamptz
        and x.picked_up_at > least(${p}::timestamptz - ${lookback}::interval, ${a}::timestamptz - interval '730 days')
      group by x.customer_id
    ),
    att_cur as (${attitude(a)}),
    att_prev as (${attitude(p)}),
    h as (
      select s.*, hr.pickup_branch_id as branch_id, cu.value_tier as tier, a1.cat as cat_cur, a0.cat as cat_prev,
        extract(epoch from (${a}::timestamptz - s.last_cur)) / 86400 as recency_cur,
        extract(epoch from (${p}::timestamptz - s.last_prev)) / 86400 as recency_prev,
        case when s.n_cur >= 2 then extract(epoch from (s.last_cur - s.first_cur)) / 86400 / (s.n_cur - 1) end as gap_cur,
        case when s.n_prev >= 2 then extract(epoch from (s.last_prev - s.first_prev)) / 86400 / (s.n_prev - 1) end as gap_prev
      from s
      join rentals hr on hr.id = s.home_rental_id
      join customers cu on cu.id = s.customer_id
      left join att_cur a1 on a1.customer_id = s.customer_id
      left join att_prev a0 on a0.customer_id = s.customer_id
    ),
    l as (
      select h.*, ${keys},
        ${sql.unsafe(ladderRungSql(settings, 'cur'))} as rung_cur,
        ${sql.unsafe(ladderRungSql(settings, 'prev'))} as rung_prev
      from h ${scope.joins}
      where ${scope.where}
    )`;
}

/**
 * Per tier: the customers the tier held a year ago (the value-tier rule applied to the year before last:
 * revenue returned 365–730 days before the as-of date, top 20 % A, next 30 % B, the rest C), how many of them
 * picked up a rental in the last 12 months, and the retention used.
 */
async function tierRetentions(tx: Sql, base: Fragment, settings: LoyaltySettings, minN: number) {
  const rows = await tx<{ tier: string; base: number; retained: number }[]>`
    ${base},
    year_ago as (
      select l.f_cur,
        row_number() over (order by l.revenue_py desc, l.returned_py desc, l.customer_id) as rank, count(*) over () as total
      from l where l.returned_py > 0
    )
    select case when rank <= ceil(0.2 * total) then 'A' when rank <= ceil(0.5 * total) then 'B' else 'C' end as tier,
           count(*)::int as base, count(*) filter (where f_cur > 0)::int as retained
    from year_ago group by 1`;
  return new Map(
    TIERS.map((tier) => {
      const row = rows.find((r) => r.tier === tier);
      const measured = tierRetention(row?.base ?? 0, row?.retained ?? 0, minN, settings.defaultRetention);
      return [tier, { ...measured, base: row?.base ?? 0, retained: row?.retained ?? 0 }];
    }),
  );
}

const clvFactorSql = (settings: LoyaltySettings, retention: Map<Tier, { retention: number }>) =>
  `(case coalesce(tier, 'C') ${TIERS.map((t) => `when '${t}' then ${num(expectedRentals(1, retention.get(t)?.retention ?? settings.defaultRetention, settings.horizonYears))}`).join(' ')} end)`;

async function setup(sql: Sql, query: LadderQuery | ValueQuery | CustomersQuery | IndexQuery, options: LoyaltyOptions) {
  const req = await prepare(sql, query, options);
  const period = periodOf(query, options);
  const at = await instants(sql, period, options.timeZone);
  return { req, period, at };
}

// ── Ladder ────────────────────────────────────────────────────────────────────────────────────────────

const emptyCounts = () => Object.fromEntries(RUNGS.map((r) => [r, 0])) as Record<Rung, number>;

export async function buildLadder(sql: Sql, query: LadderQuery, options: LoyaltyOptions) {
  const { settings } = await readSettings(sql);
  const { req, period, at } = await setup(sql, query, options);
  const rows = await analyticsRead(
    sql,
    (tx) => tx<{ k0: string; l0: string; rung_cur: Rung | null; rung_prev: Rung | null; customers: number }[]>`
      ${customerBase(tx, req, settings, at, query.groupBy)}
      select k0, l0, rung_cur, rung_prev, count(*)::int as customers
      from l where rung_cur is not null or rung_prev is not null
      group by 1, 2, 3, 4`,
  );
  const groups = new Map<
    string,
    { key: string; label: string; customers: number; previousCustomers: number; counts: Record<Rung, number>; previous: Record<Rung, number> }
  >();
  const newGroup = (key: string, label: string) => ({ key, label, customers: 0, previousCustomers: 0, counts: emptyCounts(), previous: emptyCounts() });
  const total = newGroup('all', 'all');
  const flows = new Map<string, number>();
  for (const row of rows) {
    const group = groups.get(row.k0) ?? newGroup(row.k0, row.l0);
    groups.set(row.k0, group);
    for (const g of [group, total]) {
      if (row.rung_cur) {
        g.counts[row.rung_cur] += row.customers;
        g.customers += row.customers;
      }
      if (row.rung_prev) {
        g.previous[row.rung_prev] += row.customers;
        g.previousCustomers += row.customers;
      }
    }
    const key = `${row.rung_prev ?? 'none'}>${row.rung_cur ?? 'none'}`;
    flows.set(key, (flows.get(key) ?? 0) + row.customers);
  }
  const order = ['none', ...RUNGS];
  return {
    survey: query.survey,
    from: period.from,
    to: period.to,
    asOf: at.asOf,
    previousAsOf: at.previousAsOf,
    rungs: [...RUNGS],
    groupBy: query.groupBy,
    // Without a grouping the one group is the total itself.
    groups: query.groupBy === 'none' ? [] : [...groups.values()].sort((x, y) => x.key.localeCompare(y.key)),
    total,
    flows: [...flows.entries()]
      .map(([key, customers]) => {
        const [from, to] = key.split('>') as [Rung | 'none', Rung | 'none'];
        return { from, to, customers };
      })
      .sort((x, y) => order.indexOf(x.from) - order.indexOf(y.from) || order.indexOf(x.to) - order.indexOf(y.to)),
  };
}

// ── Customers behind a number ─────────────────────────────────────────────────────────────────────────

interface CustomerRow {
  customer_id: string;
  external_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tier: string | null;
  branch_code: string | null;
  rung_cur: Rung | null;
  rung_prev: Rung | null;
  n_cur: number;
  f_cur: number;
  last_cur: Date | null;
  recency_cur: number | null;
  gap_cur: number | null;
  cat_cur: 'promoter' | 'passive' | 'detractor' | null;
  revenue12: number;
  clv: number;
  band: 'top' | 'rest' | null;
  total: number;
}

export async function listCustomers(
  sql: Sql,
  query: CustomersQuery,
  options: LoyaltyOptions & { mask: (c: { email: string | null; phone: string | null }) => { email: string | null; phone: string | null } },
) {
  const { settings } = await readSettings(sql);
  const { req, at } = await setup(sql, query, options);
  const rows = await analyticsRead(sql, async (tx) => {
    const base = customerBase(tx, req, settings, at, 'none');
    const retention = await tierRetentions(tx, base, settings, req.survey.minN);
    const order =
      query.sort === 'lifetimeValue'
        ? tx`clv desc, v.customer_id`
        : query.sort === 'recency'
          ? tx`v.recency_cur asc nulls last, v.customer_id`
          : tx`v.revenue12 desc, v.customer_id`;
    const conditions: Fragment[] = [tx`(v.rung_cur is not null or v.rung_prev is not null or v.returned12 > 0)`];
    if (query.rung) conditions.push(tx`v.rung_cur = ${query.rung}`);
    if (query.previousRung === 'none') conditions.push(tx`v.rung_prev is null`);
    else if (query.previousRung) conditions.push(tx`v.rung_prev = ${query.previousRung}`);
    if (query.band) conditions.push(tx`v.band = ${query.band}`);
    const where = conditions.reduce((acc, c) => tx`${acc} and ${c}`);
    return tx<CustomerRow[]>`
      ${base},
      ranked as (
        select l.*,
          case when l.returned12 > 0 then
            case when row_number() over (partition by (l.returned12 > 0) order by l.revenue12 desc, l.f_cur desc, l.customer_id)
                      <= ceil(0.2 * count(*) over (partition by (l.returned12 > 0))) then 'top' else 'rest' end
          end as band,
          ${num(settings.marginRate)} * l.avg_amount * l.f_cur * ${tx.unsafe(clvFactorSql(settings, retention))} as clv
        from l
      )
      select v.customer_id, cu.external_id, cu.name, cu.email, cu.phone, v.tier, br.code as branch_code,
             v.rung_cur, v.rung_prev, v.n_cur, v.f_cur, v.last_cur, v.recency_cur::float8 as recency_cur, v.gap_cur::float8 as gap_cur,
             v.cat_cur, v.revenue12, v.clv::float8 as clv, v.band, count(*) over ()::int as total
      from ranked v
      join customers cu on cu.id = v.customer_id
      left join branches br on br.id = v.branch_id
      where ${where}
      order by ${order}
      limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`;
  });
  return {
    asOf: at.asOf,
    total: rows[0]?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
    customers: rows.map((r) => ({
      id: r.customer_id,
      externalId: r.external_id,
      name: r.name,
      ...options.mask({ email: r.email, phone: r.phone }),
      tier: r.tier,
      branch: r.branch_code,
      rung: r.rung_cur,
      previousRung: r.rung_prev,
      rentals: r.n_cur,
      rentals12m: r.f_cur,
      lastRentalAt: r.last_cur ? new Date(r.last_cur).toISOString() : null,
      recencyDays: r.n_cur > 0 ? r.recency_cur : null,
      usualGapDays: r.gap_cur,
      attitude: r.cat_cur,
      revenue12m: r.revenue12,
      lifetimeValue: r.clv,
      band: r.band,
    })),
  };
}

// ── Customer value ────────────────────────────────────────────────────────────────────────────────────

export async function buildValue(sql: Sql, query: ValueQuery, options: LoyaltyOptions) {
  const { settings } = await readSettings(sql);
  const { req, at } = await setup(sql, query, options);
  const minN = req.survey.minN;
  const npsColumn = req.survey.metrics.nps ? req.layout.column('f', req.survey.metrics.nps) : 'null::float8';
  const category = npsCategorySql(npsColumn);
  const result = await analyticsRead(sql, async (tx) => {
    const base = customerBase(tx, req, settings, at, 'none');
    const retention = await tierRetentions(tx, base, settings, minN);
    const responseScope = scopeSql(tx, FACTS_SOURCE, { ...req.filters, tiers: null, customerTypes: null, vehicleClasses: null, channels: null }, [], {
      period: { from: null, to: null },
    });
    const tiers = await tx<{ tier: string; customers: number; revenue: number; amount_frequency: number }[]>`
      ${base}
      select coalesce(tier, 'C') as tier, count(*)::int as customers, sum(revenue12)::float8 as revenue,
             sum(avg_amount * f_cur)::float8 as amount_frequency
      from l where returned12 > 0 group by 1`;
    const bands = await tx<
      {
        band: 'top' | 'rest';
        customers: number;
        revenue: number;
        min_revenue: number;
        promoters: number;
        passives: number;
        detractors: number;
        csi_n: number;
        csi_sum: number;
        csi_sumsq: number;
      }[]
    >`
      ${base},
      ranked as (
        select l.customer_id, l.revenue12,
          case when row_number() over (order by l.revenue12 desc, l.f_cur desc, l.customer_id) <= ceil(0.2 * count(*) over ()) then 'top' else 'rest' end as band
        from l where l.returned12 > 0
      ),
      answers as (
        select f.customer_id, ${tx.unsafe(category)} as cat, f.csi
        from analytics_response_facts f ${responseScope.joins}
        where f.survey_id = ${req.filters.surveyId} and ${responseScope.where}
          and f.finished_at > ${at.asOf}::timestamptz - interval '365 days' and f.finished_at <= ${at.asOf}::timestamptz
          and f.customer_id in (select customer_id from ranked)
      ),
      per_band as (
        select band, count(*)::int as customers, sum(revenue12)::float8 as revenue, min(revenue12)::float8 as min_revenue from ranked group by band
      )
      select pb.band, pb.customers, pb.revenue, pb.min_revenue,
        count(*) filter (where a.cat = 'promoter')::int as promoters,
        count(*) filter (where a.cat = 'passive')::int as passives,
        count(*) filter (where a.cat = 'detractor')::int as detractors,
        count(a.csi)::int as csi_n, coalesce(sum(a.csi), 0)::float8 as csi_sum, coalesce(sum(a.csi * a.csi), 0)::float8 as csi_sumsq
      from per_band pb
      left join ranked r on r.band = pb.band
      left join answers a on a.customer_id = r.customer_id
      group by pb.band, pb.customers, pb.revenue, pb.min_revenue`;
    return { retention, tiers, bands };
  });
  const top = result.bands.find((b) => b.band === 'top');
  const rest = result.bands.find((b) => b.band === 'rest');
  const customers = (top?.customers ?? 0) + (rest?.customers ?? 0);
  const revenue = (top?.revenue ?? 0) + (rest?.revenue ?? 0);
  const satisfactionOf = (b: typeof top) => {
    const n = b?.csi_n ?? 0;
    const mean = n > 0 ? (b?.csi_sum ?? 0) / n : 0;
    const variance = n > 1 ? Math.max(0, ((b?.csi_sumsq ?? 0) - (b?.csi_sum ?? 0) ** 2 / n) / (n - 1)) : 0;
    return { nps: { promoters: b?.promoters ?? 0, passives: b?.passives ?? 0, detractors: b?.detractors ?? 0 }, csi: { n, mean, variance } };
  };
  return {
    asOf: at.asOf,
    marginRate: settings.marginRate,
    horizonYears: settings.horizonYears,
    customers,
    revenue,
    topBand: {
      customers: top?.customers ?? 0,
      revenue: top?.revenue ?? 0,
      revenueShare: revenue > 0 ? (100 * (top?.revenue ?? 0)) / revenue : null,
      minRevenue: top?.min_revenue ?? null,
    },
    rest: { customers: rest?.customers ?? 0, revenue: rest?.revenue ?? 0 },
    tiers: TIERS.map((tier) => {
      const row = result.tiers.find((t) => t.tier === tier);
      const r = result.retention.get(tier) ?? { retention: settings.defaultRetention, measured: false, base: 0, retained: 0 };
      const n = row?.customers ?? 0;
      return {
        tier,
        customers: n,
        revenue: row?.revenue ?? 0,
        averageRevenue: n > 0 ? (row?.revenue ?? 0) / n : null,
        retention: r.retention,
        retentionMeasured: r.measured,
        base: r.base,
        retained: r.retained,
        // Mean of marginRate · avg amount · f · S(r, H) over the tier's customers = lifetimeValue of the mean of avg amount · f.
        averageLifetimeValue:
          n > 0 ? lifetimeValue({ averageAmount: (row?.amount_frequency ?? 0) / n, rentals12m: 1, retention: r.retention }, settings) : null,
      };
    }),
    satisfaction: compareBands(satisfactionOf(top), satisfactionOf(rest), minN),
  };
}

// ── Index ─────────────────────────────────────────────────────────────────────────────────────────────

const RENTAL_PICKUP_SOURCE: Source = { branch: 'x.pickup_branch_id', customer: 'x.customer_id', rental: 'x.id', rentalAlias: 'x', time: 'x.picked_up_at' };

interface UnitRow {
  k0: string;
  l0: string;
  unit: string;
  csi_n: number;
  csi_sum: number;
  promoters: number;
  passives: number;
  detractors: number;
  renter: number;
  repeater: number;
  revenue: number;
  repeat_revenue: number;
}

export async function buildIndex(sql: Sql, query: IndexQuery, options: LoyaltyOptions) {
  const { settings } = await readSettings(sql);
  const { req, period, at } = await setup(sql, query, options);
  const minN = req.survey.minN;
  const windowFrom = addDays(period.to, -364);
  const npsColumn = req.survey.metrics.nps ? req.layout.column('f', req.survey.metrics.nps) : 'null::float8';
  const category = npsCategorySql(npsColumn);
  const rows = await analyticsRead(sql, (tx) => {
    const resp = scopeSql(tx, FACTS_SOURCE, req.filters, [query.groupBy], { lang: req.locale, period });
    const rent = scopeSql(tx, RENTAL_PICKUP_SOURCE, req.filters, [query.groupBy], { lang: req.locale, period: { from: windowFrom, to: period.to } });
    const all = tx`'all' as k0, 'all' as l0`;
    return tx<UnitRow[]>`
      with w as (
        select x.customer_id, count(*)::int as n12 from rentals x
        where x.picked_up_at >= ${at.windowStart}::timestamptz and x.picked_up_at < ${at.asOf}::timestamptz
        group by x.customer_id
      ),
      resp as (
        select k0, l0, unit, count(csi)::int as csi_n, coalesce(sum(csi), 0)::float8 as csi_sum,
          count(*) filter (where cat = 'promoter')::int as promoters,
          count(*) filter (where cat = 'passive')::int as passives,
          count(*) filter (where cat = 'detractor')::int as detractors
        from (
          select ${resp.keys ?? all}, coalesce(f.customer_id::text, f.response_id::text) as unit, f.csi, ${tx.unsafe(category)} as cat
          from analytics_response_facts f ${resp.joins}
          where f.survey_id = ${req.filters.surveyId} and ${resp.where}
        ) r
        group by 1, 2, 3
      ),
      rent as (
        select k0, l0, unit, 1 as renter, max(repeater) as repeater, sum(amount)::float8 as revenue,
          sum(amount * repeater)::float8 as repeat_revenue
        from (
          select ${rent.keys ?? all}, x.customer_id::text as unit, x.amount, (coalesce(w.n12, 0) >= 2)::int as repeater
          from rentals x left join w on w.customer_id = x.customer_id ${rent.joins}
          where ${rent.where}
        ) q
        group by 1, 2, 3
      )
      select coalesce(r.k0, q.k0) as k0, coalesce(r.l0, q.l0) as l0, coalesce(r.unit, q.unit) as unit,
        coalesce(r.csi_n, 0) as csi_n, coalesce(r.csi_sum, 0) as csi_sum, coalesce(r.promoters, 0) as promoters,
        coalesce(r.passives, 0) as passives, coalesce(r.detractors, 0) as detractors,
        coalesce(q.renter, 0) as renter, coalesce(q.repeater, 0) as repeater,
        coalesce(q.revenue, 0) as revenue, coalesce(q.repeat_revenue, 0) as repeat_revenue
      from resp r full join rent q on q.k0 = r.k0 and q.unit = r.unit`;
  });
  const weights = normaliseWeights(settings.weights);
  const toUnit = (r: UnitRow): IndexUnit => ({
    csiN: r.csi_n,
    csiSum: r.csi_sum,
    promoters: r.promoters,
    passives: r.passives,
    detractors: r.detractors,
    renter: r.renter,
    repeater: r.repeater,
    revenue: r.revenue,
    repeatRevenue: r.repeat_revenue,
  });
  const byGroup = new Map<string, { label: string; units: IndexUnit[] }>();
  // The total counts each customer once: their units of every group merged (a renter or repeater anywhere is one).
  const merged = new Map<string, IndexUnit>();
  for (const row of rows) {
    const unit = toUnit(row);
    const group = byGroup.get(row.k0) ?? { label: row.l0, units: [] };
    group.units.push(unit);
    byGroup.set(row.k0, group);
    const m = merged.get(row.unit);
    if (!m) merged.set(row.unit, { ...unit });
    else {
      const sum = sumUnits([m, unit]);
      merged.set(row.unit, { ...sum, renter: Math.max(m.renter, unit.renter), repeater: Math.max(m.repeater, unit.repeater) });
    }
  }
  const figure = (key: string, label: string, units: IndexUnit[]) => {
    const parts = indexParts(sumUnits(units), minN);
    const index = loyaltyIndex(parts, settings.weights);
    const boot = index === null ? { ci95: null, valid: 0 } : bootstrapIndexInterval(units, settings.weights, minN);
    const { counts, ...values } = parts;
    return { key, label, index, ci95: boot.ci95, parts: values, counts, units: units.length, validReplicates: boot.valid };
  };
  return {
    survey: query.survey,
    from: period.from,
    to: period.to,
    windowFrom,
    windowTo: period.to,
    minN,
    weights,
    bootstrap: { replicates: LOYALTY_BOOTSTRAP.replicates, seed: LOYALTY_BOOTSTRAP.seed },
    groupBy: query.groupBy,
    groups: query.groupBy === 'none' ? [] : [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => figure(key, g.label, g.units)),
    total: figure('all', 'all', [...merged.values()]),
  };
}
