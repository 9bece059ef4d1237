// The loyalty ladder, the loyalty evaluation index and customer value against a real PostgreSQL, on six
// customers whose every figure is computed by hand below (docs/statistics.md#loyalty-ladder-index-and-customer-value).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, insertResponses, type TestResponse } from '../support/analytics-data.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

// Period 2026-10-01 … 2026-12-31 (Asia/Shanghai): the ladder at 2027-01-01 00:00 +08 against 2026-10-01 00:00 +08.
const NOW = new Date('2027-01-15T02:00:00Z');
const PERIOD = { from: '2026-10-01', to: '2026-12-31' };
let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;

interface Customer {
  key: string;
  tier: 'A' | 'B' | 'C' | null;
  branch: 'SH01' | 'BJ01';
  amount: number;
  pickups: string[];
  email?: string;
  phone?: string;
  /** [date answered, NPS, the value every matrix item got (1–5)], about the customer's last rental before that date. */
  answer?: [string, number, number];
}

// C1 advocate (was repeat: 3 rentals < 4 for tier A); C2 at risk as a detractor (was one-time); C3 new one-time;
// C4 repeat (2 rentals, 1 in 12 months; was one-time); C5 at risk: 121 days since the last rental > 90 (was loyal);
// C6 new and loyal (3 rentals, tier B, no answer).
const CUSTOMERS: Customer[] = [
  {
    key: 'C1',
    tier: 'A',
    branch: 'SH01',
    amount: 1000,
    pickups: ['2026-03-10', '2026-06-10', '2026-09-10', '2026-11-10', '2026-12-10'],
    answer: ['2026-12-12', 10, 5],
  },
  { key: 'C2', tier: 'B', branch: 'SH01', amount: 500, pickups: ['2026-08-01', '2026-10-01', '2026-11-01', '2026-12-01'], answer: ['2026-12-03', 3, 2] },
  { key: 'C3', tier: 'C', branch: 'SH01', amount: 300, pickups: ['2026-11-20'], answer: ['2026-11-22', 8, 4] },
  { key: 'C4', tier: null, branch: 'BJ01', amount: 400, pickups: ['2025-02-01', '2026-12-20'], answer: ['2026-12-22', 9, 4] },
  {
    key: 'C5',
    tier: 'A',
    branch: 'BJ01',
    amount: 800,
    pickups: ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01'],
    answer: ['2026-09-03', 7, 3],
    email: 'li.na@example.com',
    phone: '+86 138 1234 5678',
  },
  { key: 'C6', tier: 'B', branch: 'SH01', amount: 600, pickups: ['2026-10-05', '2026-11-05', '2026-12-05'] },
];

beforeAll(async () => {
  t = await createTestApp({ clock: testClock(NOW) });
  const survey = await createSurvey(t.db, { name: 'Loyalty test', kind: 'post_rental', definition: { ...analyticsDefinition, settings: { minN: 2 } } });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  const branches = await t.sql<{ id: string; code: string }[]>`
    insert into branches (code, name, name_en, city, region) values ('SH01', '上海虹桥店', 'Shanghai Hongqiao', '上海', '华东'), ('BJ01', '北京首都店', 'Beijing Capital', '北京', '华北')
    returning id, code`;
  const branchIds = Object.fromEntries(branches.map((b) => [b.code, b.id]));
  const responses: TestResponse[] = [];
  for (const c of CUSTOMERS) {
    const id = randomUUID();
    await t.sql`insert into customers (id, external_id, name, email, phone, value_tier, customer_type)
      values (${id}, ${`EXT-${c.key}`}, ${`Customer ${c.key}`}, ${c.email ?? null}, ${c.phone ?? null}, ${c.tier}, 'leisure')`;
    const rentalIds: string[] = [];
    for (const [i, day] of c.pickups.entries()) {
      const rentalId = randomUUID();
      rentalIds.push(rentalId);
      const picked = new Date(`${day}T12:00:00Z`);
      await t.sql`insert into rentals (id, external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel)
        values (${rentalId}, ${`R-${c.key}-${i}`}, ${id}, ${branchIds[c.branch]}, ${branchIds[c.branch]}, 'compact', ${picked.toISOString()},
                ${new Date(picked.getTime() + 2 * 86_400_000).toISOString()}, ${c.amount}, 'app')`;
    }
    if (c.answer) {
      const [day, nps, v] = c.answer;
      const rental = rentalIds[c.pickups.filter((p) => p < day).length - 1];
      responses.push({
        id: randomUUID(),
        branch: c.branch,
        customer: id,
        rental,
        finishedAt: new Date(`${day}T10:00:00Z`),
        status: 'finished',
        answers: { nps, csat: null, staff: { friendly: v, competent: v }, car: { clean: v, condition: v }, price: null, problems: null, comment: null },
      });
    }
  }
  await insertResponses(t.sql, { surveyId, versionId: version.id }, branchIds, responses);
});

async function get(path: string, params: Record<string, string> = {}, as?: Credentials) {
  const search = new URLSearchParams({ survey: surveyId, ...PERIOD, ...params });
  const res = await t.request(`/api/loyalty/${path}?${search}`, { as });
  return { status: res.status, body: (await res.json()) as any };
}

const zero = { one_time: 0, repeat: 0, loyal: 0, advocate: 0, at_risk: 0 };

describe('GET /api/loyalty/ladder', () => {
  it('puts every customer on one rung at both dates and counts the flows between them', async () => {
    const { status, body } = await get('ladder');
    expect(status).toBe(200);
    expect(body.asOf).toBe('2026-12-31T16:00:00.000Z');
    expect(body.previousAsOf).toBe('2026-09-30T16:00:00.000Z');
    expect(body.total.counts).toEqual({ one_time: 1, repeat: 1, loyal: 1, advocate: 1, at_risk: 2 });
    expect(body.total.previous).toEqual({ ...zero, one_time: 2, repeat: 1, loyal: 1 });
    expect(body.total.customers).toBe(6);
    expect(body.total.previousCustomers).toBe(4);
    expect(body.flows).toEqual([
      { from: 'none', to: 'one_time', customers: 1 },
      { from: 'none', to: 'loyal', customers: 1 },
      { from: 'one_time', to: 'repeat', customers: 1 },
      { from: 'one_time', to: 'at_risk', customers: 1 },
      { from: 'repeat', to: 'advocate', customers: 1 },
      { from: 'loyal', to: 'at_risk', customers: 1 },
    ]);
  });

  it('counts per branch (of the latest rental) and per tier', async () => {
    const { body } = await get('ladder', { groupBy: 'branch', lang: 'en' });
    expect(body.groups.map((g: any) => [g.key, g.label, g.counts])).toEqual([
      ['BJ01', 'Beijing Capital', { ...zero, repeat: 1, at_risk: 1 }],
      ['SH01', 'Shanghai Hongqiao', { ...zero, one_time: 1, loyal: 1, advocate: 1, at_risk: 1 }],
    ]);
    const tiers = await get('ladder', { groupBy: 'tier' });
    expect(Object.fromEntries(tiers.body.groups.map((g: any) => [g.key, g.customers]))).toEqual({ A: 2, B: 2, C: 1, unknown: 1 });
  });

  it('follows the thresholds the quality manager sets', async () => {
    const qm = await t.signIn('quality_manager');
    const current = (await get('settings', {}, qm)).body.settings;
    // Tier A needs 6 rentals: C1 and C5 (5 each) become repeat renters.
    const strict = { ...current, tiers: { ...current.tiers, A: { minRentals12m: 6, maxRecencyDays: 90 } } };
    const put = await t.request('/api/loyalty/settings', { method: 'PUT', json: strict, as: qm });
    expect(put.status).toBe(200);
    expect((await get('ladder')).body.total.counts).toEqual({ one_time: 1, repeat: 3, loyal: 1, advocate: 0, at_risk: 1 });
    const back = await t.request('/api/loyalty/settings', { method: 'PUT', json: (await put.json()).defaults, as: qm });
    expect(back.status).toBe(200);
  });
});

describe('GET /api/loyalty/customers', () => {
  it('lists the customers behind a number, contacts in full for the quality manager', async () => {
    const { body } = await get('customers', { rung: 'at_risk' });
    expect(body.total).toBe(2);
    expect(body.customers.map((c: any) => c.externalId)).toEqual(['EXT-C5', 'EXT-C2']);
    expect(body.customers[0]).toMatchObject({
      email: 'li.na@example.com',
      phone: '+86 138 1234 5678',
      rung: 'at_risk',
      previousRung: 'loyal',
      rentals: 5,
      rentals12m: 5,
      branch: 'BJ01',
      attitude: 'passive',
      revenue12m: 4000,
    });
    // (Sep 1 12:00 → Dec 31 16:00 UTC) = 121.1667 days; gap (Sep 1 − May 1) / 4 = 30.75 days.
    expect(body.customers[0].recencyDays).toBeCloseTo(121 + 4 / 24, 6);
    expect(body.customers[0].usualGapDays).toBeCloseTo(30.75, 6);
    const entered = await get('customers', { previousRung: 'none' });
    expect(entered.body.customers.map((c: any) => c.externalId).sort()).toEqual(['EXT-C3', 'EXT-C6']);
  });

  it('shows a branch manager only their customers, with contacts masked', async () => {
    const bm = await t.signIn('branch_manager', { branches: ['BJ01'] });
    const ladder = await get('ladder', {}, bm);
    expect(ladder.body.total.counts).toEqual({ ...zero, repeat: 1, at_risk: 1 });
    const { body } = await get('customers', { rung: 'at_risk' }, bm);
    expect(body.total).toBe(1);
    expect(body.customers[0]).toMatchObject({ externalId: 'EXT-C5', email: 'l***@example.com', phone: '+86 138****5678' });
    const all = await get('customers', {}, bm);
    expect(all.body.customers.map((c: any) => c.externalId).sort()).toEqual(['EXT-C4', 'EXT-C5']);
    // …and may not change the settings.
    const put = await t.request('/api/loyalty/settings', { method: 'PUT', json: (await get('settings', {}, bm)).body.defaults, as: bm });
    expect(put.status).toBe(403);
  });
});

describe('GET /api/loyalty/index', () => {
  it('joins CSI, NPS rescaled, repeat rate and repeat revenue with the default weights', async () => {
    const { status, body } = await get('index');
    expect(status).toBe(200);
    expect(body.weights).toEqual({ csi: 0.3, nps: 0.3, repeatRate: 0.2, repeatRevenue: 0.2 });
    expect(body.windowFrom).toBe('2026-01-01');
    const total = body.total;
    // Responses in the period: index 100, 25, 75, 75 → 68.75; NPS 2 P, 1 passive, 1 D → 25 → 62.5.
    expect(total.parts.csi).toBeCloseTo(68.75, 10);
    expect(total.parts.nps).toBeCloseTo(25, 10);
    expect(total.parts.npsRescaled).toBeCloseTo(62.5, 10);
    // 2026: 6 renters, 4 with ≥ 2 rentals; revenue 13 500, of it 12 800 from those four.
    expect(total.counts).toMatchObject({ renters: 6, repeaters: 4, revenue: 13500, repeatRevenue: 12800, responses: 4, npsN: 4 });
    expect(total.parts.repeatRate).toBeCloseTo(200 / 3, 10);
    expect(total.parts.repeatRevenue).toBeCloseTo((100 * 12800) / 13500, 10);
    expect(total.index).toBeCloseTo(0.3 * 68.75 + 0.3 * 62.5 + 0.2 * (200 / 3) + 0.2 * ((100 * 12800) / 13500), 10);
    expect(total.index).toBeCloseTo(71.6713, 4);
    expect(total.units).toBe(6);
    expect(total.ci95[0]).toBeLessThanOrEqual(total.index);
    expect(total.ci95[1]).toBeGreaterThanOrEqual(total.index);
    // Seeded: the same answer twice.
    expect((await get('index')).body.total.ci95).toEqual(total.ci95);
  });

  it('per branch; a branch with one answer (minN 2) has no index', async () => {
    const { body } = await get('index', { groupBy: 'branch' });
    const sh = body.groups.find((g: any) => g.key === 'SH01');
    // Index 200/3, NPS 0 → 50, 3 of 4 renters repeat, 8 800 of 9 100.
    expect(sh.parts).toMatchObject({ npsRescaled: 50, repeatRate: 75 });
    expect(sh.parts.csi).toBeCloseTo(200 / 3, 10);
    expect(sh.index).toBeCloseTo(20 + 15 + 15 + 0.2 * ((100 * 8800) / 9100), 10);
    const bj = body.groups.find((g: any) => g.key === 'BJ01');
    expect(bj.parts.csi).toBeNull();
    expect(bj.index).toBeNull();
    expect(bj.ci95).toBeNull();
  });

  it('takes the weights the quality manager sets, and refuses weights that are all zero', async () => {
    const qm = await t.signIn('quality_manager');
    const { settings } = (await get('settings', {}, qm)).body;
    const bad = await t.request('/api/loyalty/settings', {
      method: 'PUT',
      json: { ...settings, weights: { csi: 0, nps: 0, repeatRate: 0, repeatRevenue: 0 } },
      as: qm,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('weights');
    const ok = await t.request('/api/loyalty/settings', {
      method: 'PUT',
      json: { ...settings, weights: { csi: 1, nps: 0, repeatRate: 0, repeatRevenue: 0 } },
      as: qm,
    });
    expect(ok.status).toBe(200);
    expect((await get('index')).body.total.index).toBeCloseTo(68.75, 10);
    await t.request('/api/loyalty/settings', { method: 'PUT', json: settings, as: qm });
  });
});

describe('GET /api/loyalty/value', () => {
  it('finds the top 20 % by 12-month revenue, their share, lifetime values and satisfaction against the rest', async () => {
    const { status, body } = await get('value');
    expect(status).toBe(200);
    expect(body.customers).toBe(6);
    expect(body.revenue).toBe(13500);
    // ⌈0.2 · 6⌉ = 2: C1 (5 000) and C5 (4 000).
    expect(body.topBand).toMatchObject({ customers: 2, revenue: 9000, minRevenue: 4000 });
    expect(body.topBand.revenueShare).toBeCloseTo((100 * 9000) / 13500, 10);
    // Retention falls back to 0.6 (no tier held 2 customers a year ago); S = 0.6 + 0.36 + 0.216 + 0.1296 + 0.07776.
    const s = 1.38336;
    const a = body.tiers.find((x: any) => x.tier === 'A');
    expect(a).toMatchObject({ customers: 2, revenue: 9000, retention: 0.6, retentionMeasured: false });
    expect(a.averageLifetimeValue).toBeCloseTo(0.25 * ((1000 * 5 + 800 * 5) / 2) * s, 6);
    // A year ago only C4 had a rental returned (Feb 2025): rank 1 of 1 ≤ ⌈0.2⌉, so tier A then, and retained.
    expect(a).toMatchObject({ base: 1, retained: 1 });
    expect(body.tiers.find((x: any) => x.tier === 'C')).toMatchObject({ base: 0, retained: 0 });
    // Top: NPS 10 and 7 → 50, index 100 and 50; rest: 3, 8, 9 → 0, index 25, 75, 75.
    expect(body.satisfaction.nps).toMatchObject({ nTop: 2, nRest: 3 });
    expect(body.satisfaction.nps.difference).toBeCloseTo(50, 10);
    expect(body.satisfaction.csi.top).toBeCloseTo(75, 10);
    expect(body.satisfaction.csi.rest).toBeCloseTo(175 / 3, 10);
    // Welch: SE = √(1250/2 + 833.33/3)
    const se = Math.sqrt(1250 / 2 + 2500 / 3 / 3);
    expect(body.satisfaction.csi.ci95[1]).toBeCloseTo(75 - 175 / 3 + 1.959964 * se, 6);
    expect(body.satisfaction.csi.significant).toBe(false);
  });

  it('lists the top band with each customer’s lifetime value', async () => {
    const { body } = await get('customers', { band: 'top', sort: 'lifetimeValue' });
    expect(body.customers.map((c: any) => c.externalId)).toEqual(['EXT-C1', 'EXT-C5']);
    expect(body.customers[0].lifetimeValue).toBeCloseTo(0.25 * 1000 * 5 * 1.38336, 6);
  });
});
