// Targets against a real PostgreSQL and the generated analytics data: setting them (API and CSV, with
// per-row problem+json and nothing written on a bad file), which target applies to a view, and each
// figure's status by its 95 % interval, recomputed here from the raw answers (tests/support/analytics-expect.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { tQuantile975 } from '../../api/src/analytics/engine/statistics/index.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData, type TestData, type TestResponse } from '../support/analytics-data.ts';
import { csat, csi, nps, respondentCsi, wilson } from '../support/analytics-expect.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let data: TestData;
let inView: TestResponse[];
const FROM = '2026-04-01';
const TO = '2026-05-31';
const START = Date.parse('2026-04-01T00:00:00+08:00');
const END = Date.parse('2026-06-01T00:00:00+08:00');
const csvPost = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'text/csv' } });
const defined = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2027-01-15T02:00:00Z') });
  const survey = await createSurvey(t.db, { name: 'Targets test', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  data = await insertAnalyticsData(t.sql, { surveyId, versionId: version.id }, generateAnalyticsData());
  inView = data.responses.filter((r) => r.status === 'finished' && r.finishedAt.getTime() >= START && r.finishedAt.getTime() < END);
});

async function put(json: Record<string, unknown>) {
  const res = await t.request('/api/targets', { method: 'PUT', json });
  return { status: res.status, body: (await res.json()) as any };
}
async function status(params: Record<string, string>) {
  const res = await t.request(`/api/targets/status?${new URLSearchParams({ survey: surveyId, from: FROM, to: TO, ...params })}`);
  return { status: res.status, body: (await res.json()) as any };
}
const figure = (row: { figures: { metric: string }[] }, metric: string) => row.figures.find((f) => f.metric === metric) as any;

describe('setting targets', () => {
  it('refuses a target that names the wrong scope, lies outside its metric or names an unknown branch', async () => {
    const scoped = await put({ metric: 'nps', level: 'company', scope: 'SH01', period: '2026', value: 30 });
    expect(scoped.status).toBe(400);
    expect(scoped.body.errors).toEqual([expect.objectContaining({ path: 'scope' })]);
    const range = await put({ metric: 'nps', level: 'company', period: '2026', value: 150 });
    expect(range.body.errors).toEqual([expect.objectContaining({ path: 'value' })]);
    const period = await put({ metric: 'nps', level: 'company', period: '2026-13', value: 10 });
    expect(period.body.errors).toEqual([expect.objectContaining({ path: 'period' })]);
    const unknown = await put({ metric: 'nps', level: 'branch', scope: 'XX99', period: '2026', value: 10 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'scope', code: 'unknown_scope' })]);
  });

  it('imports a CSV only when every row is good, naming each bad row (problem+json), and replaces the value of the same target', async () => {
    const bad = await t.request(
      '/api/targets/import',
      csvPost(
        [
          'metric,level,scope,period,target',
          'nps,company,,2026,30',
          'csat_top_box,branch,SH01,2026-Q2,45',
          'nps_score,company,,2026,30',
          'nps,branch,XX99,2026,30',
          'nps,region,华东,2026-Q5,30',
          'pp100,company,,2026,-3',
          'csat_top_box,branch,SH01,2026-Q2,50',
        ].join('\n'),
      ),
    );
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await bad.json()) as any;
    expect(problem.errors.map((e: { row: number }) => e.row)).toEqual([4, 5, 6, 7, 8]);
    expect(problem.errors[1]).toMatchObject({ path: 'row 5.scope', code: 'unknown_scope' });
    expect(problem.errors[4]).toMatchObject({ code: 'duplicate', message: 'the same target as row 3' });
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from targets`;
    expect(n).toBe(0);

    const good = await t.request(
      '/api/targets/import',
      csvPost(['metric,level,scope,period,target', 'nps,company,,2026,30', 'csat_top_box,branch,SH01,2026-Q2,45', 'nps,region,华东,2026-Q2,20'].join('\n')),
    );
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ rows: 3, created: 3, updated: 0 });
    const again = await t.request('/api/targets/import', csvPost('metric,level,scope,period,target\nnps,company,,2026,35\n'));
    expect(await again.json()).toEqual({ rows: 1, created: 0, updated: 1 });
    const list = (await (await t.request('/api/targets?metric=nps&level=company')).json()) as any[];
    expect(list).toEqual([expect.objectContaining({ period: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', value: 35, scope: null })]);
  });

  it('lets quality managers set targets and not branch managers', async () => {
    const quality = await t.signIn('quality_manager');
    const res = await t.request('/api/targets', { method: 'PUT', as: quality, json: { metric: 'csi', level: 'company', period: '2026-Q2', value: 70 } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).periodEnd).toBe('2026-06-30');
    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    const refused = await t.request('/api/targets', { method: 'PUT', as: manager, json: { metric: 'csi', level: 'company', period: '2026', value: 70 } });
    expect(refused.status).toBe(403);
  });
});

describe('figures against targets', () => {
  it('judges the company by the interval: met, not distinguishable and not met', async () => {
    const expected = nps(defined(inView.map((r) => r.answers.nps)));
    const top2 = csat(defined(inView.map((r) => r.answers.csat)));
    // Below the interval → met; the point value itself (inside) → not distinguishable; above → not met.
    await put({ metric: 'nps', level: 'company', period: '2026-Q2', value: expected.ci95[0] - 0.5 });
    await put({ metric: 'csat_top2', level: 'company', period: '2026-Q2', value: top2.top2 });
    await put({ metric: 'csat_top_box', level: 'company', period: '2026-Q2', value: 99 });
    const { status: code, body } = await status({ level: 'company' });
    expect(code).toBe(200);
    expect(body.asOf).toBe(TO);
    const company = body.rows[0];
    const n = figure(company, 'nps');
    expect(n.value).toBeCloseTo(expected.score, 9);
    expect(n.ci95[0]).toBeCloseTo(expected.ci95[0], 9);
    expect(n.status).toBe('met');
    // The quarter's target applies, not the year's (35): the shortest period containing the view's last day.
    expect(n.target.period).toBe('2026-Q2');
    expect(figure(company, 'csat_top2').status).toBe('indistinguishable');
    const answers = defined(inView.map((r) => r.answers.csat));
    const fives = answers.filter((v) => v === 5).length;
    const box = figure(company, 'csat_top_box');
    expect(box.value).toBeCloseTo((100 * fives) / answers.length, 9);
    expect(box.ci95[1]).toBeCloseTo(100 * wilson(fives, answers.length)[1], 9);
    expect(box.status).toBe('not_met');
    expect(figure(company, 'pp100').status).toBeNull();
  });

  it('gives CSI the t interval of the per-respondent index around the score', async () => {
    const score = csi(inView).score;
    const index = defined(inView.map(respondentCsi));
    const mean = index.reduce((a, b) => a + b, 0) / index.length;
    const sd = Math.sqrt(index.reduce((a, b) => a + (b - mean) ** 2, 0) / (index.length - 1));
    const half = tQuantile975(index.length - 1) * (sd / Math.sqrt(index.length));
    const { body } = await status({ level: 'company' });
    const f = figure(body.rows[0], 'csi');
    expect(f.value).toBeCloseTo(score, 9);
    expect(f.n).toBe(index.length);
    expect(f.ci95[0]).toBeCloseTo(score - half, 9);
    expect(f.ci95[1]).toBeCloseTo(score + half, 9);
    expect(f.status).toBe(score - half > 70 ? 'met' : score + half < 70 ? 'not_met' : 'indistinguishable');
  });

  it('shows each branch against its own target, and a suppressed branch as no data', async () => {
    await put({ metric: 'nps', level: 'branch', scope: 'GZ01', period: '2026', value: 0 });
    const { body } = await status({ level: 'branch', lang: 'en' });
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual(['BJ01', 'BJ02', 'GZ01', 'SH01', 'SH02']);
    const sh01 = body.rows.find((r: { key: string }) => r.key === 'SH01');
    expect(sh01.label).toBe('Shanghai Hongqiao');
    const answers = defined(inView.filter((r) => r.branch === 'SH01').map((r) => r.answers.csat));
    const box = figure(sh01, 'csat_top_box');
    expect(box.value).toBeCloseTo((100 * answers.filter((v) => v === 5).length) / answers.length, 9);
    expect(box.target).toMatchObject({ period: '2026-Q2', value: 45 });
    const [lo, hi] = box.ci95;
    expect(box.status).toBe(lo > 45 ? 'met' : hi < 45 ? 'not_met' : 'indistinguishable');
    // The company target does not apply to a branch.
    expect(figure(sh01, 'nps').target).toBeNull();
    const gz = body.rows.find((r: { key: string }) => r.key === 'GZ01');
    expect(figure(gz, 'nps')).toMatchObject({ value: null, status: 'no_data' });
  });

  it('shows regions against theirs, and nothing but their branches to a branch manager', async () => {
    const { body } = await status({ level: 'region' });
    const east = body.rows.find((r: { key: string }) => r.key === '华东');
    const expected = nps(defined(inView.filter((r) => r.branch === 'SH01' || r.branch === 'SH02').map((r) => r.answers.nps)));
    expect(figure(east, 'nps').value).toBeCloseTo(expected.score, 9);
    expect(figure(east, 'nps').target.value).toBe(20);
    // No invitations in this data: a response-rate figure has no data.
    expect(figure(east, 'response_rate')).toMatchObject({ n: 0, value: null, status: null });

    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    const own = await t.request(`/api/targets/status?${new URLSearchParams({ survey: surveyId, from: FROM, to: TO, level: 'branch' })}`, { as: manager });
    expect(((await own.json()) as any).rows.map((r: { key: string }) => r.key)).toEqual(['SH01']);
    const company = await t.request(`/api/targets/status?${new URLSearchParams({ survey: surveyId, from: FROM, to: TO, level: 'company' })}`, { as: manager });
    expect(((await company.json()) as any).rows).toEqual([]);
  });

  it('gives each period of a trend the target of that period', async () => {
    await put({ metric: 'nps', level: 'company', period: '2026-04', value: -100 });
    const res = await t.request(
      `/api/targets/trend?${new URLSearchParams({ survey: surveyId, from: FROM, to: TO, interval: 'month', metric: 'nps', level: 'company' })}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.points.map((p: { label: string }) => p.label)).toEqual(['2026-04', '2026-05']);
    const may = Date.parse('2026-05-01T00:00:00+08:00');
    const april = nps(defined(inView.filter((r) => r.finishedAt.getTime() < may).map((r) => r.answers.nps)));
    expect(body.points[0].value).toBeCloseTo(april.score, 9);
    expect(body.points[0].target).toMatchObject({ period: '2026-04', value: -100 });
    expect(body.points[0].status).toBe('met');
    expect(body.points[1].target.period).toBe('2026-Q2');
  });
});
