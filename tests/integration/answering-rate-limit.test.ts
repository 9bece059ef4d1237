// Rate limits on the survey-link endpoints, per token and per client address, with small limits set here.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../api/src/env.ts';
import { buildApp } from '../../api/src/app.ts';
import { retryAfterMs } from '../../api/src/lib/rate-limit.queries.ts';
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
    const limited = await fromIp('198.51.100.99', `/api/respond/${token}/submit`, {
      method: 'POST',
      json: { answers: { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } } },
    });
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
    const again = await fromIp('198.51.100.99', `/api/respond/${token}/submit`, {
      method: 'POST',
      json: { answers: { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } } },
    });
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

  it('answers malformed and unknown links alike; a used link (only its holder has it) says it was answered', async () => {
    t.clock.advance(120_000);
    const used = await invite();
    const submit = await fromIp('192.0.2.1', `/api/respond/${used}/submit`, {
      method: 'POST',
      json: { answers: { q_nps: 7, q_csat: 4, q_problems: { choices: ['no_problem'] } } },
    });
    expect(submit.status).toBe(200);
    const bodies = [];
    for (const token of ['x', 'AAAAAAAAAAAAAAAAAAAAAA', randomToken(), `${used.slice(0, 21)}!`]) {
      const res = await fromIp('192.0.2.1', `/api/respond/${encodeURIComponent(token)}`);
      expect(res.status).toBe(404);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
    const answered = await fromIp('192.0.2.1', `/api/respond/${used}`);
    expect(answered.status).toBe(410);
    expect(await answered.json()).toMatchObject({ reason: 'finished' });
  });
});

describe('counters shared by every app process', () => {
  it('counts a link against one budget across two app processes on the same database', async () => {
    t.clock.advance(120_000);
    const token = await invite();
    // A second app on the same database, as a second server process would be.
    const other = buildApp({ ...t.deps });
    const fromOther = (ip: string) => other.request(`/api/respond/${token}`, { headers: { 'x-forwarded-for': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await (i % 2 === 0 ? fromIp(`192.0.2.${i + 10}`, `/api/respond/${token}`) : fromOther(`192.0.2.${i + 10}`))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('lets many customers behind one address answer their own links (carrier NAT, an office)', async () => {
    t.clock.advance(120_000);
    const office = '100.64.0.1';
    const tokens = [];
    for (let i = 0; i < 14; i++) tokens.push(await invite());
    // More requests from one address than RESPOND_RATE_PER_IP (12), each for a real link: none is refused.
    const statuses = [];
    for (const token of tokens) statuses.push((await fromIp(office, `/api/respond/${token}`)).status);
    expect(statuses).toEqual(Array(14).fill(200));
  });
});

describe('sliding window', () => {
  it('counts the hits of the last window, by the second, not of a fixed minute', () => {
    const second = (s: number) => s * 1000;
    // Three hits at 0 s and two at 30 s, limit 5: a place frees up when the 0 s bucket leaves at 60 s.
    const buckets = [
      { bucket: second(0), hits: 3 },
      { bucket: second(30), hits: 2 },
    ];
    expect(retryAfterMs(buckets, 5, 60_000, second(45))).toBe(15_000);
    expect(retryAfterMs(buckets, 5, 60_000, second(59))).toBe(1_000);
    // Over the limit by three (8 hits, limit 5): the 0 s bucket must go, and the 30 s one as well.
    expect(retryAfterMs([...buckets, { bucket: second(40), hits: 3 }], 5, 60_000, second(45))).toBe(45_000);
  });
});
