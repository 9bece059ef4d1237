// The analytics engine against a generated data set with a known driver structure: every block of
// summary, compare and drivers is recomputed here from the raw answers (tests/support/analytics-expect.ts,
// which does not use the statistics library), plus trend, filters, minN and the branch scope.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSummary } from '../../api/src/analytics/summary.queries.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { BRANCHES, analyticsDefinition, generateAnalyticsData, insertAnalyticsData, type TestData, type TestResponse } from '../support/analytics-data.ts';
import {
  DIMENSIONS,
  csat,
  csi,
  holm,
  normalP,
  nps,
  ols,
  pearson,
  pp100,
  relativeWeightsFromData,
  respondentCsi,
  respondentDimension,
  shapleyByOrderings,
  welch,
} from '../support/analytics-expect.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let data: TestData;
let finished: TestResponse[];

const FROM = Date.parse('2026-04-01T00:00:00+08:00');
const MAY = Date.parse('2026-05-01T00:00:00+08:00');
const END = Date.parse('2026-06-01T00:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2027-01-15T02:00:00Z') });
  const survey = await createSurvey(t.db, { name: 'Analytics test', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  data = await insertAnalyticsData(t.sql, { surveyId, versionId: version.id }, generateAnalyticsData());
  finished = data.responses.filter((r) => r.status === 'finished');
});

type Params = Record<string, string | number | (string | number)[]>;
async function get(path: string, params: Params = {}) {
  const search = new URLSearchParams({ survey: surveyId });
  for (const [key, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  const res = await t.request(`/api/analytics/${path}?${search}`);
  return { status: res.status, body: (await res.json()) as any };
}

const defined = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);
const expectClose = (actual: number | null, expected: number | null, digits = 9) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(actual!).toBeCloseTo(expected, digits);
};
const expectPair = (actual: [number, number] | null, expected: number[], digits = 9) => {
  expect(actual).not.toBeNull();
  expectClose(actual![0], expected[0], digits);
  expectClose(actual![1], expected[1], digits);
};

/** Every block of a summary group against the raw answers of its responses. */
function expectBlocks(group: any, responses: TestResponse[], minN = 10) {
  expect(group.responses).toBe(responses.length);
  const suppressed = responses.length < minN;
  expect(group.suppressed).toBe(suppressed);
  const e = nps(defined(responses.map((r) => r.answers.nps)));
  expect(group.nps).toMatchObject({ n: e.n, promoters: e.promoters, passives: e.passives, detractors: e.detractors });
  const c = csat(defined(responses.map((r) => r.answers.csat)));
  expect(group.csat.n).toBe(c.n);
  const p = pp100(responses);
  expect(group.pp100.n).toBe(p.n);
  const i = csi(responses);
  expect(group.csi.dimensions.map((d: any) => [d.id, d.n])).toEqual(i.dimensions.map((d) => [d.id, d.n]));
  if (suppressed) {
    expect(group.nps).toMatchObject({ score: null, se: null, ci95: null });
    expect(group.csat).toMatchObject({ top2: null, mean: null, ci95: null });
    expect(group.csi.score).toBeNull();
    expect(group.pp100).toMatchObject({ value: null, incidence: null, se: null });
    return;
  }
  expectClose(group.nps.score, e.score);
  expectClose(group.nps.se, e.se);
  expectPair(group.nps.ci95, e.ci95);
  expectClose(group.csat.top2, c.top2);
  expectClose(group.csat.mean, c.mean);
  expectPair(group.csat.ci95, c.ci95);
  expectClose(group.csi.score, i.score);
  group.csi.dimensions.forEach((d: any, k: number) => {
    expectClose(d.score, i.dimensions[k].score);
    expectClose(d.weight, i.dimensions[k].weight);
  });
  expectClose(group.pp100.value, p.value);
  expectClose(group.pp100.incidence, p.incidence);
  expectClose(group.pp100.se, p.se);
}

const byBranch = (code: string, rs = finished) => rs.filter((r) => r.branch === code);
const inPeriod = (from: number, to: number, rs = finished) => rs.filter((r) => r.finishedAt.getTime() >= from && r.finishedAt.getTime() < to);

describe('GET /api/analytics/summary', () => {
  it('computes every block per branch and in total, and suppresses groups under minN', async () => {
    const { status, body } = await get('summary', { groupBy: 'branch' });
    expect(status).toBe(200);
    expect(body.minN).toBe(10);
    expect(body.groups.map((g: any) => g.key)).toEqual(BRANCHES.map((b) => b.code).sort());
    for (const group of body.groups) expectBlocks(group, byBranch(group.key));
    expect(body.groups.find((g: any) => g.key === 'SH01').label).toBe('上海虹桥店');
    const gz = body.groups.find((g: any) => g.key === 'GZ01');
    expect(gz.suppressed).toBe(true);
    expect(gz.responses).toBeGreaterThan(0);
    expectBlocks(body.total, finished);
    // Partial responses count for no metric.
    expect(body.total.responses).toBeLessThan(data.responses.length);
  });

  it('filters the period in the company time zone and by repeatable segment filters', async () => {
    const { body } = await get('summary', { from: '2026-04-01', to: '2026-04-30', branch: ['SH01', 'BJ01'], lang: 'en' });
    const expected = inPeriod(FROM, MAY).filter((r) => r.branch === 'SH01' || r.branch === 'BJ01');
    expectBlocks(body.total, expected);
    expect(body.total.csi.dimensions[0].label).toBe('Staff');

    const customers = new Map(data.customers.map((c) => [c.id, c]));
    const rentals = new Map(data.rentals.map((r) => [r.id, r]));
    const { body: segment } = await get('summary', { tier: 'A,B', customerType: 'business', channel: ['app', 'web'], vehicleClass: 'suv' });
    const matching = finished.filter((r) => {
      const c = customers.get(r.customer)!;
      const x = rentals.get(r.rental)!;
      return ['A', 'B'].includes(c.tier) && c.type === 'business' && ['app', 'web'].includes(x.channel) && x.vehicleClass === 'suv';
    });
    expect(segment.total.responses).toBe(matching.length);
    expect(segment.total.nps.n).toBe(defined(matching.map((r) => r.answers.nps)).length);
  });

  it('groups by region, tier, customer type, vehicle class, channel and new vs returning', async () => {
    const customers = new Map(data.customers.map((c) => [c.id, c]));
    const rentals = new Map(data.rentals.map((r) => [r.id, r]));
    const region = new Map<string, string>(BRANCHES.map((b) => [b.code, b.region]));
    const keyOf: Record<string, (r: TestResponse) => string> = {
      region: (r) => region.get(r.branch)!,
      tier: (r) => customers.get(r.customer)!.tier,
      customerType: (r) => customers.get(r.customer)!.type,
      vehicleClass: (r) => rentals.get(r.rental)!.vehicleClass,
      channel: (r) => rentals.get(r.rental)!.channel,
      newReturning: (r) => {
        const rental = rentals.get(r.rental)!;
        const earlier = data.rentals.some((x) => x.customer === rental.customer && x.pickedUpAt < rental.pickedUpAt);
        return earlier ? 'returning' : 'new';
      },
    };
    for (const [groupBy, key] of Object.entries(keyOf)) {
      const { status, body } = await get('summary', { groupBy });
      expect(status).toBe(200);
      const expectedKeys = [...new Set(finished.map(key))].sort();
      expect(
        body.groups.map((g: any) => g.key),
        groupBy,
      ).toEqual(expectedKeys);
      for (const group of body.groups)
        expectBlocks(
          group,
          finished.filter((r) => key(r) === group.key),
        );
    }
    const { body } = await get('summary', { groupBy: 'newReturning', lang: 'en' });
    expect(body.groups.find((g: any) => g.key === 'returning').label).toBe('Returning customer');
  });

  it('post-stratifies by branch volume and reports the effective n', async () => {
    const { body } = await get('summary', { groupBy: 'region', weight: 'branchVolume', from: '2026-04-01', to: '2026-05-31' });
    const responses = inPeriod(FROM, END);
    const rentalsIn = data.rentals.filter((x) => x.returnedAt.getTime() >= FROM && x.returnedAt.getTime() < END);
    for (const region of ['华东', '华北']) {
      const codes: string[] = BRANCHES.filter((b) => b.region === region).map((b) => b.code);
      const N = rentalsIn.filter((x) => codes.includes(x.branch)).length;
      const n = responses.filter((r) => codes.includes(r.branch)).length;
      let sw = 0;
      let swy = 0;
      let sw2 = 0;
      let groupW = 0;
      let groupW2 = 0;
      for (const code of codes) {
        const rs = responses.filter((r) => r.branch === code);
        const w = rentalsIn.filter((x) => x.branch === code).length / N / (rs.length / n);
        const values = defined(rs.map((r) => r.answers.nps));
        sw += w * values.length;
        sw2 += w * w * values.length;
        swy += w * values.reduce((a, v) => a + (v >= 9 ? 1 : v <= 6 ? -1 : 0), 0);
        groupW += w * rs.length;
        groupW2 += w * w * rs.length;
      }
      const group = body.groups.find((g: any) => g.key === region);
      expectClose(group.nps.score, (100 * swy) / sw);
      expectClose(group.nps.nEffective, (sw * sw) / sw2);
      expectClose(group.nEffective, (groupW * groupW) / groupW2);
      // Counts stay raw.
      expect(group.nps.n).toBe(defined(responses.filter((r) => codes.includes(r.branch)).map((r) => r.answers.nps)).length);
    }
    // The total is post-stratified over all branches.
    const N = rentalsIn.length;
    const n = responses.length;
    let sw = 0;
    let swy = 0;
    for (const b of BRANCHES) {
      const rs = responses.filter((r) => r.branch === b.code);
      if (rs.length === 0) continue;
      const w = rentalsIn.filter((x) => x.branch === b.code).length / N / (rs.length / n);
      const values = defined(rs.map((r) => r.answers.nps));
      sw += w * values.length;
      swy += w * values.reduce((a, v) => a + (v >= 9 ? 1 : v <= 6 ? -1 : 0), 0);
    }
    expectClose(body.total.nps.score, (100 * swy) / sw);
  });

  it('limits a branch manager to their branches, and needs credentials', async () => {
    const manager = await t.signIn('branch_manager', { branches: ['SH02'] });
    const res = await t.request(`/api/analytics/summary?survey=${surveyId}&groupBy=branch`, { as: manager });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.groups.map((g: any) => g.key)).toEqual(['SH02']);
    expectBlocks(body.total, byBranch('SH02'));
    // Asking for another branch gives nothing, not that branch.
    const other = (await (await t.request(`/api/analytics/summary?survey=${surveyId}&branch=SH01`, { as: manager })).json()) as any;
    expect(other.total.responses).toBe(0);
    const executive = await t.signIn('executive');
    const all = (await (await t.request(`/api/analytics/summary?survey=${surveyId}`, { as: executive })).json()) as any;
    expect(all.total.responses).toBe(finished.length);
    expect((await t.request(`/api/analytics/summary?survey=${surveyId}`, { as: 'anonymous' })).status).toBe(401);
  });

  it('applies the branch scope inside the SQL', async () => {
    const scope = [data.branchIds.SH02];
    const result = await buildSummary(t.sql, { survey: surveyId, groupBy: 'branch', weight: 'none' } as never, {
      timeZone: 'Asia/Shanghai',
      branchScope: scope,
    });
    expect(result.groups.map((g) => g.key)).toEqual(['SH02']);
    expectBlocks(result.total, byBranch('SH02'));
    const nothing = await buildSummary(t.sql, { survey: surveyId, groupBy: 'none', weight: 'none' } as never, { timeZone: 'Asia/Shanghai', branchScope: [] });
    expect(nothing.total.responses).toBe(0);
  });

  it('answers unknown values with 400 naming the field', async () => {
    const cases: [Params, string][] = [
      [{ tier: 'D' }, 'tier'],
      [{ groupBy: 'colour' }, 'groupBy'],
      [{ branch: 'NOPE' }, 'branch'],
      [{ region: '火星' }, 'region'],
      [{ channel: 'fax' }, 'channel'],
      [{ from: '2026-13-01' }, 'from'],
      [{ from: '2026-05-02', to: '2026-05-01' }, 'to'],
      [{ weight: 'heavy' }, 'weight'],
    ];
    for (const [params, field] of cases) {
      const res = await get('summary', params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(
        res.body.errors.some((e: { path: string }) => e.path === field || e.path.startsWith(`${field}.`)),
        JSON.stringify(res.body),
      ).toBe(true);
    }
    const missing = await t.request(`/api/analytics/summary?survey=${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
  });
});

describe('GET /api/analytics/compare', () => {
  it('tests each branch against the rest with Holm-adjusted p-values', async () => {
    const { status, body } = await get('compare', { groupBy: 'branch' });
    expect(status).toBe(200);
    const tested = body.groups.filter((g: any) => !g.suppressed);
    expect(tested.map((g: any) => g.key)).toEqual(['BJ01', 'BJ02', 'SH01', 'SH02']);
    const gz = body.groups.find((g: any) => g.key === 'GZ01');
    expect(gz).toMatchObject({ suppressed: true, nps: { p: null, significant: false } });

    const raw = tested.map((g: any) => {
      const mine = byBranch(g.key);
      const rest = finished.filter((r) => r.branch !== g.key);
      const a = nps(defined(mine.map((r) => r.answers.nps)));
      const b = nps(defined(rest.map((r) => r.answers.nps)));
      const zNps = (a.score - b.score) / Math.sqrt(a.se ** 2 + b.se ** 2);
      const ca = defined(mine.map((r) => r.answers.csat));
      const cb = defined(rest.map((r) => r.answers.csat));
      const x1 = ca.filter((v) => v >= 4).length;
      const x2 = cb.filter((v) => v >= 4).length;
      const pooled = (x1 + x2) / (ca.length + cb.length);
      const zCsat = (x1 / ca.length - x2 / cb.length) / Math.sqrt(pooled * (1 - pooled) * (1 / ca.length + 1 / cb.length));
      const w = welch(defined(mine.map(respondentCsi)), defined(rest.map(respondentCsi)));
      return {
        g,
        a,
        b,
        zNps,
        pNps: normalP(zNps),
        zCsat,
        pCsat: normalP(zCsat),
        x1,
        x2,
        na: ca.length,
        nb: cb.length,
        w,
        csiDiff: csi(mine).score - csi(rest).score,
      };
    });
    const adjNps = holm(raw.map((x: any) => x.pNps));
    const adjCsat = holm(raw.map((x: any) => x.pCsat));
    const adjCsi = holm(raw.map((x: any) => x.w.p));
    raw.forEach((x: any, i: number) => {
      const { g } = x;
      expectClose(g.nps.difference, x.a.score - x.b.score);
      expectClose(g.nps.z, x.zNps);
      expectClose(g.nps.p, x.pNps, 7);
      expectClose(g.nps.pAdjusted, adjNps[i], 7);
      expect(g.nps.significant).toBe(adjNps[i] < 0.05);
      expectClose(g.csat.difference, 100 * (x.x1 / x.na - x.x2 / x.nb));
      expectClose(g.csat.z, x.zCsat);
      expectClose(g.csat.pAdjusted, adjCsat[i], 7);
      expectClose(g.csi.difference, x.csiDiff);
      expectClose(g.csi.meanDifference, x.w.difference);
      expectClose(g.csi.t, x.w.t);
      expectClose(g.csi.df, x.w.df, 6);
      expectClose(g.csi.p, x.w.p, 6);
      expectClose(g.csi.pAdjusted, adjCsi[i], 6);
      expect(g.csi.significant).toBe(adjCsi[i] < 0.05);
    });
    // The data has a clearly better and a clearly worse branch.
    expect(body.groups.find((g: any) => g.key === 'SH01').csi.meanDifference).toBeGreaterThan(0);
    expect(body.groups.find((g: any) => g.key === 'BJ01').csi.meanDifference).toBeLessThan(0);
  });

  it('compares with the previous period of the same length', async () => {
    const { status, body } = await get('compare', { groupBy: 'region', against: 'previous', from: '2026-05-01', to: '2026-05-31' });
    expect(status).toBe(200);
    expect(body.previous).toEqual({ from: '2026-03-31', to: '2026-04-30' });
    const now = inPeriod(MAY, END);
    const before = inPeriod(Date.parse('2026-03-31T00:00:00+08:00'), MAY);
    const a = nps(defined(now.map((r) => r.answers.nps)));
    const b = nps(defined(before.map((r) => r.answers.nps)));
    expectClose(body.total.nps.difference, a.score - b.score);
    expectClose(body.total.nps.p, normalP((a.score - b.score) / Math.sqrt(a.se ** 2 + b.se ** 2)), 7);
    const east = body.groups.find((g: any) => g.key === '华东');
    const codes = ['SH01', 'SH02'];
    expect(east.responses).toBe(now.filter((r) => codes.includes(r.branch)).length);
    expect(east.referenceResponses).toBe(before.filter((r) => codes.includes(r.branch)).length);

    const bad = await get('compare', { against: 'previous', from: '2026-05-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('to');
  });
});

describe('GET /api/analytics/drivers', () => {
  /** Listwise-complete rows: outcome and every driver present. */
  function complete(drivers: ((r: TestResponse) => number | null)[]) {
    const rows = finished.map((r) => [r.answers.nps, ...drivers.map((d) => d(r))]).filter((row) => row.every((v) => v !== null)) as number[][];
    return { y: rows.map((row) => row[0]), columns: drivers.map((_, j) => rows.map((row) => row[j + 1])) };
  }
  const dimensionDrivers = DIMENSIONS.map((_, k) => (r: TestResponse) => respondentDimension(r, k));
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  };

  it('finds the known structure with relative weights, from one pass of sums', async () => {
    const { status, body } = await get('drivers');
    expect(status).toBe(200);
    const { y, columns } = complete(dimensionDrivers);
    const fit = ols(y, columns);
    const weights = relativeWeightsFromData(y, columns);
    expect(body).toMatchObject({ method: 'relative_weights', outcome: 'q_nps', driverSet: 'dimensions', n: y.length });
    expectClose(body.r2, fit.r2);
    const performance = csi(finished).dimensions.map((d) => d.score!);
    const performanceCut = performance.reduce((a, b) => a + b, 0) / performance.length;
    expectClose(body.performanceCut, performanceCut);
    body.drivers.forEach((d: any, j: number) => {
      expect(d.id).toBe(DIMENSIONS[j].id);
      expectClose(d.weight, weights[j]);
      expectClose(d.share, (100 * weights[j]) / fit.r2);
      expectClose(d.r, pearson(columns[j], y));
      expectClose(d.beta, (fit.coefficients[j] * sd(columns[j])) / sd(y));
      expect(d.sign).toBe(Math.sign(fit.coefficients[j]));
      expectClose(d.performance, performance[j]);
      const important = d.share >= 100 / 3;
      const performing = d.performance >= performanceCut;
      expect(d.quadrant).toBe(important ? (performing ? 'keep_up' : 'concentrate_here') : performing ? 'possible_overkill' : 'low_priority');
    });
    // Recommending was generated from staff 0.55, vehicle 0.30, value 0.15.
    const share = Object.fromEntries(body.drivers.map((d: any) => [d.id, d.share]));
    expect(share.staff).toBeGreaterThan(share.vehicle);
    expect(share.vehicle).toBeGreaterThan(share.value);
    expect(body.warnings).toEqual(y.length < 50 + 8 * 3 ? ['small_sample'] : []);
    // A branch alone has fewer than 50 + 8p complete responses.
    const { body: branch } = await get('drivers', { branch: 'BJ02' });
    expect(branch.n).toBeLessThan(74);
    expect(branch.warnings).toContain('small_sample');
  });

  it('decomposes R² exactly with Shapley (checked against every ordering) and ranks by r or β', async () => {
    const { y, columns } = complete(dimensionDrivers);
    const brute = shapleyByOrderings(y, columns);
    const { body } = await get('drivers', { method: 'shapley' });
    body.drivers.forEach((d: any, j: number) => expectClose(d.weight, brute[j]));
    expectClose(
      body.drivers.reduce((a: number, d: any) => a + d.weight, 0),
      ols(y, columns).r2,
    );

    const rs = columns.map((c) => pearson(c, y));
    const { body: corr } = await get('drivers', { method: 'correlation' });
    corr.drivers.forEach((d: any, j: number) => {
      expectClose(d.weight, rs[j]);
      expectClose(d.share, (100 * rs[j] ** 2) / rs.reduce((a, r) => a + r * r, 0));
    });
    const fit = ols(y, columns);
    const betas = fit.coefficients.map((b, j) => (b * sd(columns[j])) / sd(y));
    const { body: beta } = await get('drivers', { method: 'beta' });
    beta.drivers.forEach((d: any, j: number) => expectClose(d.weight, betas[j]));
  });

  it('analyses items with listwise deletion, with filters', async () => {
    const items = [
      (r: TestResponse) => r.answers.staff.friendly,
      (r: TestResponse) => r.answers.staff.competent,
      (r: TestResponse) => r.answers.car.clean,
      (r: TestResponse) => r.answers.car.condition,
      (r: TestResponse) => r.answers.price,
    ];
    const { body } = await get('drivers', { drivers: 'items', method: 'shapley' });
    const { y, columns } = complete(items);
    expect(body.n).toBe(y.length);
    expect(body.drivers.map((d: any) => d.id)).toEqual(['q_staff.friendly', 'q_staff.competent', 'q_car.clean', 'q_car.condition', 'q_price']);
    const brute = shapleyByOrderings(y, columns);
    body.drivers.forEach((d: any, j: number) => expectClose(d.weight, brute[j]));

    const { body: region } = await get('drivers', { region: '华北' });
    const north = complete(dimensionDrivers.map((f) => (r: TestResponse) => (r.branch.startsWith('BJ') ? f(r) : null)));
    expect(region.n).toBe(north.y.length);
    expectClose(region.r2, ols(north.y, north.columns).r2);

    // A customer segment is not in the daily rollup: the same analysis from one pass over the facts.
    const tierOf = new Map(data.customers.map((c) => [c.id, c.tier]));
    const { body: tierA } = await get('drivers', { tier: 'A' });
    const a = complete(dimensionDrivers.map((f) => (r: TestResponse) => (tierOf.get(r.customer) === 'A' ? f(r) : null)));
    expect(tierA.n).toBe(a.y.length);
    expectClose(tierA.r2, ols(a.y, a.columns).r2);
    const weightsA = relativeWeightsFromData(a.y, a.columns);
    tierA.drivers.forEach((d: any, j: number) => expectClose(d.weight, weightsA[j]));
  });

  it('refuses what it cannot compute with 422', async () => {
    // GZ01 has 6 responses: fewer than p + 2 = 7 for the five items.
    const small = await get('drivers', { branch: 'GZ01', drivers: 'items' });
    expect(small.status).toBe(422);
    expect(small.body).toMatchObject({ code: 'insufficient_sample', required: 7 });

    const big = await createSurvey(t.db, {
      name: 'Many items',
      definition: {
        ...analyticsDefinition,
        pages: [
          {
            id: 'p1',
            questions: [
              { id: 'q_nps', type: 'nps', text: { 'zh-CN': '推荐', en: 'Recommend' } },
              {
                id: 'q_many',
                type: 'matrix',
                max: 5,
                text: { 'zh-CN': '很多', en: 'Many' },
                items: Array.from({ length: 16 }, (_, i) => ({ id: `m${i}`, text: { 'zh-CN': `项${i}`, en: `Item ${i}` } })),
              },
            ],
          },
        ],
        dimensions: [
          {
            id: 'all',
            name: { 'zh-CN': '全部', en: 'All' },
            weight: 1,
            items: Array.from({ length: 16 }, (_, i) => ({ questionId: 'q_many', itemId: `m${i}` })),
          },
        ],
        outcomes: { recommend: 'q_nps' },
      },
    });
    await publishSurvey(t.db, big.id);
    const res = await t.request(`/api/analytics/drivers?survey=${big.id}&drivers=items&method=shapley`);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as any;
    expect(problem.code).toBe('too_many_drivers');
    expect(problem.detail).toMatch(/at most 15 drivers/);

    const wrongOutcome = await get('drivers', { outcome: 'q_comment' });
    expect(wrongOutcome.status).toBe(400);
    expect(wrongOutcome.body.errors[0].path).toBe('outcome');
  });
});

describe('GET /api/analytics/trend', () => {
  it('lists every week, the empty one with n = 0', async () => {
    const { status, body } = await get('trend', { interval: 'week', metric: 'nps', from: '2026-04-01', to: '2026-05-31' });
    expect(status).toBe(200);
    const points = body.series[0].points;
    expect(points[0]).toMatchObject({ period: '2026-03-30', label: '2026-W14' });
    expect(points.at(-1).period).toBe('2026-05-25');
    expect(points).toHaveLength(9);
    const gap = points.find((p: any) => p.period === '2026-04-20');
    expect(gap).toMatchObject({ n: 0, value: null, suppressed: true });
    for (const point of points) {
      const start = Math.max(Date.parse(`${point.period}T00:00:00+08:00`), FROM);
      const rs = inPeriod(start, Math.min(Date.parse(`${point.period}T00:00:00+08:00`) + 7 * 86_400_000, END));
      const values = defined(rs.map((r) => r.answers.nps));
      expect(point.n).toBe(values.length);
      if (values.length >= 10) expectClose(point.value, nps(values).score);
    }
  });

  it('draws a dimension per month, one series per region', async () => {
    const { body } = await get('trend', { interval: 'month', metric: 'dimension.staff', groupBy: 'region' });
    expect(body.series.map((s: any) => s.key)).toEqual(['华东', '华北', '华南']);
    const east = body.series[0];
    expect(east.points.map((p: any) => p.label)).toEqual(['2026-04', '2026-05']);
    const april = inPeriod(FROM, MAY).filter((r) => r.branch.startsWith('SH'));
    expectClose(east.points[0].value, csi(april).dimensions[0].score);

    const bad = await get('trend', { metric: 'dimension.nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('metric');
  });
});

describe('the OpenAPI document', () => {
  it('lists every analytics route', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as any;
    for (const path of ['summary', 'compare', 'drivers', 'trend', 'problems', 'comments', 'loyalty', 'funnel']) {
      expect(doc.paths[`/api/analytics/${path}`]?.get, path).toBeDefined();
    }
    expect(doc.paths['/api/responses/import']?.post).toBeDefined();
  });
});
