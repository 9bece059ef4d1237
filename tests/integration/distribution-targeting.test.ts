// Several active post-rental surveys: each states which rentals it invites; overlaps go to the most
// specific survey (then to the one created first), and the preview says what changes hands beforehand.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-01T10:00:00Z');
let t: Awaited<ReturnType<typeof createTestApp>>;
const BJ01 = { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' };
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { TOKEN_SECRET: 'targeting-test-secret-0123456789abcdef0' } });
});

async function survey(name: string, targets: Record<string, string[]>) {
  const created = await createSurvey(t.db, { name, kind: 'post_rental', definition: miniPostRental }, new Date(clock.now().getTime() + n++ * 1000));
  const res = await t.request(`/api/surveys/${created.id}/invitation-rules`, { method: 'PUT', json: { targets } });
  expect(res.status, await res.clone().text()).toBe(200);
  return created.id;
}

/** Posts a rental at a branch and answers the survey its invitation went to (null: none). */
async function invitedTo(overrides: Record<string, unknown> = {}) {
  const payload = rentalPayload(++n, overrides);
  const res = await t.request('/api/rentals', { method: 'POST', json: payload });
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBe(201);
  if (!body.invitation) return body.reason as string;
  const [row] = await t.sql`select survey_id from invitations where id = ${body.invitation.id}`;
  return row.survey_id as string;
}

async function preview(surveyId: string) {
  const res = await t.request(`/api/surveys/${surveyId}/invitation-targets/preview`);
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe('targets of several post-rental surveys', () => {
  it('routes each rental to the right survey and previews what changes hands before publishing', async () => {
    const all = await survey('For every rental', {});
    await publishSurvey(t.db, all);
    expect(await invitedTo()).toBe(all);
    expect(await invitedTo({ pickupBranch: BJ01, returnBranch: 'BJ01' })).toBe(all);

    // A survey for one branch: publishing it takes that branch over from the survey for every rental, and nothing else.
    const beijing = await survey('Beijing airport', { branches: ['BJ01'] });
    const p1 = await preview(beijing);
    expect(p1.alreadyActive).toBe(false);
    expect(p1.moves).toEqual([
      { from: { surveyId: all, name: 'For every rental' }, targets: { branches: ['BJ01'], regions: [], customerTypes: [], vehicleClasses: [] }, rentals: 1 },
    ]);
    expect(p1.stays).toEqual([]);
    // Not active yet: nothing changed.
    expect(await invitedTo({ pickupBranch: 'BJ01', returnBranch: 'BJ01' })).toBe(all);
    await publishSurvey(t.db, beijing);
    expect(await invitedTo({ pickupBranch: 'BJ01', returnBranch: 'BJ01' })).toBe(beijing);
    expect(await invitedTo()).toBe(all);

    // A region disjoint from the Beijing branch: takes 华东 from the survey for every rental only.
    const east = await survey('East China', { regions: ['华东'] });
    const p2 = await preview(east);
    expect(p2.moves.map((m: any) => [m.from?.name, m.targets?.regions, m.rentals])).toEqual([['For every rental', ['华东'], 2]]);
    await publishSurvey(t.db, east);
    expect(await invitedTo()).toBe(east);
    expect(await invitedTo({ pickupBranch: 'BJ01', returnBranch: 'BJ01' })).toBe(beijing);

    // A second survey for every rental, created later: equally specific as the first, which keeps its rentals.
    const second = await survey('Second for every rental', {});
    const p3 = await preview(second);
    expect(p3.moves).toEqual([]);
    expect(p3.stays.map((s: any) => s.with.name)).toEqual(['Beijing airport', 'East China', 'For every rental']);
    await publishSurvey(t.db, second);
    expect(await invitedTo()).toBe(east);
    expect(await invitedTo({ pickupBranch: { code: 'GZ01', name: '广州南站店', city: '广州', region: '华南' }, returnBranch: 'GZ01' })).toBe(all);

    // Business customers' SUVs in East China: more specific than the region survey for those rentals only.
    const business = await survey('Business SUVs', { regions: ['华东'], customerTypes: ['business'], vehicleClasses: ['suv'] });
    await publishSurvey(t.db, business);
    const customer = (kind: string) => ({ externalId: `CT-${++n}`, email: `ct${n}@example.com`, customerType: kind });
    expect(await invitedTo({ customer: customer('business') })).toBe(business);
    expect(await invitedTo({ customer: customer('leisure') })).toBe(east);
    expect(await invitedTo({ customer: customer('business'), vehicleClass: 'compact' })).toBe(east);
  });

  it('refuses targets naming unknown branches', async () => {
    const res = await t.request(`/api/surveys/${(await t.sql`select id from surveys where name = 'Beijing airport'`)[0].id}/invitation-rules`, {
      method: 'PUT',
      json: { targets: { branches: ['NOPE'] } },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ path: 'targets.branches' });
  });
});
