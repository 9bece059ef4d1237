// The demo data shows rewards for feedback with believable numbers: a programme with codes issued (each
// audited, one per customer and month), some redeemed, uptake higher for higher value tiers, codes left.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoTestApp, DEMO_NOW, type TestApp } from '../support/demo-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createDemoTestApp();
}, 240_000);

describe('rewards on the demo data', () => {
  it('has a programme with codes issued, audited, some redeemed and a pool left', async () => {
    const list = await (await t.request('/api/rewards/programmes')).json();
    expect(list).toHaveLength(1);
    const [p] = list;
    expect(p.stock.available).toBe(400);
    expect(p.stock.issued).toBeGreaterThan(100);
    const share = p.stock.redeemed / p.stock.issued;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.6);
    const [{ audited }] = await t.sql`select count(*)::int as audited from audit_log where action = 'reward.issue'`;
    expect(audited).toBe(p.stock.issued);
    // Codes were issued to finished responses only, never before the answer came, redeemed after issue.
    const [{ bad }] = await t.sql`
      select count(*)::int as bad from reward_codes c left join responses r on r.id = c.response_id
      where c.issued_at is not null and (r.status is distinct from 'finished' or c.redeemed_at < c.issued_at or c.redeemed_at > ${DEMO_NOW.toISOString()})`;
    expect(bad).toBe(0);

    const uptake = await (await t.request(`/api/rewards/programmes/${p.id}/uptake`)).json();
    expect(uptake.total.issued).toBe(p.stock.issued);
    expect(uptake.byBranch.length).toBeGreaterThanOrEqual(6);
    const tier = Object.fromEntries(uptake.byTier.map((g: { tier: string | null; uptake: number }) => [g.tier, g.uptake]));
    expect(tier.A).toBeGreaterThan(tier.C);
  });
});
