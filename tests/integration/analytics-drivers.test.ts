// Driver analysis on the shipped post-rental template, whose `vas` dimension is shown only to customers who
// used an extra service: the default set leaves out drivers answered by fewer than half of the responses
// and names them; the caller may list the drivers. Every figure is recomputed from the generated answers
// (tests/support/analytics-expect.ts), for the rollup path and the facts path.
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateAnswers } from '../../api/src/demo/simulate-answers.ts';
import { createRandom } from '../../api/src/lib/random.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { dimensionItems, toAnswerRows, type SurveyDefinition } from '@rs/survey-definition';
import { findTemplate, templates } from '../../survey-templates/index.ts';
import {
  DRIVER_COVERAGE_MIN,
  coverageRule,
  dimensionPerformance,
  dimensionScore,
  listwise,
  ols,
  relativeWeightsFromData,
  shapleyByOrderings,
} from '../support/analytics-expect.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
const definition = findTemplate('post-rental')!.definition;
let surveyId: string;

interface Generated {
  branch: 'SH01' | 'BJ01';
  business: boolean;
  answers: Record<string, unknown>;
}
let generated: Generated[] = [];

const DAY = 86_400_000;
const START = Date.parse('2026-04-01T00:00:00+08:00');
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Branches, customers, rentals, finished responses and their answer rows, straight into the tables. */
async function insertResponses(def: SurveyDefinition, survey: { surveyId: string; versionId: string }, rows: Generated[], seed: number) {
  const random = createRandom(seed);
  const branchIds = Object.fromEntries(
    (await t.sql<{ id: string; code: string }[]>`select id, code from branches where code = any(${['SH01', 'BJ01']}::text[])`).map((b) => [b.code, b.id]),
  );
  const customers: Record<string, unknown>[] = [];
  const rentals: Record<string, unknown>[] = [];
  const responses: Record<string, unknown>[] = [];
  const answerRows: Record<string, unknown>[] = [];
  for (const [i, row] of rows.entries()) {
    const customerId = crypto.randomUUID();
    const rentalId = crypto.randomUUID();
    const responseId = crypto.randomUUID();
    const returnedAt = new Date(START + random.int(0, 50) * DAY + random.int(1, 20) * 3_600_000);
    const finishedAt = new Date(returnedAt.getTime() + 3 * 3_600_000);
    const branchId = branchIds[row.branch];
    customers.push({ id: customerId, external_id: `DC${seed}-${i}`, customer_type: row.business ? 'business' : 'leisure' });
    rentals.push({
      id: rentalId,
      external_id: `DR${seed}-${i}`,
      customer_id: customerId,
      pickup_branch_id: branchId,
      return_branch_id: branchId,
      vehicle_class: 'economy',
      picked_up_at: new Date(returnedAt.getTime() - 2 * DAY).toISOString(),
      returned_at: returnedAt.toISOString(),
      amount: 500,
      booking_channel: 'app',
    });
    responses.push({
      id: responseId,
      survey_id: survey.surveyId,
      survey_version_id: survey.versionId,
      branch_id: branchId,
      customer_id: customerId,
      rental_id: rentalId,
      locale: 'zh-CN',
      status: 'finished',
      started_at: new Date(finishedAt.getTime() - 300_000).toISOString(),
      finished_at: finishedAt.toISOString(),
    });
    for (const a of toAnswerRows(def, row.answers)) {
      answerRows.push({
        response_id: responseId,
        question_id: a.questionId,
        item_id: a.itemId,
        value_number: a.valueNumber,
        choice_ids: a.choiceIds,
        value_text: a.valueText,
      });
    }
  }
  await t.sql`insert into customers ${t.sql(customers)}`;
  await t.sql`insert into rentals ${t.sql(rentals)}`;
  await t.sql`insert into responses ${t.sql(responses)}`;
  for (let i = 0; i < answerRows.length; i += 2000) await t.sql`insert into answers ${t.sql(answerRows.slice(i, i + 2000))}`;
}

/**
 * Post-rental answers: every customer rates the six service dimensions (an item now and then skipped);
 * in SH01 about a quarter used an extra service and rate it, in BJ01 nobody did. Recommending follows
 * pick-up, vehicle and staff most.
 */
function generate(seed: number): Generated[] {
  const random = createRandom(seed);
  const rows: Generated[] = [];
  const matrices = ['q_booking', 'q_pickup', 'q_vehicle', 'q_staff', 'q_value', 'q_return'];
  const drive: Record<string, number> = { q_booking: 0.05, q_pickup: 0.3, q_vehicle: 0.25, q_staff: 0.2, q_value: 0.12, q_return: 0.08 };
  for (let i = 0; i < 260; i++) {
    const branch = i < 200 ? 'SH01' : 'BJ01';
    const answers: Record<string, unknown> = {};
    let overall = 0;
    for (const id of matrices) {
      const question = definition.pages.flatMap((p) => p.questions).find((q) => q.id === id)!;
      if (question.type !== 'matrix') throw new Error(id);
      const latent = clamp(0.7 + 0.18 * random.normal(), 0, 1);
      overall += drive[id] * latent;
      const value: Record<string, number> = {};
      for (const item of question.items) {
        if (random.chance(0.03)) continue;
        value[item.id] = clamp(Math.round(1 + 4 * (latent + 0.12 * random.normal())), 1, 5);
      }
      answers[id] = value;
    }
    answers.q_nps = clamp(Math.round(10 * (overall + 0.08 * random.normal())), 0, 10);
    answers.q_csat = clamp(Math.round(1 + 4 * (overall + 0.1 * random.normal())), 1, 5);
    if (branch === 'SH01' && random.chance(0.25)) {
      const used = (['delivery', 'airport', 'equipment'] as const).filter(() => random.chance(0.5));
      if (used.length === 0) used.push('delivery');
      answers.q_vas_used = { choices: [...used] };
      for (const service of used) answers[`q_vas_${service}`] = clamp(Math.round(1 + 4 * (0.7 + 0.15 * random.normal())), 1, 5);
    }
    answers.q_problems = { choices: ['no_problem'] };
    rows.push({ branch, business: random.chance(0.4), answers });
  }
  return rows;
}

// ---- the independent computation, from the generated answers and the template's dimensions ----

const questions = new Map(definition.pages.flatMap((p) => p.questions).map((q) => [q.id, q]));
const scaleOf = (questionId: string) => {
  const q = questions.get(questionId)!;
  return q.type === 'nps' ? { min: 0, max: 10 } : q.type === 'matrix' || q.type === 'rating' ? { min: 1, max: q.max } : { min: 1, max: 5 };
};
const answerOf = (row: Generated, questionId: string, itemId?: string): number | null => {
  const value = row.answers[questionId];
  if (itemId)
    return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[itemId] === 'number'
      ? ((value as Record<string, number>)[itemId] ?? null)
      : null;
  return typeof value === 'number' ? value : null;
};
const dimensionIds = definition.dimensions.map((d) => d.id);
function dimensionColumn(rows: Generated[], id: string): (number | null)[] {
  const dimension = definition.dimensions.find((d) => d.id === id)!;
  return rows.map((row) =>
    dimensionScore(
      dimension.items.map((item) => ({ value: answerOf(row, item.questionId, item.itemId), ...scaleOf(item.questionId), weight: item.weight ?? 1 })),
    ),
  );
}
function performance(rows: Generated[], id: string): number | null {
  const dimension = definition.dimensions.find((d) => d.id === id)!;
  return dimensionPerformance(
    dimension.items.map((item) => ({
      values: rows.map((r) => answerOf(r, item.questionId, item.itemId)),
      ...scaleOf(item.questionId),
      weight: item.weight ?? 1,
    })),
  );
}
const recommend = (rows: Generated[]) => rows.map((r) => answerOf(r, 'q_nps'));

beforeAll(async () => {
  t = await createTestApp({ clock: testClock('2026-07-01T02:00:00Z') });
  await t.sql`insert into branches (code, name, name_en, city, region) values ('SH01', '上海虹桥店', 'Shanghai Hongqiao', '上海', '华东'), ('BJ01', '北京首都店', 'Beijing Capital', '北京', '华北')`;
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  generated = generate(7);
  await insertResponses(definition, { surveyId, versionId: version.id }, generated, 7);
});

async function drivers(params: Record<string, string> = {}) {
  const res = await t.request(`/api/analytics/drivers?${new URLSearchParams({ survey: surveyId, ...params })}`);
  return { status: res.status, body: (await res.json()) as any };
}

const expectClose = (actual: number | null, expected: number | null, digits = 9) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(actual!).toBeCloseTo(expected, digits);
};

/** The whole analysis against the independent computation over the given rows and drivers. */
function expectAnalysis(body: any, rows: Generated[], ids: string[]) {
  const { y, columns } = listwise(
    recommend(rows),
    ids.map((id) => dimensionColumn(rows, id)),
  );
  expect(body.drivers.map((d: any) => d.id)).toEqual(ids);
  expect(body.n).toBe(y.length);
  const fit = ols(y, columns);
  expectClose(body.r2, fit.r2);
  const weights = relativeWeightsFromData(y, columns);
  body.drivers.forEach((d: any, j: number) => {
    expectClose(d.weight, weights[j]);
    expectClose(d.share, (100 * weights[j]) / fit.r2);
    expectClose(d.performance, performance(rows, d.id));
    expectClose(d.coverage, dimensionColumn(rows, d.id).filter((v) => v !== null).length / rows.length, 12);
  });
}

describe('the default drivers of the post-rental template', () => {
  it('leave out the extra-services dimension answered by a quarter of the customers, name it, and analyse the rest', async () => {
    const rule = coverageRule(dimensionIds.map((id) => ({ id, values: dimensionColumn(generated, id) })));
    // The data is what the rule is about: vas is under half, every other dimension above.
    expect(rule.excluded.map((e) => e.id)).toEqual(['vas']);
    expect(rule.excluded[0].coverage).toBeLessThan(DRIVER_COVERAGE_MIN);

    const { status, body } = await drivers();
    expect(status).toBe(200);
    expect(body.driverSet).toBe('dimensions');
    expect(body.minCoverage).toBe(DRIVER_COVERAGE_MIN);
    expect(body.excluded.map((e: any) => e.id)).toEqual(['vas']);
    expectClose(body.excluded[0].coverage, rule.excluded[0].coverage, 12);
    expectAnalysis(body, generated, rule.kept);
    // Every dimension stays available to be listed, with its coverage.
    expect(body.available.map((d: any) => d.id)).toEqual(dimensionIds);
    // Without vas nearly every answer to the outcome is usable.
    expect(body.n).toBeGreaterThan(0.5 * body.responsesWithOutcome);
    expect(body.warnings).not.toContain('many_incomplete');
  });

  it('works in a branch where nobody used an extra service (listwise deletion over every dimension leaves n = 0)', async () => {
    const bj = generated.filter((r) => r.branch === 'BJ01');
    expect(
      listwise(
        recommend(bj),
        dimensionIds.map((id) => dimensionColumn(bj, id)),
      ).y,
    ).toHaveLength(0);
    const { status, body } = await drivers({ branch: 'BJ01' });
    expect(status).toBe(200);
    expect(body.excluded).toEqual([{ id: 'vas', label: expect.any(String), coverage: 0 }]);
    expectAnalysis(
      body,
      bj,
      dimensionIds.filter((id) => id !== 'vas'),
    );
  });

  it('applies the same rule over the facts when a customer segment is filtered', async () => {
    const business = generated.filter((r) => r.business);
    const rule = coverageRule(dimensionIds.map((id) => ({ id, values: dimensionColumn(business, id) })));
    const { status, body } = await drivers({ customerType: 'business' });
    expect(status).toBe(200);
    expect(body.excluded.map((e: any) => e.id)).toEqual(rule.excluded.map((e) => e.id));
    expectAnalysis(body, business, rule.kept);
  });

  it('names the outcome by its question text in the asked language', async () => {
    const nps = questions.get('q_nps')!;
    const en = await drivers({ lang: 'en' });
    expect(en.body.outcome).toBe('q_nps');
    expect(en.body.outcomeLabel).toBe(nps.text.en);
    const zh = await drivers({ lang: 'zh-CN' });
    expect(zh.body.outcomeLabel).toBe(nps.text['zh-CN']);
  });
});

describe('drivers listed by the caller', () => {
  it('analyses exactly the listed dimensions, vas included, in the survey order', async () => {
    const { status, body } = await drivers({ drivers: 'vehicle,vas,pickup', method: 'relative_weights' });
    expect(status).toBe(200);
    expect(body.driverSet).toBe('chosen');
    expect(body.excluded).toEqual([]);
    expectAnalysis(body, generated, ['pickup', 'vehicle', 'vas']);
  });

  it('reads every dimension from the daily rollup, with the same figures as the raw answers', async () => {
    const { status, body } = await drivers({ drivers: dimensionIds.join(',') });
    expect(status).toBe(200);
    expectAnalysis(body, generated, dimensionIds);
    expect(body.warnings).toContain('many_incomplete');
    const shapley = await drivers({ drivers: 'pickup,vehicle,staff', method: 'shapley' });
    const { y, columns } = listwise(
      recommend(generated),
      ['pickup', 'vehicle', 'staff'].map((id) => dimensionColumn(generated, id)),
    );
    shapley.body.drivers.forEach((d: any, j: number) => expectClose(d.weight, shapleyByOrderings(y, columns)[j]));
  });

  it('takes items by id, and leaves out the extra-service items from the default item set', async () => {
    const listed = await drivers({ drivers: 'q_pickup.pickup_wait,q_vehicle.vehicle_clean' });
    expect(listed.status).toBe(200);
    expect(listed.body.drivers.map((d: any) => d.id)).toEqual(['q_pickup.pickup_wait', 'q_vehicle.vehicle_clean']);
    const { y } = listwise(recommend(generated), [
      generated.map((r) => answerOf(r, 'q_pickup', 'pickup_wait')),
      generated.map((r) => answerOf(r, 'q_vehicle', 'vehicle_clean')),
    ]);
    expect(listed.body.n).toBe(y.length);

    const items = await drivers({ drivers: 'items' });
    expect(items.status).toBe(200);
    expect(items.body.excluded.map((e: any) => e.id)).toEqual(['q_vas_delivery', 'q_vas_airport', 'q_vas_equipment']);
    expect(items.body.drivers).toHaveLength(dimensionItems(definition).length - 3);
  });

  it('refuses unknown ids and a mix of dimensions and items with 400 naming `drivers`', async () => {
    for (const list of ['pickup,nope', 'pickup,q_pickup.pickup_wait', 'Pickup;drop']) {
      const { status, body } = await drivers({ drivers: list });
      expect(status, list).toBe(400);
      expect(body.errors[0].path).toBe('drivers');
    }
  });
});

describe('every shipped template', () => {
  it('gives a default driver analysis on simulated answers', async () => {
    await t.sql`insert into branches (code, name, city, region) values ('BJ02', '北京西站店', '北京', '华北') on conflict do nothing`;
    for (const [k, template] of templates.entries()) {
      const survey = await createSurvey(t.db, { name: template.id, kind: 'post_rental', definition: template.definition });
      const version = await publishSurvey(t.db, survey.id);
      const random = createRandom(100 + k);
      const rows: Generated[] = Array.from({ length: 120 }, () => {
        const quality = Math.min(1, Math.max(0, 0.7 + 0.15 * random.normal()));
        const dimensions = Object.fromEntries(template.definition.dimensions.map((d) => [d.id, Math.min(1, Math.max(0, quality + 0.1 * random.normal()))]));
        return {
          branch: 'SH01',
          business: false,
          answers: simulateAnswers(template.definition, { dimensions, overall: quality, locale: 'zh-CN' }, random) as Record<string, unknown>,
        };
      });
      await insertResponses(template.definition, { surveyId: survey.id, versionId: version.id }, rows, 100 + k);
      const res = await t.request(`/api/analytics/drivers?survey=${survey.id}`);
      const body = (await res.json()) as any;
      expect(res.status, `${template.id}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      expect(body.drivers.length + body.excluded.length, template.id).toBe(template.definition.dimensions.length);
    }
  });
});
