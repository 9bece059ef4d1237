// The demo data shows complaints from every channel and one action plan with believable numbers: each
// complaint channel holds cases, the golden first-contact hit rate is neither 0 nor 100 %, and the plan's
// figure has values before and after its start.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoTestApp, type TestApp } from '../support/demo-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createDemoTestApp();
}, 240_000);

describe('complaints and action plans on the demo data', () => {
  it('has complaints from every channel and a golden first-contact hit rate between the extremes', async () => {
    const res = await t.request('/api/cases/metrics');
    expect(res.status).toBe(200);
    const m = (await res.json()) as any;
    for (const channel of ['phone', 'email', 'counter', 'social']) {
      expect(m.channels.find((c: any) => c.channel === channel).cases, channel).toBeGreaterThan(0);
    }
    expect(m.channels.find((c: any) => c.channel === 'survey').cases).toBeGreaterThan(0);
    expect(m.total.firstContactHitRate).toBeGreaterThan(0.3);
    expect(m.total.firstContactHitRate).toBeLessThan(0.95);
  });

  it('has one action plan on its branches with the figure before and after its start', async () => {
    const list = (await (await t.request('/api/action-plans')).json()) as any;
    expect(list.total).toBe(1);
    const plan = (await (await t.request(`/api/action-plans/${list.items[0].id}`)).json()) as any;
    expect(plan.branches.map((b: any) => b.code)).toEqual(['SH01', 'SH02']);
    expect(plan.effect.before.n).toBeGreaterThan(20);
    expect(plan.effect.after.n).toBeGreaterThan(10);
    expect(plan.effect.before.value).not.toBeNull();
    expect(plan.effect.after.value).not.toBeNull();
  });
});
