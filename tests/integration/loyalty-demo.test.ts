// The demo data shows the loyalty ladder, the index and customer value with believable numbers: every rung
// holds customers now and at the start of the period, customers move between rungs, the index and its
// parts exist for the company and the branches, and the top 20 % of customers bring most of the revenue.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoTestApp, demoPostRentalSurvey, type TestApp } from '../support/demo-app.ts';

let t: TestApp;
let survey: string;

beforeAll(async () => {
  t = await createDemoTestApp();
  survey = await demoPostRentalSurvey(t);
}, 240_000);

async function get(path: string, params: Record<string, string> = {}) {
  const res = await t.request(`/api/loyalty/${path}?${new URLSearchParams({ survey, ...params })}`);
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

describe('loyalty on the demo data', () => {
  it('has customers on every rung, now and 90 days ago, and movement between them', async () => {
    const ladder = await get('ladder', { groupBy: 'branch' });
    for (const counts of [ladder.total.counts, ladder.total.previous]) {
      for (const rung of ['one_time', 'repeat', 'loyal', 'advocate', 'at_risk']) expect(counts[rung], rung).toBeGreaterThanOrEqual(10);
    }
    const moved = ladder.flows.filter((f: any) => f.from !== f.to && f.from !== 'none');
    expect(moved.length).toBeGreaterThanOrEqual(5);
    expect(ladder.groups.length).toBeGreaterThanOrEqual(6);
  });

  it('has an index with its interval for the company and every branch', async () => {
    const index = await get('index', { groupBy: 'branch' });
    expect(index.total.index).toBeGreaterThan(30);
    expect(index.total.index).toBeLessThan(90);
    for (const g of index.groups) expect(g.ci95, g.key).not.toBeNull();
  });

  it('has value figures: the top 20 % bring most of the revenue, tier A retains best', async () => {
    const value = await get('value');
    expect(value.topBand.revenueShare).toBeGreaterThan(40);
    expect(value.satisfaction.nps.difference).not.toBeNull();
    expect(value.tiers.filter((x: any) => x.retentionMeasured).length).toBe(3);
    const [a, , c] = value.tiers;
    expect(a.retention).toBeGreaterThan(c.retention);
    expect(a.averageLifetimeValue).toBeGreaterThan(c.averageLifetimeValue);
  });
});
