// A first submit goes through one connection in two round trips (begin, rate-limit hit, lock and what the
// submit needs; then the writes with commit): concurrent first submits on a fresh database, a double
// submit without a draft, and the rate-limit hit that a refused submit still counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../api/src/distribution/tokens.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ env: { RESPOND_RATE_PER_TOKEN: '3', RESPOND_RATE_WINDOW_SECONDS: '60' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
});

async function invite() {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(++n) });
  expect(res.status).toBe(201);
  return tokenFromLink((await res.json()).invitation.link);
}

const submit = (token: string, answers: Record<string, unknown>) =>
  t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers }, as: 'anonymous' });

const answered = { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } };

describe('first submits', () => {
  // The database is fresh: its lexicon is written by the first analysis. Seeded inside one submit's
  // transaction, the others' analyses referred to topics they could not see yet (a foreign-key failure).
  it('on a fresh database, eight at once with comments, all stored with their comment analysed', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => invite()));
    const results = await Promise.all(tokens.map((token) => submit(token, { ...answered, q_comment: '车很干净，取车很快，服务态度很好' })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const [{ responses, analysed, mentions }] = await t.sql`
      select (select count(*)::int from responses where status = 'finished') as responses,
             (select count(*)::int from response_text) as analysed,
             (select count(distinct response_id)::int from response_topics) as mentions`;
    expect({ responses, analysed }).toEqual({ responses: 8, analysed: 8 });
    expect(mentions).toBe(8);
  });

  it('two at once on one link without a draft: one response, the other answer says already finished', async () => {
    const token = await invite();
    const results = await Promise.all([submit(token, answered), submit(token, { ...answered, q_nps: 3 })]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(bodies.map((b) => b.alreadyFinished).sort()).toEqual([false, true]);
    expect(new Set(bodies.map((b) => b.responseId)).size).toBe(1);
    const rows =
      await t.sql`select r.id from responses r join invitations i on i.id = r.invitation_id where i.status = 'finished' and r.id = ${bodies[0].responseId}`;
    expect(rows).toHaveLength(1);
    const [{ answers }] = await t.sql`select count(*)::int as answers from answers where response_id = ${bodies[0].responseId} and question_id = 'q_nps'`;
    expect(answers).toBe(1);
  });

  it('counts refused submits against the link: after three invalid ones the fourth is too many', async () => {
    const token = await invite();
    for (let i = 0; i < 3; i++) expect((await submit(token, { q_nps: 99 })).status).toBe(400);
    const limited = await submit(token, answered);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing was stored for the link.
    const stored = await t.sql`select r.id from responses r join invitations i on i.id = r.invitation_id where i.token_hash = ${hashToken(token)}`;
    expect(stored).toEqual([]);
  });
});
