// Rate limits on the survey-link endpoints, per token and per client address, with small limits set here.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../api/src/env.ts';
import { SlidingWindow } from '../../api/src/responses/rate-limit.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ env: { RESPOND_RATE_PER_TOKEN: '5', RESPOND_RATE_PER_IP: '12', RESPOND_RATE_WINDOW_SECONDS: '60' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
});

async function invite() {
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(++n) });
  expect(res.status).toBe(201);
  return tokenFromLink((await res.json()).invitation.link);
}

/** A request to a survey-link endpoint from a client address (the web server's X-Forwarded-For). */
const fromIp = (ip: string, path: string, init: { method?: string; json?: unknown } = {}) =>
  t.request(path, { ...init, headers: { 'x-forwarded-for': ip }, as: 'anonymous' });

const randomToken = () => randomBytes(16).toString('base64url');

describe('rate limits on survey links', () => {
  it('defaults to 60 requests a minute per token and 300 per address', () => {
    const env = parseEnv({});
    expect([env.RESPOND_RATE_PER_TOKEN, env.RESPOND_RATE_PER_IP, env.RESPOND_RATE_WINDOW_SECONDS]).toEqual([60, 300, 60]);
  });

  it('stops the sixth request on one token within the window, whoever sends it, with 429 and Retry-After', async () => {
    const token = await invite();
    const statuses: number[] = [];
    // Five requests from five addresses: the token's own budget, not the addresses', runs out.
    for (let i = 0; i < 5; i++) statuses.push((await fromIp(`198.51.100.${i + 1}`, `/api/respond/${token}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    t.clock.advance(20_000);
    const limited = await fromIp('198.51.100.99', `/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } } } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    // The oldest of the five was 20 s ago: a place frees up in 40 s.
    expect(limited.headers.get('retry-after')).toBe('40');
    const problem = await limited.json();
    expect(problem).toMatchObject({ status: 429, title: 'Too Many Requests', retryAfter: 40 });
    // The refused submit stored nothing.
    const [{ count }] = await t.sql`select count(*)::int as count from responses`;
    expect(count).toBe(0);
    // Another link from the same address is not affected.
    expect((await fromIp('198.51.100.99', `/api/respond/${await invite()}`)).status).toBe(200);
    // Once the window has slid past the first requests the link answers again, and the submit goes through.
    t.clock.advance(40_000);
    const again = await fromIp('198.51.100.99', `/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } } } });
    expect(again.status).toBe(200);
  });

  it('stops an address that sprays tokens, whatever the tokens look like, and leaves other addresses alone', async () => {
    t.clock.advance(120_000);
    const guesser = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const token = i % 3 === 0 ? 'not-a-token' : randomToken();
      const method = i % 2 === 0 ? 'GET' : 'PUT';
      statuses.push((await fromIp(guesser, `/api/respond/${token}`, method === 'PUT' ? { method, json: { answers: {} } } : {})).status);
    }
    expect(statuses).toEqual(Array(12).fill(404));
    const blocked = await fromIp(guesser, `/api/respond/${randomToken()}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    // Even a real link is refused to this address now; the opt-out endpoint counts as well.
    const token = await invite();
    expect((await fromIp(guesser, `/api/respond/${token}`)).status).toBe(429);
    expect((await fromIp(guesser, `/api/respond/${token}/opt-out`, { method: 'POST' })).status).toBe(429);
    // A different address is served.
    expect((await fromIp('203.0.113.8', `/api/respond/${token}`)).status).toBe(200);
    expect((await fromIp('203.0.113.8', `/api/respond/${randomToken()}`)).status).toBe(404);
  });

  it('answers malformed, unknown and used links alike', async () => {
    t.clock.advance(120_000);
    const used = await invite();
    const submit = await fromIp('192.0.2.1', `/api/respond/${used}/submit`, { method: 'POST', json: { answers: { q_nps: 7, q_csat: 4, q_problems: { choices: ['no_problem'] } } } });
    expect(submit.status).toBe(200);
    const bodies = [];
    for (const token of ['x', 'AAAAAAAAAAAAAAAAAAAAAA', randomToken(), used, `${used.slice(0, 21)}!`]) {
      const res = await fromIp('192.0.2.1', `/api/respond/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
  });
});

describe('sliding window', () => {
  it('counts the requests of the last window, not of a fixed minute', () => {
    const w = new SlidingWindow(5, 60_000);
    for (let i = 0; i < 3; i++) expect(w.take('k', 0).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect(w.take('k', 30_000).ok).toBe(true);
    // A fixed window starting at 0 would reset at 60 s; the sliding one frees the first three at 60 s + 1 ms.
    expect(w.take('k', 45_000)).toEqual({ ok: false, retryAfterMs: 15_000 });
    expect(w.take('k', 59_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(w.take('k', 60_001).ok).toBe(true);
    expect(w.take('k', 60_002).ok).toBe(true);
    expect(w.take('k', 60_003).ok).toBe(true);
    // Now the two of 30 s and the three new ones fill it again; the next place frees at 90 s.
    expect(w.take('k', 60_004)).toEqual({ ok: false, retryAfterMs: 29_996 });
    expect(w.take('other', 60_004).ok).toBe(true);
  });

  it('forgets keys whose window has passed', () => {
    const w = new SlidingWindow(2, 1_000);
    for (let i = 0; i < 1000; i++) w.take(`token-${i}`, i);
    expect(w.size).toBe(1000);
    w.take('late', 5_000);
    expect(w.size).toBe(1);
  });
});
