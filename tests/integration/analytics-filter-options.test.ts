// GET /api/analytics/filter-options: the dashboard's filter lists from the branch and region tables and the
// rentals, in the caller's branch scope, with the survey's minN.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, {
    name: 'Post-rental',
    kind: 'post_rental',
    definition: { ...miniPostRental, settings: { ...miniPostRental.settings, minN: 7 } },
  });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  for (const [n, overrides] of [
    [1, {}],
    [2, { vehicleClass: 'compact' }],
    [3, { vehicleClass: 'van', pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' }],
  ] as const) {
    expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, overrides) })).status).toBeLessThan(300);
  }
});

const options = async (as?: NonNullable<Parameters<typeof t.request>[1]>['as'], lang = 'zh-CN') => {
  const res = await t.request(`/api/analytics/filter-options?survey=${surveyId}&lang=${lang}`, as ? { as } : {});
  expect(res.status).toBe(200);
  return res.json();
};

describe('GET /api/analytics/filter-options', () => {
  it('lists every branch, region and vehicle class for the whole company, with the survey minN and the fixed segments', async () => {
    const body = await options();
    expect(body.minN).toBe(7);
    expect(body.branches).toEqual(
      expect.arrayContaining([
        { key: 'SH01', label: '上海虹桥机场店' },
        { key: 'BJ01', label: '北京首都机场店' },
      ]),
    );
    const regionKeys = body.regions.map((r: { key: string }) => r.key);
    expect(regionKeys).toEqual(expect.arrayContaining(['华东', '华北']));
    expect(body.vehicleClasses).toEqual(expect.arrayContaining(['compact', 'suv', 'van']));
    expect(body.tiers).toEqual(['A', 'B', 'C']);
    expect(body.customerTypes).toEqual(['business', 'leisure']);
    expect(body.channels).toEqual(['app', 'web', 'phone', 'store', 'open_link']);
  });

  it("gives a branch manager only their branches, those branches' regions and vehicle classes", async () => {
    const manager = await t.signIn('branch_manager', { branches: ['BJ01'] });
    const body = await options(manager);
    expect(body.branches.map((b: { key: string }) => b.key)).toEqual(['BJ01']);
    expect(body.regions.map((r: { key: string }) => r.key)).toEqual(['华北']);
    expect(body.vehicleClasses).toEqual(['van']);
  });

  it('names branches in English when asked, falling back to the Chinese name', async () => {
    await t.sql`update branches set name_en = 'Shanghai Hongqiao Airport' where code = 'SH01'`;
    const body = await options(undefined, 'en');
    const byKey = Object.fromEntries(body.branches.map((b: { key: string; label: string }) => [b.key, b.label]));
    expect(byKey.SH01).toBe('Shanghai Hongqiao Airport');
    expect(byKey.BJ01).toBe('北京首都机场店');
  });

  it('answers 404 for a survey that does not exist, and needs analytics rights', async () => {
    expect((await t.request('/api/analytics/filter-options?survey=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.request(`/api/analytics/filter-options?survey=${surveyId}`, { as: 'anonymous' })).status).toBe(401);
  });
});
