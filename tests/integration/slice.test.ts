// The end-to-end slice against a real PostgreSQL: rental → invitation → response → NPS.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
});

async function invite(n: number, overrides: Record<string, unknown> = {}) {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, overrides) });
  expect(res.status).toBe(201);
  const body = await res.json();
  return tokenFromLink(body.invitation.link);
}

async function answer(token: string, nps: number) {
  const res = await t.request(`/api/respond/${token}/submit`, {
    method: 'POST',
    json: { answers: { q_nps: nps, ...(nps <= 6 ? { q_why: '等太久' } : {}), q_csat: 4, q_pickup: { speed: 3, staff: 5 } } },
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('rental → invitation → response → NPS', () => {
  it('creates one invitation per rental and stores only the token hash', async () => {
    const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.invitation.link).toMatch(/^http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{22}$/);
    const token = tokenFromLink(body.invitation.link);

    const again = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) });
    expect(again.status).toBe(200);
    const againBody = await again.json();
    expect(againBody.created).toBe(false);
    expect(againBody.invitation.id).toBe(body.invitation.id);
    expect(againBody.invitation.link).toBeUndefined();

    const rows = await t.sql`select token_hash from invitations`;
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(token);
  });

  it('serves the survey with piped facts and records the open', async () => {
    const token = await invite(2);
    const res = await t.request(`/api/respond/${token}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.facts.branch.name).toBe('上海虹桥机场店');
    expect(body.locale).toBe('zh-CN');
    expect(body.survey.definition.pages[0].questions[0].id).toBe('q_nps');
    const [inv] = await t.sql`select status, opened_at from invitations i join rentals r on r.id = i.rental_id where r.external_id = 'RA-T-2'`;
    expect(inv.status).toBe('opened');
    expect(new Date(inv.opened_at).toISOString()).toBe(t.clock.now().toISOString());
  });

  it('submitting the same token twice makes one response', async () => {
    const token = await invite(3);
    const first = await answer(token, 10);
    const second = await answer(token, 10);
    expect(second.responseId).toBe(first.responseId);
    expect(second.alreadyFinished).toBe(true);
    const [{ count }] = await t.sql`select count(*)::int as count from responses r join rentals x on x.id = r.rental_id where x.external_id = 'RA-T-3'`;
    expect(count).toBe(1);
    // A used link is no longer served: it says it was answered.
    expect((await t.request(`/api/respond/${token}`)).status).toBe(410);
  });

  it('rejects an answer out of range with a problem naming the question, storing nothing', async () => {
    const token = await invite(4);
    const res = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 11 } } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('q_nps');
    const [{ count }] = await t.sql`select count(*)::int as count from responses r join rentals x on x.id = r.rental_id where x.external_id = 'RA-T-4'`;
    expect(count).toBe(0);
  });

  it('computes the NPS per branch in SQL', async () => {
    // SH01 already has one promoter (rental 3). Add to a second branch: 3 promoters, 1 passive, 2 detractors.
    const bj = { pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' };
    const scores = [10, 9, 9, 8, 6, 2];
    for (const [i, score] of scores.entries()) await answer(await invite(100 + i, bj), score);

    const res = await t.request(`/api/analytics/summary?survey=${surveyId}&groupBy=branch`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const bj01 = body.groups.find((g: { key: string }) => g.key === 'BJ01');
    expect(bj01.nps).toMatchObject({ n: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(bj01.nps.score).toBeCloseTo((100 * (3 - 2)) / 6, 10);
    expect(bj01.nps.se).toBeCloseTo(100 * Math.sqrt((0.5 + 1 / 3 - (0.5 - 1 / 3) ** 2) / 6), 10);
    expect(bj01.suppressed).toBe(false);
    // One answer is below minN = 5: counts are kept, scores are not shown.
    const sh01 = body.groups.find((g: { key: string }) => g.key === 'SH01');
    expect(sh01).toMatchObject({ suppressed: true, nps: { n: 1, promoters: 1, score: null } });
    expect(body.total.nps).toMatchObject({ n: 7, promoters: 4, passives: 1, detractors: 2 });
  });

  it('answers unknown tokens and bad input with problem+json', async () => {
    const res = await t.request('/api/respond/AAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const bad = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(9, { returnedAt: 'yesterday' }) });
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(problem.errors[0].path).toBe('returnedAt');
    const unknownBranch = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(10, { pickupBranch: 'NOPE' }) });
    expect(unknownBranch.status).toBe(422);
    expect((await unknownBranch.json()).errors[0].path).toBe('pickupBranch');
    const [{ count }] = await t.sql`select count(*)::int as count from rentals where external_id in ('RA-T-9', 'RA-T-10')`;
    expect(count).toBe(0);
  });
});
