// The answering API on the post-rental template: a reopened link continues on the page the customer was
// on (never past a page not yet shown), used and expired links say so in the customer's language, a
// submit finishes exactly the answers it sends, `answers` is named when missing, and staff read each
// question as the customer saw it.
import { beforeAll, describe, expect, it } from 'vitest';
import { pipeLocalized, type LocalizedText } from '@rs/survey-definition';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
});

async function invite(language: 'zh-CN' | 'en' = 'zh-CN') {
  const no = ++n;
  const returnedAt = new Date(t.clock.now().getTime() - 6 * 3_600_000);
  const res = await t.request('/api/rentals', {
    method: 'POST',
    json: rentalPayload(no, {
      pickedUpAt: new Date(returnedAt.getTime() - 72 * 3_600_000).toISOString(),
      returnedAt: returnedAt.toISOString(),
      customer: {
        externalId: `C-T-${no}`,
        name: language === 'en' ? 'Test Customer1' : '测试 客户1',
        email: `c${no}@example.com`,
        preferredLanguage: language,
      },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return tokenFromLink((await res.json()).invitation.link);
}

const open = (token: string, headers: Record<string, string> = {}) => t.request(`/api/respond/${token}`, { as: 'anonymous', headers });
const save = (token: string, body: unknown) => t.request(`/api/respond/${token}`, { method: 'PUT', json: body, as: 'anonymous' });
const submit = (token: string, body: unknown) => t.request(`/api/respond/${token}/submit`, { method: 'POST', json: body, as: 'anonymous' });

async function storedAnswers(responseId: string) {
  const rows = await t.sql<{ question_id: string; item_id: string | null }[]>`
    select question_id, item_id from answers where response_id = ${responseId} order by question_id, item_id`;
  return rows.map((r) => (r.item_id ? `${r.question_id}.${r.item_id}` : r.question_id));
}

const page1 = { q_nps: 9, q_csat: 5 };
const finalAnswers = { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } };

describe('reopening a link', () => {
  it('continues on the page of the last save, not on the first page with a required question open', async () => {
    const token = await invite();
    // Page 1 answered, Next: the customer is on page 2 (index 1), whose questions are all optional.
    expect((await save(token, { answers: page1, page: 1 })).status).toBe(200);
    let session = await (await open(token)).json();
    expect(session.page).toBe(1);
    expect(session.answers).toEqual(page1);

    // Pages 2 and 3 shown without an answer, then back to page 3: it reopens on page 3.
    expect(await (await save(token, { answers: {}, page: 2 })).json()).toMatchObject({ page: 2 });
    expect(await (await save(token, { answers: {}, page: 3 })).json()).toMatchObject({ page: 3 });
    expect((await save(token, { answers: {}, page: 2 })).status).toBe(200);
    session = await (await open(token)).json();
    expect(session.page).toBe(2);
  });

  it('never lands past a page not yet shown', async () => {
    // Answers saved without a page (an API client, or an older page): the first page.
    const token = await invite();
    expect((await save(token, { answers: page1 })).status).toBe(200);
    expect((await (await open(token)).json()).page).toBe(0);

    // A save that claims page 4 while only page 1 was shown is kept to the next page, page 2.
    const skipping = await save(token, { answers: {}, page: 3 });
    expect(await skipping.json()).toMatchObject({ page: 1 });
    expect((await (await open(token)).json()).page).toBe(1);
  });

  it('refuses a page the survey does not have, naming the field and storing nothing', async () => {
    const token = await invite();
    expect((await save(token, { answers: page1, page: 1 })).status).toBe(200);
    const res = await save(token, { answers: { q_csat: 1 }, page: 4 });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).errors).toEqual([expect.objectContaining({ path: 'page', code: 'unknown_page' })]);
    const session = await (await open(token)).json();
    expect(session.answers).toEqual(page1);
    expect(session.page).toBe(1);
  });
});

describe('a link that was used or expired', () => {
  it('says it was answered, with the time and the language the customer answered in', async () => {
    const token = await invite('zh-CN');
    const answeredAt = t.clock.now().toISOString();
    const first = await submit(token, { answers: finalAnswers, locale: 'en' });
    expect(first.status).toBe(200);
    t.clock.advance(60_000);
    const res = await open(token, { 'accept-language': 'zh-CN' });
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 410, reason: 'finished', locale: 'en', answeredAt });
    // Saving to it is a conflict; submitting again returns the finished response.
    expect((await save(token, { answers: { q_nps: 1 } })).status).toBe(409);
    const again = await submit(token, { answers: { q_nps: 0, q_csat: 1, q_problems: { choices: ['counter_wait'] } } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ responseId: (await first.json()).responseId, alreadyFinished: true, npsCategory: 'promoter' });
  });

  it('says it expired, in the invitation language; a finished link still answers alreadyFinished after the expiry', async () => {
    const unanswered = await invite('en');
    const answered = await invite('zh-CN');
    expect((await submit(answered, { answers: finalAnswers })).status).toBe(200);
    t.clock.advance(120 * 86_400_000);
    const expired = await open(unanswered, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ reason: 'expired', locale: 'en' });
    expect((await save(unanswered, { answers: page1 })).status).toBe(410);
    expect((await submit(unanswered, { answers: finalAnswers })).status).toBe(410);
    // The answered link says "answered", not "expired"; a repeated submit keeps its answer.
    expect(await (await open(answered)).json()).toMatchObject({ reason: 'finished', locale: 'zh-CN' });
    expect(await (await submit(answered, { answers: finalAnswers })).json()).toMatchObject({ alreadyFinished: true });
    t.clock.advance(-120 * 86_400_000);
  });

  it('leaves an unknown link generic: 404, no reason, no language', async () => {
    const res = await open('AAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.reason).toBeUndefined();
    expect(body.locale).toBeUndefined();
  });
});

describe('submitting', () => {
  it('finishes exactly the submitted answers: another tab’s saved draft is not merged in', async () => {
    const token = await invite();
    // Tab B saves a draft of page 2 and page 1; tab A submits without them.
    expect((await save(token, { answers: { q_nps: 3, q_nps_reason: '太慢', q_booking: { booking_ease: 2, booking_info: 1 } }, page: 1 })).status).toBe(200);
    const res = await submit(token, { answers: { ...finalAnswers, q_comment: '很好' } });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.npsCategory).toBe('promoter');
    expect(await storedAnswers(result.responseId)).toEqual(['q_comment', 'q_csat', 'q_nps', 'q_problems']);
    // A second submit (double click) changes nothing.
    const second = await submit(token, { answers: { q_nps: 2, q_csat: 1, q_problems: { choices: ['no_problem'] } } });
    expect(await second.json()).toMatchObject({ responseId: result.responseId, alreadyFinished: true, npsCategory: 'promoter' });
    const [{ value_number }] = await t.sql`select value_number from answers where response_id = ${result.responseId} and question_id = 'q_nps'`;
    expect(Number(value_number)).toBe(9);
  });

  it('two submits at once finish one response with one of the two answer sets, whole', async () => {
    const token = await invite();
    expect((await save(token, { answers: { q_booking: { booking_ease: 5 } }, page: 1 })).status).toBe(200);
    const sets = [
      { q_nps: 10, q_csat: 5, q_problems: { choices: ['no_problem'] } },
      { q_nps: 2, q_csat: 1, q_problems: { choices: ['counter_wait', 'return_wait'] }, q_comment: '排队' },
    ];
    const results = await Promise.all(sets.map(async (answers) => (await submit(token, { answers })).json()));
    expect(results.map((r) => r.alreadyFinished).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.responseId)).size).toBe(1);
    const winner = sets[results.findIndex((r) => !r.alreadyFinished)];
    const stored = await storedAnswers(results[0].responseId);
    expect(stored).toEqual(Object.keys(winner).sort());
  });

  it('names `answers` when the body lacks it', async () => {
    const token = await invite();
    const res = await submit(token, {});
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'answers', message: expect.stringMatching(/^answers is required/) })]);
    const wrong = await save(token, { answers: [9] });
    expect((await wrong.json()).errors).toEqual([expect.objectContaining({ path: 'answers', message: expect.stringMatching(/^answers must be an object/) })]);
  });
});

describe('staff reading a response', () => {
  it('get the facts that were piped into its questions, so they read them as the customer did', async () => {
    const token = await invite();
    const res = await submit(token, { answers: { ...finalAnswers, q_vehicle: { vehicle_clean: 4 } } });
    const { responseId } = await res.json();
    const detail = await (await t.request(`/api/responses/${responseId}`)).json();
    expect(detail.facts).toMatchObject({
      customer: { name: '测试 客户1' },
      branch: { name: { 'zh-CN': '上海虹桥机场店', en: '上海虹桥机场店' } },
      rental: { vehicleClass: 'suv' },
    });
    const text = (id: string, locale: 'zh-CN' | 'en') =>
      pipeLocalized(detail.answers.find((a: { questionId: string }) => a.questionId === id).question as LocalizedText, detail.facts, locale, 'zh-CN');
    expect(text('q_csat', 'zh-CN')).toBe('总体而言，您对这次在上海虹桥机场店的租车体验满意吗？');
    expect(text('q_vehicle', 'zh-CN')).toBe('车辆（suv）');
    expect(text('q_vehicle', 'en')).not.toContain('{');
  });
});
