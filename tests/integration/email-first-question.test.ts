// The recommendation question inside the invitation email: the 0–10 scale as eleven links in HTML tables
// (no scripts, no forms); a click saves that score without finishing the response and the survey continues
// with it filled in and changeable; single-use rules still hold; the funnel shows the response rate of
// emails with and without the question. Sent through a real SMTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionWorker, type DistributionWorker } from '../../api/src/distribution/worker.ts';
import { startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let boss: PgBoss;
let worker: DistributionWorker;
let surveyId: string;
const tokens: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    clock: testClock('2026-06-01T02:00:00Z'),
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Survey <survey@rental.test>', TOKEN_SECRET: 'email-first-question-secret-0123456789abcdef' },
  });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 60 });
  worker = await startDistributionWorker(t.deps, boss, { autoStart: false });
  // Four customers by email (the question is in their emails) and one by SMS only (it is not).
  for (let n = 1; n <= 5; n++) {
    const customer =
      n === 5
        ? { externalId: `C-T-${n}`, name: `客户${n}`, phone: '+8613800000005', consentSms: true, preferredLanguage: 'zh-CN' }
        : { externalId: `C-T-${n}`, name: `客户${n}`, email: `c${n}@example.com`, preferredLanguage: n === 4 ? 'en' : 'zh-CN' };
    const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(n, { customer }) });
    expect(res.status, await res.clone().text()).toBe(201);
    tokens.push(tokenFromLink((await res.json()).invitation.link));
  }
  await worker.runOnce();
  await smtp.waitFor(4);
});

afterAll(async () => {
  await worker?.stop();
  await boss?.stop({ graceful: false, wait: true });
  await smtp?.close();
});

const mailTo = (address: string) => smtp.messages.find((m) => m.to.includes(address))!;
const scoreLinks = (html: string) => [...html.matchAll(/href="([^"]+\?score=(\d+))"/g)].map((m) => ({ href: m[1], score: Number(m[2]) }));
const emailScore = (token: string, score: number) => t.request(`/api/respond/${token}/email-score`, { method: 'PUT', as: 'anonymous', json: { score } });

describe('the invitation email', () => {
  it('shows the question and the 0–10 scale as eleven links in a table, without scripts or forms', () => {
    const zh = mailTo('c1@example.com');
    const links = scoreLinks(zh.html);
    expect(links.map((l) => l.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const l of links) expect(l.href).toBe(`http://survey.test/s/${tokens[0]}?score=${l.score}`);
    expect(zh.html).toContain('您有多大可能向朋友或同事推荐我们的租车服务？');
    expect(zh.html).toContain('0 = 完全不可能');
    expect(zh.html).toContain('10 = 非常可能');
    expect(zh.html).toMatch(/<table role="presentation"[^>]*><tr>(<td[^>]*><a [^>]*>\d+<\/a><\/td>){11}<\/tr><\/table>/);
    expect(zh.html).not.toMatch(/<script|<form|<input|javascript:/i);
    // In English for an English-speaking customer.
    expect(mailTo('c4@example.com').html).toContain('How likely are you to recommend our car rental to a friend or colleague?');
  });
});

describe('a score clicked in the email', () => {
  it('is saved as the answer, leaves the response open, and the survey continues with it filled in', async () => {
    const res = await emailScore(tokens[0], 3);
    expect(res.status, await res.clone().text()).toBe(200);
    // The first page asks more (why, and satisfaction): it continues there, with 3 filled in.
    expect(await res.json()).toEqual({ questionId: 'q_nps', score: 3, page: 0 });
    const session = await (await t.request(`/api/respond/${tokens[0]}`, { as: 'anonymous' })).json();
    expect(session.status).toBe('partial');
    expect(session.answers).toEqual({ q_nps: 3 });
    // The response the click made speaks the customer's language.
    expect(session.locale).toBe('zh-CN');
    expect((await emailScore(tokens[3], 7)).status).toBe(200);
    expect((await (await t.request(`/api/respond/${tokens[3]}`, { as: 'anonymous' })).json()).locale).toBe('en');
    const [response] = await t.sql<{ status: string }[]>`
      select r.status from responses r join invitations i on i.id = r.invitation_id where i.token_hash = encode(sha256(${tokens[0]}::bytea), 'hex')`;
    expect(response.status).toBe('partial');

    // Changeable: a second click, then the survey page itself, changes it.
    expect((await emailScore(tokens[0], 8)).status).toBe(200);
    const [click] = await t.sql<{ score: number; clicks: number }[]>`
      select e.score, e.clicks from email_first_question e join invitations i on i.id = e.invitation_id
      where i.token_hash = encode(sha256(${tokens[0]}::bytea), 'hex')`;
    expect(click).toEqual({ score: 8, clicks: 2 });
    const submitted = await t.request(`/api/respond/${tokens[0]}/submit`, {
      method: 'POST',
      as: 'anonymous',
      json: { answers: { q_nps: 10, q_csat: 5, q_problems: { choices: ['no_problem'] } } },
    });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    expect((await submitted.json()).npsCategory).toBe('promoter');
  });

  it('keeps the single-use rules: an answered link is never changed, an unknown one is not available', async () => {
    const after = await emailScore(tokens[0], 0);
    expect(after.status).toBe(409);
    const [answer] = await t.sql<{ value_number: number }[]>`
      select a.value_number from answers a join responses r on r.id = a.response_id join invitations i on i.id = r.invitation_id
      where i.token_hash = encode(sha256(${tokens[0]}::bytea), 'hex') and a.question_id = 'q_nps'`;
    expect(answer.value_number).toBe(10);
    expect((await emailScore('AAAAAAAAAAAAAAAAAAAAAA', 5)).status).toBe(404);
    expect((await emailScore(tokens[1], 11)).status).toBe(400);
  });

  it('counts in the funnel: response rate with the question in the email and without it', async () => {
    // c2 clicks 9 and finishes; c3 does nothing, c4 clicked 7 (above) and stops; the SMS customer (no question) finishes.
    expect((await emailScore(tokens[1], 9)).status).toBe(200);
    for (const token of [tokens[1], tokens[4]]) {
      const res = await t.request(`/api/respond/${token}`, {
        method: 'PUT',
        as: 'anonymous',
        json: { answers: { q_nps: 9, q_csat: 4, q_problems: { choices: ['no_problem'] } } },
      });
      expect(res.status).toBe(200);
      const done = await t.request(`/api/respond/${token}/submit`, {
        method: 'POST',
        as: 'anonymous',
        json: { answers: { q_nps: 9, q_csat: 4, q_problems: { choices: ['no_problem'] } } },
      });
      expect(done.status).toBe(200);
    }
    const funnel = await (await t.request(`/api/distribution/funnel?survey=${surveyId}`)).json();
    expect(funnel.total).toMatchObject({ sent: 5, finished: 3, responseRate: 0.6 });
    // With the question: 4 emails sent, 2 finished (c1, c2), 3 scores clicked (c1, c2, c4); without: the SMS, 1 of 1.
    expect(funnel.total.emailQuestion).toEqual({
      with: { sent: 4, finished: 2, answeredInEmail: 3, responseRate: 0.5 },
      without: { sent: 1, finished: 1, responseRate: 1 },
    });
  });
});
