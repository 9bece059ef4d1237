// Text analytics over the API: topic figures from stored mentions, lexicon edits re-analyse every comment,
// the explorer's topic filter, and an alert rule with a topic condition opening a case.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateResponseRules } from '../../api/src/cases/evaluate.ts';
import { npsFromCounts } from '../../api/src/analytics/engine/statistics/index.ts';
import type { SurveyDefinitionInput } from '@rs/survey-definition';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import type { Lexicon, TopicsResult } from '../../api/src/text/text.schemas.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { npsWithComment } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const definition = npsWithComment;

// NPS and comment; the topics each comment is about are written next to it (what the figures must show).
const planned: { nps: number; comment: string; topics: string[] }[] = [
  { nps: 2, comment: '取车排队等了一个多小时，太慢了', topics: ['waiting'] },
  { nps: 3, comment: '门店只有一个人办手续，排队排了四十分钟', topics: ['waiting'] },
  { nps: 4, comment: 'Waited over an hour in line to pick up the car.', topics: ['waiting'] },
  { nps: 1, comment: '还车时说我刮了保险杠，可那是原来就有的划痕，扯皮了半天', topics: ['damage', 'return'] },
  { nps: 9, comment: '前台小姐姐态度很好，耐心解释', topics: ['staff'] },
  { nps: 10, comment: 'The staff were lovely and the car was spotless.', topics: ['staff', 'cleanliness'] },
  { nps: 10, comment: '整体体验不错，下次还会租', topics: [] },
  { nps: 8, comment: '儿童座椅安装很麻烦', topics: [] },
  { nps: 9, comment: '车很干净，取车也快', topics: ['cleanliness'] },
  { nps: 7, comment: '希望儿童座椅的款式多一些', topics: [] },
];

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let staff: Record<string, string>;
const responseIds: string[] = [];

function request(path: string, init: RequestInit & { json?: unknown } = {}) {
  return t.request(path, { ...init, headers: { ...staff, ...(init.headers as Record<string, string> | undefined) } });
}

async function topics(): Promise<TopicsResult> {
  const res = await request(`/api/text/topics?survey=${surveyId}&lang=en`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2026-06-01T02:00:00Z'), env: { SESSION_IDLE_HOURS: '100000' } });
  const survey = await createSurvey(t.db, {
    name: 'Topics',
    kind: 'post_rental',
    definition: { ...definition, settings: { minN: 1 } } as SurveyDefinitionInput,
  });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  staff = (await t.signIn('quality_manager')).headers;
  // A rule: a negative comment about vehicle damage opens a case.
  const rule = await request('/api/alert-rules', {
    method: 'POST',
    json: { surveyId, name: '车损争议', priority: 'high', triggers: [{ type: 'topic', topicIds: ['damage'], negativeOnly: true }] },
  });
  expect(rule.status, await rule.clone().text()).toBe(201);
  for (const [i, p] of planned.entries()) {
    const day = `2026-0${i < 5 ? 5 : 6}-1${i % 9}`;
    t.clock.set(`${day}T02:00:00Z`);
    const rental = await request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(i + 1, { pickedUpAt: `${day}T00:00:00+08:00`, returnedAt: `${day}T09:00:00+08:00` }),
    });
    expect(rental.status, await rental.clone().text()).toBe(201);
    const token = tokenFromLink((await rental.json()).invitation.link);
    const res = await request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: p.nps, q_comment: p.comment } } });
    expect(res.status, await res.clone().text()).toBe(200);
    responseIds.push((await res.json()).responseId);
  }
});

const counts = (rows: typeof planned) => ({
  promoters: rows.filter((r) => r.nps >= 9).length,
  passives: rows.filter((r) => r.nps >= 7 && r.nps <= 8).length,
  detractors: rows.filter((r) => r.nps <= 6).length,
});

describe('GET /api/text/topics', () => {
  it('counts each topic once per comment, with share, NPS with and without and its interval', async () => {
    const body = await topics();
    expect(body.comments).toBe(planned.length);
    for (const id of ['waiting', 'staff', 'cleanliness', 'damage', 'return']) {
      const topic = body.topics.find((x) => x.id === id)!;
      const withIt = planned.filter((p) => p.topics.includes(id));
      const without = planned.filter((p) => !p.topics.includes(id));
      expect(topic.volume, id).toBe(withIt.length);
      expect(topic.share).toBeCloseTo((100 * withIt.length) / planned.length, 9);
      expect(topic.npsWith.score).toBeCloseTo(npsFromCounts(counts(withIt)).score!, 9);
      expect(topic.npsWithout.score).toBeCloseTo(npsFromCounts(counts(without)).score!, 9);
      expect(topic.npsDifference.difference).toBeCloseTo(topic.npsWith.score! - topic.npsWithout.score!, 9);
      const [lo, hi] = topic.npsDifference.ci95!;
      expect(lo).toBeLessThan(topic.npsDifference.difference!);
      expect(hi).toBeGreaterThan(topic.npsDifference.difference!);
    }
    const waiting = body.topics.find((x) => x.id === 'waiting')!;
    expect(waiting.label).toBe('Waiting at pick-up');
    expect(waiting.sentiment).toBeLessThan(0);
    expect(body.topics.find((x) => x.id === 'staff')!.sentiment).toBeGreaterThan(0);
    // Trend by month: three waiting comments in May, none in June.
    expect(body.trend.find((p) => p.period === '2026-05')?.topics.waiting?.volume).toBe(3);
    expect(body.trend.find((p) => p.period === '2026-06')?.topics.waiting).toBeUndefined();
    // A phrase no topic covers, said twice, is among the other frequent phrases.
    expect(body.phrases.map((p) => p.phrase)).toContain('儿童座椅');
  });
});

describe('GET /api/responses?topic=', () => {
  it('lists only the comments about the topic', async () => {
    const res = await request(`/api/responses?survey=${surveyId}&topic=waiting`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items.map((i: { id: string }) => i.id).sort()).toEqual(responseIds.slice(0, 3).sort());
  });
});

describe('lexicon editing', () => {
  it('re-analyses every comment: a new term finds old comments, a bad body writes nothing', async () => {
    const lexicon: Lexicon = await (await request('/api/text/lexicon')).json();
    const cleanliness = lexicon.topics.find((x) => x.id === 'cleanliness')!;
    // 儿童座椅 is no topic yet.
    const bad = await request('/api/text/lexicon/cleanliness', { method: 'PUT', json: { label: cleanliness.label, terms: { zh: [''], en: [] } } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await topics()).topics.find((x) => x.id === 'child_seat')).toBeUndefined();
    const created = await request('/api/text/lexicon', {
      method: 'POST',
      json: { id: 'child_seat', label: { 'zh-CN': '儿童座椅', en: 'Child seat' }, terms: { zh: ['儿童座椅'], en: ['child seat'] } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const after = await topics();
    expect(after.topics.find((x) => x.id === 'child_seat')?.volume).toBe(2);
    expect(after.phrases.map((p) => p.phrase)).not.toContain('儿童座椅');
    const filtered = await (await request(`/api/responses?survey=${surveyId}&topic=child_seat`)).json();
    expect(filtered.total).toBe(2);
    // Removing a term takes the mentions away again.
    const edited = await request('/api/text/lexicon/child_seat', {
      method: 'PUT',
      json: { label: { 'zh-CN': '儿童座椅', en: 'Child seat' }, terms: { zh: [], en: ['child seat'] } },
    });
    expect(edited.status).toBe(200);
    expect((await topics()).topics.find((x) => x.id === 'child_seat')?.volume).toBe(0);
  });
});

describe('alert rule with a topic condition', () => {
  it('opens a case for the damage dispute and for no other comment', async () => {
    const created: string[] = [];
    for (const id of responseIds) created.push(...(await evaluateResponseRules(t.deps, { responseId: id })).created);
    expect(created).toHaveLength(1);
    const [row] = await t.sql<{ response_id: string; trigger: unknown }[]>`select response_id, trigger from cases where id = ${created[0]}`;
    expect(row.response_id).toBe(responseIds[3]);
    expect(row.trigger).toEqual([{ type: 'topic', topicId: 'damage', label: 'neg' }]);
  });
});
