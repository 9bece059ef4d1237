// Invitations in batches under the fatigue rule, value tiers set when a rental is stored, and the one
// definition of new vs returning customers shared by the stored flag and the analytics.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T10:00:00Z');
let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'segments-test-secret-0123456789abcdef01' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
});

async function putRules(rules: Record<string, unknown>) {
  const res = await t.request(`/api/surveys/${surveyId}/invitation-rules`, { method: 'PUT', json: rules });
  expect(res.status).toBe(200);
}

async function batch(rentals: Record<string, unknown>[]) {
  const res = await t.request('/api/rentals/batch', { method: 'POST', json: { rentals } });
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body.results as { status: string; rentalId: string; invitation: { id: string; link?: string } | null; reason?: string }[];
}

/** Rental n of customer `customer` (several rentals of one customer differ in their external id and dates). */
const rentalOf = (n: number, customer: string, pickedUpAt: string, returnedAt: string, extra: Record<string, unknown> = {}) =>
  rentalPayload(n, {
    customer: { externalId: customer, name: `客户${customer}`, email: `${customer.toLowerCase()}@example.com` },
    pickedUpAt,
    returnedAt,
    ...extra,
  });

describe('the fatigue rule inside and across batches', () => {
  it('with fatigueDays 0 invites every rental of a customer, in one batch and across batches', async () => {
    await putRules({ fatigueDays: 0 });
    const first = await batch([
      rentalOf(501, 'F0', '2026-05-28T09:00:00+08:00', '2026-05-30T18:00:00+08:00'),
      rentalOf(502, 'F0', '2026-05-29T09:00:00+08:00', '2026-05-31T18:00:00+08:00'),
    ]);
    expect(first.map((r) => r.reason)).toEqual([undefined, undefined]);
    expect(first.every((r) => r.invitation?.link)).toBe(true);
    const third = await batch([rentalOf(503, 'F0', '2026-05-30T09:00:00+08:00', '2026-05-31T19:00:00+08:00')]);
    expect(third[0].invitation?.link).toBeTruthy();
    const decisions = await t.sql`
      select d.outcome from invitation_decisions d join rentals r on r.id = d.rental_id
      where r.external_id in ('RA-T-501', 'RA-T-502', 'RA-T-503') order by r.external_id`;
    expect(decisions.map((d) => d.outcome)).toEqual(['invited', 'invited', 'invited']);
  });

  it('with fatigueDays > 0 invites a customer once, in one batch and across batches', async () => {
    await putRules({ fatigueDays: 30 });
    const first = await batch([
      rentalOf(511, 'F30', '2026-05-28T09:00:00+08:00', '2026-05-30T18:00:00+08:00'),
      rentalOf(512, 'F30', '2026-05-29T09:00:00+08:00', '2026-05-31T18:00:00+08:00'),
    ]);
    expect(first[0].invitation?.link).toBeTruthy();
    expect(first[1]).toMatchObject({ invitation: null, reason: 'fatigue' });
    const later = await batch([rentalOf(513, 'F30', '2026-05-30T09:00:00+08:00', '2026-05-31T19:00:00+08:00')]);
    expect(later[0]).toMatchObject({ invitation: null, reason: 'fatigue' });
    // Thirty days later the window is over: invited again.
    clock.set(new Date('2026-07-02T10:00:00Z'));
    try {
      const after = await batch([rentalOf(514, 'F30', '2026-06-29T09:00:00+08:00', '2026-07-01T18:00:00+08:00')]);
      expect(after[0].invitation?.link).toBeTruthy();
    } finally {
      clock.set(new Date('2026-06-01T10:00:00Z'));
    }
  });
});

describe('value tier', () => {
  it('is set when a new customer’s rental is stored, from the history known then', async () => {
    // Known history: ten customers with one rental each, tiered by the periodic job.
    await batch(
      Array.from({ length: 10 }, (_, i) => rentalOf(600 + i, `TIER${i}`, '2026-05-20T09:00:00+08:00', '2026-05-21T09:00:00+08:00', { amount: 100 * (i + 1) })),
    );
    const [known] = await t.sql`select count(*)::int as n from customers where external_id like 'TIER%' and value_tier is null`;
    expect(known.n).toBe(0);
    // A new customer with the largest value: tier A at once (top 20 % of 11), without any background job.
    await batch([rentalOf(650, 'TIERNEW', '2026-05-25T09:00:00+08:00', '2026-05-26T09:00:00+08:00', { amount: 5000 })]);
    const [big] = await t.sql`select value_tier, rental_count, value_12m from customers where external_id = 'TIERNEW'`;
    expect(big).toMatchObject({ value_tier: 'A', rental_count: 1 });
    expect(Number(big.value_12m)).toBe(5000);
    await batch([rentalOf(651, 'TIERLOW', '2026-05-25T09:00:00+08:00', '2026-05-26T09:00:00+08:00', { amount: 1 })]);
    const [low] = await t.sql`select value_tier from customers where external_id = 'TIERLOW'`;
    expect(low.value_tier).toBe('C');
  });
});

describe('new vs returning', () => {
  const flag = async (externalId: string) => (await t.sql`select repeat_customer from rentals where external_id = ${externalId}`)[0].repeat_customer;

  it('counts an earlier pick-up (not an earlier return) and ties as not earlier; an earlier rental stored later corrects the flag at once', async () => {
    // Stored out of order: the later rental first.
    await batch([rentalOf(702, 'NR1', '2026-05-25T09:00:00+08:00', '2026-05-27T09:00:00+08:00')]);
    expect(await flag('RA-T-702')).toBe(false);
    await batch([rentalOf(701, 'NR1', '2026-05-20T09:00:00+08:00', '2026-05-22T09:00:00+08:00')]);
    expect(await flag('RA-T-701')).toBe(false);
    expect(await flag('RA-T-702')).toBe(true);
    // Two rentals picked up at the same moment: neither is earlier.
    await batch([
      rentalOf(711, 'NR2', '2026-05-25T09:00:00+08:00', '2026-05-27T09:00:00+08:00'),
      rentalOf(712, 'NR2', '2026-05-25T09:00:00+08:00', '2026-05-28T09:00:00+08:00'),
    ]);
    expect([await flag('RA-T-711'), await flag('RA-T-712')]).toEqual([false, false]);
  });

  it('gives the same answer in the analytics as the stored flag for a rental overlapping an earlier, still open one', async () => {
    await putRules({ fatigueDays: 0 });
    // The first rental is still open when the second one is picked up.
    const [long, overlapping] = await batch([
      rentalOf(801, 'OV', '2026-05-18T09:00:00+08:00', '2026-05-30T09:00:00+08:00'),
      rentalOf(802, 'OV', '2026-05-22T09:00:00+08:00', '2026-05-24T09:00:00+08:00'),
    ]);
    expect(await flag('RA-T-802')).toBe(true);
    expect(await flag('RA-T-801')).toBe(false);
    for (const r of [long, overlapping]) {
      const token = tokenFromLink(r.invitation!.link!);
      const res = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: r === long ? 10 : 3 } }, as: 'anonymous' });
      expect(res.status).toBe(200);
    }
    const search = new URLSearchParams({ survey: surveyId, groupBy: 'newReturning', from: '2026-05-01', to: '2026-06-30' });
    const res = await t.request(`/api/analytics/summary?${search}`);
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    const groups = Object.fromEntries(body.groups.map((g: any) => [g.key, g]));
    // Only these two rentals were answered: the overlapping one (a detractor) is returning, the first one (a promoter) new.
    expect(groups.returning.nps).toMatchObject({ n: 1, promoters: 0, detractors: 1 });
    expect(groups.new.nps).toMatchObject({ n: 1, promoters: 1, detractors: 0 });
  });
});
