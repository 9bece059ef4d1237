// The demo data shows open links with believable answers: four links (two with a tag), their answers in
// the last eight weeks as the channel open_link, a few linked to a verified rental, and the delivery
// funnel's response rate with and without the first question in the email.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoTestApp, demoPostRentalSurvey, type TestApp } from '../support/demo-app.ts';

let t: TestApp;
let survey: string;

beforeAll(async () => {
  t = await createDemoTestApp();
  survey = await demoPostRentalSurvey(t);
}, 240_000);

describe('open links on the demo data', () => {
  it('lists four links with their answers, some linked to a rental', async () => {
    const links = await (await t.request(`/api/open-links?survey=${survey}`)).json();
    expect(links.map((l: { branch: { code: string }; answers: number }) => [l.branch.code, l.answers])).toEqual([
      ['BJ01', 31],
      ['GZ01', 18],
      ['SH01', 46],
      ['SH01', 23],
    ]);
    const linked = links.reduce((n: number, l: { linkedToRental: number }) => n + l.linkedToRental, 0);
    expect(linked).toBeGreaterThan(5);
    expect(linked).toBeLessThan(40);
  });

  it('counts them as the channel open_link, beside the invited answers', async () => {
    const res = await t.request(`/api/analytics/summary?survey=${survey}&groupBy=channel&from=2026-09-20&to=2026-11-23`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const open = body.groups.find((g: { key: string }) => g.key === 'open_link');
    expect(open.responses).toBe(118);
    expect(open.nps.score).toBeGreaterThan(0);
    const without = await (await t.request(`/api/analytics/summary?survey=${survey}&openLinks=exclude&from=2026-09-20&to=2026-11-23`)).json();
    expect(without.total.responses).toBe(body.total.responses - 118);
  });

  it('shows the response rate with and without the first question in the email', async () => {
    const funnel = await (await t.request(`/api/distribution/funnel?survey=${survey}`)).json();
    const { with: withQ, without } = funnel.total.emailQuestion;
    expect(withQ.sent).toBeGreaterThan(100);
    expect(without.sent).toBeGreaterThan(withQ.sent);
    expect(withQ.answeredInEmail).toBeGreaterThan(0);
    expect(withQ.responseRate).toBeGreaterThan(0.1);
    expect(withQ.sent + without.sent).toBe(funnel.total.sent);
  });
});
