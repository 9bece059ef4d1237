// Comments are analysed when they arrive; comments written around the submit path (a load, an import, an
// erasure) wait in text_analysis_pending: a read analyses them itself when few wait, and otherwise shows
// the analysed ones and how many wait, until the back-fill catches up.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import type { SurveyDefinitionInput } from '@rs/survey-definition';
import { analysePendingComments, TEXT_BACKFILL_BATCH } from '../../api/src/text/text.queries.ts';
import type { TopicsResult } from '../../api/src/text/text.schemas.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { npsWithComment } from '../support/fixtures/definitions.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const definition = npsWithComment;

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let staff: Record<string, string>;
let submitted: string;

const pending = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from text_analysis_pending`)[0].n;

async function topics(): Promise<TopicsResult> {
  const res = await t.request(`/api/text/topics?survey=${surveyId}&lang=en`, { headers: staff });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/** `count` finished responses like the submitted one, with a comment about waiting, written by SQL. */
async function loadAroundTheApp(count: number): Promise<void> {
  await t.sql`
    with made as (
      insert into responses (survey_id, survey_version_id, branch_id, customer_id, locale, status, source, started_at, finished_at, updated_at)
      select r.survey_id, r.survey_version_id, r.branch_id, r.customer_id, r.locale, 'finished', 'import', r.started_at, r.finished_at, r.updated_at
      from responses r, generate_series(1, ${count}) g where r.id = ${submitted}
      returning id)
    insert into answers (response_id, question_id, item_id, value_number, value_text)
    select id, 'q_nps', null, 3, null from made
    union all select id, 'q_comment', null, null, '取车排队等了一个多小时' from made`;
}

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2026-06-01T02:00:00Z'), env: { SESSION_IDLE_HOURS: '100000' } });
  const survey = await createSurvey(t.db, {
    name: 'Backfill',
    kind: 'post_rental',
    definition: { ...definition, settings: { minN: 1 } } as SurveyDefinitionInput,
  });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  staff = (await t.signIn('quality_manager')).headers;
  const rental = await t.request('/api/rentals', {
    method: 'POST',
    headers: staff,
    json: rentalPayload(1, { pickedUpAt: '2026-05-30T00:00:00+08:00', returnedAt: '2026-05-30T09:00:00+08:00' }),
  });
  expect(rental.status, await rental.clone().text()).toBe(201);
  const token = tokenFromLink((await rental.json()).invitation.link);
  const res = await t.request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 9, q_comment: '前台态度很好' } } });
  expect(res.status, await res.clone().text()).toBe(200);
  submitted = (await res.json()).responseId;
});

describe('text analysis on arrival', () => {
  it('a submit analyses its comment in its own transaction: nothing waits', async () => {
    expect(await pending()).toBe(0);
    const [row] = await t.sql`select label from response_text where response_id = ${submitted}`;
    expect(row).toBeDefined();
    expect((await topics()).comments).toBe(1);
  });

  it('comments written by SQL wait; a read analyses a few itself', async () => {
    await loadAroundTheApp(3);
    expect(await pending()).toBe(3);
    const result = await topics();
    expect(result.pending).toBe(0);
    expect(result.comments).toBe(4);
    expect(result.topics.find((x) => x.id === 'waiting')?.volume).toBe(3);
    expect(await pending()).toBe(0);
  });

  it('with more waiting than a read analyses, the read shows the analysed ones and how many wait; the back-fill catches up', async () => {
    await loadAroundTheApp(TEXT_BACKFILL_BATCH + 5);
    const during = await topics();
    expect(during.pending).toBeGreaterThan(TEXT_BACKFILL_BATCH);
    expect(during.comments).toBe(4);
    expect(await analysePendingComments(t.sql)).toBe(TEXT_BACKFILL_BATCH + 5);
    const after = await topics();
    expect(after.pending).toBe(0);
    expect(after.comments).toBe(TEXT_BACKFILL_BATCH + 9);
    expect(after.topics.find((x) => x.id === 'waiting')?.volume).toBe(TEXT_BACKFILL_BATCH + 8);
  });

  it('a comment cleared by SQL (an erasure) waits, and its analysis goes with the next read', async () => {
    await t.sql`update answers set value_text = null where response_id = ${submitted} and question_id = 'q_comment'`;
    expect(await pending()).toBe(1);
    expect((await topics()).comments).toBe(TEXT_BACKFILL_BATCH + 8);
    expect(await t.sql`select 1 from response_text where response_id = ${submitted}`).toHaveLength(0);
  });
});
