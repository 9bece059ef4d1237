// The demo data has targets (the company's on every metric, a region's, some branches') that the status API
// judges, and two brands whose logos are real PNGs, whose colours keep AA contrast and whose branches split
// the company between them.
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastFaults } from '../../api/src/brands/brands.contrast.ts';
import { checkLogo } from '../../api/src/brands/brands.logo.ts';
import { createDemoTestApp, type TestApp } from '../support/demo-app.ts';

let t: TestApp;
let surveyId: string;

beforeAll(async () => {
  t = await createDemoTestApp();
  // The post-rental survey: the one with the most answers.
  [{ id: surveyId }] = await t.sql<{ id: string }[]>`select survey_id as id from responses group by 1 order by count(*) desc limit 1`;
}, 240_000);

describe('targets and brands on the demo data', () => {
  it('has this year’s company targets on every metric and this quarter’s for branches, judged by the status API', async () => {
    const targets = (await (await t.request('/api/targets')).json()) as any[];
    const company = targets.filter((x) => x.level === 'company');
    expect(company.map((x) => x.metric).sort()).toEqual(['csat_top2', 'csat_top_box', 'csi', 'nps', 'pp100', 'response_rate', 'sla_hit_rate']);
    expect(company.every((x) => x.period === '2026')).toBe(true);
    expect(targets.filter((x) => x.level === 'branch').map((x) => `${x.scope} ${x.period}`)).toContain('SH01 2026-Q4');

    const res = await t.request(`/api/targets/status?${new URLSearchParams({ survey: surveyId, from: '2026-08-25', to: '2026-11-22', level: 'company' })}`);
    const body = (await res.json()) as any;
    // Every metric has data and a status (the response rate and SLA hit rate too).
    for (const f of body.rows[0].figures) expect([f.metric, f.status]).toEqual([f.metric, expect.stringMatching(/^(met|not_met|indistinguishable)$/)]);
    const nps = body.rows[0].figures.find((f: { metric: string }) => f.metric === 'nps');
    expect(nps.n).toBeGreaterThan(100);
    expect(nps.target).toMatchObject({ period: '2026', value: 40 });
  });

  it("puts the region's, the company's and each branch's targets in the region roll-up, as the status API judges them", async () => {
    const period = { survey: surveyId, from: '2026-08-25', to: '2026-11-22' };
    const east = await t.signIn('regional_manager', { email: 'east.rollup@rental.test' });
    const regionIds = (await t.sql<{ id: string }[]>`select id from regions where code = '华东'`).map((r) => r.id);
    expect((await t.request(`/api/users/${east.userId}`, { method: 'PATCH', json: { regionIds } })).status).toBe(200);
    const rollup = (await (await t.request(`/api/regions/${encodeURIComponent('华东')}/rollup?${new URLSearchParams(period)}`, { as: east })).json()) as any;
    const status = async (level: string, code?: string) =>
      (await (await t.request(`/api/targets/status?${new URLSearchParams({ ...period, level, ...(code ? { code } : {}) })}`)).json()) as any;
    expect(rollup.targets.region.rows).toEqual((await status('region', '华东')).rows);
    expect(rollup.targets.region.rows[0].figures.find((f: { metric: string }) => f.metric === 'nps').target).toMatchObject({ value: 45 });
    expect(rollup.targets.company.rows).toEqual((await status('company')).rows);
    // The branches of the region only, each as the status API gives it.
    const branches = (await status('branch')).rows.filter((r: { key: string }) => rollup.branches.groups.some((g: { key: string }) => g.key === r.key));
    expect(rollup.targets.branches.rows).toEqual(branches);
    expect(rollup.targets.branches.rows.map((r: { key: string }) => r.key)).toContain('SH01');
    // Narrowed to some customers, the figures are not the region's whole: no targets.
    const narrowed = await (
      await t.request(`/api/regions/${encodeURIComponent('华东')}/rollup?${new URLSearchParams({ ...period, tier: 'A' })}`, { as: east })
    ).json();
    expect(narrowed.targets).toBeNull();
  });

  it('has two brands with valid logos and AA colours, every branch in one of them', async () => {
    const brands = (await (await t.request('/api/brands')).json()) as any[];
    expect(brands.map((b) => b.code)).toEqual(['CITY', 'COAST']);
    for (const brand of brands) {
      expect(contrastFaults(brand)).toEqual([]);
      const logo = await t.request(brand.logoUrl, { as: 'anonymous' });
      expect(logo.headers.get('content-type')).toBe('image/png');
      expect(checkLogo(new Uint8Array(await logo.arrayBuffer()))).toEqual({ ok: true, type: 'image/png' });
    }
    const [{ branches, branded }] = await t.sql<{ branches: number; branded: number }[]>`
      select count(*)::int as branches, count(brand_id)::int as branded from branches`;
    expect(branded).toBe(branches);
    expect(brands[0].branches.map((b: { code: string }) => b.code)).toContain('SH01');
    expect(brands[1].branches.map((b: { code: string }) => b.code)).toContain('GZ01');
  });
});
