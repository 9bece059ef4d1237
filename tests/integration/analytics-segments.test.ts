// The segment rollup (api/src/analytics/engine/segments.queries.ts): every request with at most one customer or
// rental segment is summed from month and day rows, and gives the same cell sums as one pass over the facts
// (factsCells), for partial and whole months, open periods, day and week keys, segment filters with branch
// filters; the driver sums equal the listwise sums over the facts. After answers, responses, a customer's tier
// and a rental's vehicle class change, the rollup follows.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../api/src/db/client.ts';
import { FACTS_SOURCE, scopeSql } from '../../api/src/analytics/engine/filters.queries.ts';
import type { GroupBy } from '../../api/src/analytics/engine/filters.schemas.ts';
import { factsCells, type CellQuery, type CellSums } from '../../api/src/analytics/engine/metrics.queries.ts';
import { prepare, type AnalyticsRequest } from '../../api/src/analytics/engine/request.queries.ts';
import { rollupCells, rollupDriverSums, rollupKind } from '../../api/src/analytics/engine/segments.queries.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData, insertResponses, type TestData } from '../support/analytics-data.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let versionId: string;
let data: TestData;
const TIME_ZONE = 'Asia/Shanghai';

beforeAll(async () => {
  t = await createTestApp({ clock: testClock(new Date('2027-01-15T02:00:00Z')) });
  const survey = await createSurvey(t.db, { name: 'Segment rollup test', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  versionId = version.id;
  data = await insertAnalyticsData(t.sql, { surveyId, versionId }, generateAnalyticsData(11, 420));
});

type Query = Record<string, string | string[] | undefined>;

const request = (query: Query = {}) => prepare(t.sql, { survey: surveyId, ...query } as never, { timeZone: TIME_ZONE, branchScope: null });

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The cells of both paths, keyed by group and branch, compared field by field. */
function expectSameCells(label: string, rollup: CellSums[], facts: CellSums[]) {
  const key = (c: CellSums) => `${c.keys.join('|')}#${c.labels.join('|')}#${c.branchId}`;
  const byKey = new Map(facts.map((c) => [key(c), c]));
  expect(rollup.map(key).sort(), label).toEqual(facts.map(key).sort());
  for (const cell of rollup) {
    const other = byKey.get(key(cell))!;
    const flat = (c: CellSums) => [
      c.responses,
      c.nps.n,
      c.nps.promoters,
      c.nps.detractors,
      c.csat.n,
      c.csat.top2,
      c.csat.sum,
      c.csat.topBox,
      ...c.items.n,
      ...c.items.sum,
      ...c.dimensions.n,
      c.csi.n,
      c.csi.sum,
      c.csi.sumSquares,
      c.problems.n,
      c.problems.sum,
      c.problems.sumSquares,
      c.problems.any,
    ];
    const a = flat(cell);
    const b = flat(other);
    expect(a.length, label).toBe(b.length);
    a.forEach((x, i) => expect(close(x, b[i]), `${label} ${key(cell)} [${i}] ${x} vs ${b[i]}`).toBe(true));
  }
}

async function compareCells(label: string, query: Query, cellQuery: Omit<CellQuery, 'lang'>) {
  const req = await request(query);
  const q = { ...cellQuery, lang: req.locale };
  const rollup = await rollupCells(t.sql, req.filters, req.plan, q);
  expect(rollup, `${label}: served by the rollups`).not.toBeNull();
  const facts = await factsCells(t.sql, req.filters, req.plan, q);
  expect(facts.length, label).toBeGreaterThan(0);
  expectSameCells(label, rollup!, facts);
}

const PERIODS: Record<string, Query> = {
  'edges and a whole month': { from: '2026-04-10', to: '2026-06-15' },
  'whole months': { from: '2026-04-01', to: '2026-05-31' },
  'inside one month': { from: '2026-04-03', to: '2026-04-28' },
  'from a day on': { from: '2026-04-15' },
  'up to a day': { to: '2026-05-10' },
  'all time': {},
};

/** Every request the tests compare: each segment kind as key and as filter, with branch keys and filters, per period. */
const REQUESTS: { label: string; query: Query; keys: GroupBy[]; byBranch?: boolean }[] = [
  { label: 'total', query: {}, keys: ['none'] },
  { label: 'by branch', query: {}, keys: ['branch'], byBranch: true },
  { label: 'by region, by month', query: {}, keys: ['region', 'month'] },
  { label: 'by tier', query: {}, keys: ['tier'] },
  { label: 'by customer type, weighted', query: {}, keys: ['customerType'], byBranch: true },
  { label: 'by vehicle class', query: {}, keys: ['vehicleClass'] },
  { label: 'by channel', query: {}, keys: ['channel'] },
  { label: 'by new vs returning', query: {}, keys: ['newReturning'] },
  { label: 'by tier and month', query: {}, keys: ['tier', 'month'] },
  { label: 'by tier and quarter', query: {}, keys: ['tier', 'quarter'] },
  { label: 'by channel and week', query: {}, keys: ['channel', 'week'] },
  { label: 'by vehicle class and day', query: {}, keys: ['vehicleClass', 'day'] },
  { label: 'by branch, tier A', query: { tier: ['A'] }, keys: ['branch'] },
  { label: 'by region, business customers', query: { customerType: ['business'] }, keys: ['region'] },
  { label: 'SUVs and premium cars in two branches', query: { vehicleClass: ['suv', 'premium'], branch: ['SH01', 'SH02'] }, keys: ['none'] },
  { label: 'app and web bookings by month', query: { channel: ['app', 'web'] }, keys: ['month'] },
  { label: 'tier A by tier', query: { tier: ['A', 'B'] }, keys: ['tier'] },
  { label: 'without open links, by channel', query: { openLinks: 'exclude' }, keys: ['channel'] },
  { label: 'by new vs returning in a region', query: { region: ['华东'] }, keys: ['newReturning'] },
];

async function compareAll(suffix = '') {
  for (const [periodLabel, period] of Object.entries(PERIODS)) {
    for (const r of REQUESTS) {
      await compareCells(`${r.label}, ${periodLabel}${suffix}`, { ...period, ...r.query }, { keys: r.keys, byBranch: r.byBranch });
    }
  }
}

/** n, Σx and Σx·x of [recommend, x…] over the listwise-complete facts rows of the request, and the totals: straight from the facts. */
async function factsDriverSums(sql: Sql, req: AnalyticsRequest, sources: string[]) {
  const scope = scopeSql(sql, FACTS_SOURCE, req.filters, []);
  const vars = [req.plan.nps!, ...sources];
  const complete = vars.map((v) => `${v} is not null`).join(' and ');
  const products: string[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(`sum(case when ${complete} then ${vars[i]} * ${vars[j]} end)`);
  const [row] = await sql<{ n: number; sums: number[]; products: number[]; responses: number; item_n: number[]; dim_n: number[] }[]>`
    select count(*) filter (where ${sql.unsafe(complete)})::int as n,
           array[${sql.unsafe(vars.map((v) => `coalesce(sum(case when ${complete} then ${v} end), 0)`).join(', '))}]::float8[] as sums,
           array[${sql.unsafe(products.map((p) => `coalesce(${p}, 0)`).join(', '))}]::float8[] as products,
           count(*)::int as responses,
           array[${sql.unsafe(req.plan.items.map((i) => `count(${i.source})`).join(', '))}]::int[] as item_n,
           array[${sql.unsafe(req.plan.dimensions.map((d) => `count(${d.source})`).join(', '))}]::int[] as dim_n
    from analytics_response_facts f ${scope.joins}
    where f.survey_id = ${surveyId} and ${scope.where}`;
  return row;
}

async function compareDrivers(label: string, query: Query, set: 'dimensions' | 'items', served = true) {
  const req = await request(query);
  const rollup = await rollupDriverSums(t.sql, req.filters, req.plan, req.layout.driverSets, set);
  if (!served) {
    expect(rollup, label).toBeNull();
    return;
  }
  expect(rollup, label).not.toBeNull();
  const sets = req.layout.driverSets;
  const sources = set === 'items' ? sets.items.map((i) => req.plan.items[i].source) : sets.dimensions.map((k) => req.plan.dimensions[k].source);
  const facts = await factsDriverSums(t.sql, req, sources);
  expect(rollup!.n, label).toBe(facts.n);
  expect(rollup!.n, label).toBeGreaterThan(0);
  expect(rollup!.responses, label).toBe(facts.responses);
  expect(rollup!.item_n, label).toEqual(facts.item_n);
  expect(rollup!.dim_n, label).toEqual(facts.dim_n);
  expect(rollup!.sums.length, label).toBe(facts.sums.length);
  rollup!.sums.forEach((x, i) => expect(close(x, facts.sums[i]), `${label} Σ[${i}]`).toBe(true));
  expect(rollup!.products.length, label).toBe(facts.products.length);
  rollup!.products.forEach((x, i) => expect(close(x, facts.products[i]), `${label} Σxx[${i}]`).toBe(true));
}

describe('the segment rollup', () => {
  it('gives the same cell sums as the facts for every request with one segment', async () => {
    await compareAll();
  });

  it('leaves two segments to the facts', async () => {
    const req = await request({ tier: ['A'], customerType: ['business'] });
    expect(rollupKind(req.filters, [])).toBeNull();
    expect(rollupKind(req.filters, ['branch'])).toBeNull();
    expect(await rollupCells(t.sql, req.filters, req.plan, { keys: ['none'] })).toBeNull();
    const byTier = await request({ channel: ['app'] });
    expect(rollupKind(byTier.filters, ['tier'])).toBeNull();
    expect(rollupKind(byTier.filters, ['channel', 'month'])).toBe('channel');
    // 'unknown' is both the value of a response without rental and a possible class name.
    expect(rollupKind((await request({ vehicleClass: ['unknown'] })).filters, [])).toBeNull();
  });

  it('gives the driver sums of the facts, by dimension and by item', async () => {
    for (const [periodLabel, period] of Object.entries(PERIODS)) {
      await compareDrivers(`dimensions, ${periodLabel}`, period, 'dimensions');
      await compareDrivers(`items, ${periodLabel}`, period, 'items');
      await compareDrivers(`dimensions of business customers, ${periodLabel}`, { ...period, customerType: ['business'] }, 'dimensions');
      await compareDrivers(`dimensions of SUVs in SH01, ${periodLabel}`, { ...period, vehicleClass: ['suv'], branch: ['SH01'] }, 'dimensions');
    }
    // Items by segment: from the months only (segment days carry no item sums).
    await compareDrivers('items of tier B, whole months', { ...PERIODS['whole months'], tier: ['B'] }, 'items');
    await compareDrivers('items of tier B, all time', { tier: ['B'] }, 'items');
    await compareDrivers('items of tier B, edges', { ...PERIODS['edges and a whole month'], tier: ['B'] }, 'items', false);
  });

  it('sums the rollups again when the drivers they keep are not known', async () => {
    const kept = (await request()).layout.driverSets;
    expect(kept.dimensions.length).toBeGreaterThan(0);
    await t.sql`update analytics_surveys set driver_sets = null where survey_id = ${surveyId}`;
    expect((await request()).layout.driverSets).toEqual(kept);
    const [state] = await t.sql<{ driver_sets: unknown }[]>`select driver_sets from analytics_surveys where survey_id = ${surveyId}`;
    expect(state.driver_sets).toEqual(kept);
  });

  it('follows changed answers, new and deleted responses, and changed customer and rental segments', async () => {
    const [first] = data.responses.filter((r) => r.status === 'finished' && r.finishedAt.toISOString() < '2026-05-01');
    const customer = data.customers.find((c) => c.id === first.customer)!;
    const rental = data.rentals.find((r) => r.id === first.rental)!;
    // Read once so that the rollups are built before the changes.
    await compareCells('before', { tier: [customer.tier] }, { keys: ['branch'] });

    await t.sql`update answers set value_number = case when value_number >= 9 then 0 else 10 end where response_id = ${first.id} and question_id = 'q_nps'`;
    await t.sql`update customers set value_tier = ${customer.tier === 'A' ? 'C' : 'A'} where id = ${customer.id}`;
    await t.sql`update rentals set vehicle_class = ${rental.vehicleClass === 'suv' ? 'economy' : 'suv'}, booking_channel = 'store' where id = ${rental.id}`;
    const fresh = { ...first, id: crypto.randomUUID(), finishedAt: new Date('2026-05-31T23:30:00+08:00') };
    await insertResponses(t.sql, { surveyId, versionId }, data.branchIds, [fresh]);
    const [gone] = data.responses.filter((r) => r.status === 'finished' && r.id !== first.id && r.finishedAt.toISOString() > '2026-05-15');
    await t.sql`delete from answers where response_id = ${gone.id}`;
    await t.sql`delete from responses where id = ${gone.id}`;
    await compareAll(', after the changes');
    await compareDrivers('dimensions of tier A, after the changes', { tier: ['A'], from: '2026-04-10', to: '2026-06-15' }, 'dimensions');
    await compareDrivers('items, after the changes', { from: '2026-04-10', to: '2026-06-15' }, 'items');
  });
});
