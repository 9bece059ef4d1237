// /api/analytics/change on the demo data: the planted cause (SH02's pick-up in the last 30 days) is named
// first; the figures match the summary and compare routes (independent paths: the daily rollup and the
// Welch sums); branch managers get their own branches only; 422 when a period is too small.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PLANTED_CAUSE, seedDemoData } from '../../api/src/demo/seed.ts';
import { addDays } from '../../api/src/analytics/engine/groups.ts';
import type { ChangeResult } from '../../api/src/analytics/change.schemas.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let manager: Credentials;
// The demo's "today" in the company time zone, and the block's default periods: the last 30 days
// against the 30 before.
const NOW = '2026-06-01T10:00:00+08:00';
const TODAY = '2026-06-01';
const FROM = addDays(TODAY, -29);
const PREV_FROM = addDays(FROM, -30);
const PREV_TO = addDays(FROM, -1);

beforeAll(async () => {
  t = await createTestApp({ clock: testClock(NOW) });
  expect(await seedDemoData({ db: t.db, sql: t.sql, now: t.clock.now() })).not.toBeNull();
  [{ id: surveyId }] = await t.sql`select id from surveys where kind = 'post_rental' order by created_at limit 1`;
  manager = await t.signIn('branch_manager', { branches: ['SH01'] });
});

const q = (params: Record<string, string>) => `?${new URLSearchParams({ survey: surveyId, from: FROM, to: TODAY, ...params })}`;
async function get(params: Record<string, string>, as?: Credentials) {
  const res = await t.request(`/api/analytics/change${q(params)}`, as ? { as } : {});
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ChangeResult;
}
const sumOfParts = (r: ChangeResult) => r.mix.value + r.rest.value + r.drivers.reduce((s, d) => s + d.contribution, 0);

describe('the planted cause in the demo data', () => {
  it(`names ${DEMO_PLANTED_CAUSE.dimension} as what mattered most for ${DEMO_PLANTED_CAUSE.branch}'s fall in NPS`, async () => {
    const r = await get({ branch: DEMO_PLANTED_CAUSE.branch, lang: 'en' });
    expect(r.observed.value).toBeLessThan(-10);
    expect(r.explanation).toMatchObject({ kind: 'driver', driver: DEMO_PLANTED_CAUSE.dimension, label: 'Pick-up' });
    const pickup = r.drivers.find((d) => d.id === DEMO_PLANTED_CAUSE.dimension)!;
    // Its score fell by far the most, and its part is the largest of the drivers, below zero.
    expect(pickup.change).toBeLessThan(-15);
    for (const d of r.drivers) if (d !== pickup) expect(Math.abs(d.contribution)).toBeLessThan(Math.abs(pickup.contribution));
    expect(pickup.ci95![0]).toBeLessThan(pickup.contribution);
    expect(pickup.ci95![1]).toBeGreaterThan(pickup.contribution);
    expect(sumOfParts(r)).toBeCloseTo(r.observed.value, 9);
    // The labels follow the language.
    expect((await get({ branch: DEMO_PLANTED_CAUSE.branch, lang: 'zh-CN' })).explanation.label).toBe('取车');
  });

  it('leaves a branch without a planted cause without a big pick-up part', async () => {
    const r = await get({ branch: 'BJ01' });
    const pickup = r.drivers.find((d) => d.id === 'pickup')!;
    expect(Math.abs(pickup.change)).toBeLessThan(10);
  });
});

describe('the figures', () => {
  it('match the summary of each period, and the mix matches the segment NPS at the previous shares', async () => {
    const r = await get({ region: '华东', segment: 'customerType' });
    const summary = async (from: string, to: string) =>
      (await t.request(`/api/analytics/summary?${new URLSearchParams({ survey: surveyId, from, to, region: '华东', groupBy: 'customerType' })}`)).json();
    const now = await summary(FROM, TODAY);
    const before = await summary(PREV_FROM, PREV_TO);
    expect(r.previous).toMatchObject({ from: PREV_FROM, to: PREV_TO, n: before.total.nps.n });
    expect(r.current).toMatchObject({ from: FROM, to: TODAY, n: now.total.nps.n });
    expect(r.previous.value).toBeCloseTo(before.total.nps.score, 9);
    expect(r.current.value).toBeCloseTo(now.total.nps.score, 9);
    expect(r.observed.value).toBeCloseTo(now.total.nps.score - before.total.nps.score, 9);
    // Reweighted: each customer type's current NPS at its previous share (types in both periods).
    const common = before.groups.filter(
      (g: { key: string; nps: { n: number } }) => g.nps.n > 0 && now.groups.some((c: { key: string; nps: { n: number } }) => c.key === g.key && c.nps.n > 0),
    );
    const commonN = common.reduce((s: number, g: { nps: { n: number } }) => s + g.nps.n, 0);
    let reweighted = 0;
    for (const g of common) {
      const c = now.groups.find((x: { key: string }) => x.key === g.key);
      const score = (100 * (c.nps.promoters - c.nps.detractors)) / c.nps.n;
      reweighted += (g.nps.n / commonN) * score;
    }
    expect(r.current.reweighted).toBeCloseTo(reweighted, 9);
    expect(r.mix.value).toBeCloseTo(r.current.value - reweighted, 9);
    expect(sumOfParts(r)).toBeCloseTo(r.observed.value, 9);
    expect(r.bootstrap).toMatchObject({ replicates: 500, seed: 17, level: 0.95 });
    expect(r.bootstrap.valid).toBeGreaterThan(250);
    expect(r.mix.ci95![0]).toBeLessThanOrEqual(r.mix.ci95![1]);
  });

  it('decomposes the mean per-respondent index for csi, as the compare route tests it', async () => {
    const r = await get({ branch: 'SH01', metric: 'csi' });
    const compare = await (await t.request(`/api/analytics/compare${q({ branch: 'SH01', against: 'previous' })}`)).json();
    expect(r.observed.value).toBeCloseTo(compare.total.csi.meanDifference, 9);
    expect(sumOfParts(r)).toBeCloseTo(r.observed.value, 9);
    // The index is the design-weighted mean of the dimensions: the fit is nearly exact.
    expect(r.fit.r2).toBeGreaterThan(0.95);
  });

  it('is the same on every call (seeded bootstrap)', async () => {
    const a = await get({ branch: 'SH02' });
    const b = await get({ branch: 'SH02' });
    expect(b).toEqual(a);
  });
});

describe('access and refusals', () => {
  it("gives a branch manager their branches' figures only", async () => {
    const mine = await get({}, manager);
    const filtered = await get({ branch: 'SH01' });
    expect(mine).toEqual(filtered);
    const company = await get({});
    expect(company.current.n).toBeGreaterThan(mine.current.n);
    // Another branch named by a manager holds none of their responses: too few to decompose.
    const other = await t.request(`/api/analytics/change${q({ branch: 'SH02' })}`, { as: manager });
    expect(other.status).toBe(422);
    expect((await other.json()).n).toBe(0);
  });

  it('answers 422 problem+json naming the period when it has fewer responses than minN', async () => {
    // One day holds only a few of a branch's responses.
    const res = await t.request(`/api/analytics/change${q({ branch: 'SH03', from: TODAY, to: TODAY })}`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 422, code: 'insufficient_sample', minN: 5 });
    expect(['previous', 'current']).toContain(problem.period);
    expect(problem.n).toBeLessThan(5);
  });

  it('answers 400 without a period or with an unknown segment variable', async () => {
    const noPeriod = await t.request(`/api/analytics/change?survey=${surveyId}`);
    expect(noPeriod.status).toBe(400);
    const paths = (await noPeriod.json()).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['from', 'to']));
    const bad = await t.request(`/api/analytics/change${q({ segment: 'week' })}`);
    expect(bad.status).toBe(400);
  });

  it('is refused without analytics permission', async () => {
    expect((await t.request(`/api/analytics/change${q({})}`, { as: 'anonymous' })).status).toBe(401);
  });
});
