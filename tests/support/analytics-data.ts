// A generated data set with a KNOWN driver structure for the analytics integration tests, written
// straight into the tables (so the tests do not depend on the distribution or answering flows), and kept
// in memory so the tests can recompute every figure on their own.
import type { Sql } from '../../api/src/db/client.ts';
import { createRandom } from '../../api/src/lib/random.ts';
import type { SurveyDefinitionInput } from '@rs/survey-definition';

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** NPS, CSAT, three dimensions (one with item weights, one a 1–10 rating), a problem checklist, comments. */
export const analyticsDefinition: SurveyDefinitionInput = {
  defaultLocale: 'zh-CN',
  locales: ['zh-CN', 'en'],
  title: t('租车体验', 'Your rental'),
  pages: [
    {
      id: 'p_main',
      questions: [
        { id: 'q_nps', type: 'nps', required: true, text: t('推荐可能性', 'Recommend') },
        { id: 'q_csat', type: 'csat', text: t('总体满意度', 'Overall satisfaction') },
        {
          id: 'q_staff',
          type: 'matrix',
          max: 5,
          text: t('员工', 'Staff'),
          items: [
            { id: 'friendly', text: t('热情', 'Friendly') },
            { id: 'competent', text: t('专业', 'Competent') },
          ],
        },
        {
          id: 'q_car',
          type: 'matrix',
          max: 5,
          text: t('车辆', 'Vehicle'),
          items: [
            { id: 'clean', text: t('清洁', 'Clean') },
            { id: 'condition', text: t('车况', 'Condition') },
          ],
        },
        { id: 'q_price', type: 'rating', max: 10, text: t('性价比', 'Value for money') },
        {
          id: 'q_problems',
          type: 'problems',
          text: t('遇到的问题', 'Problems'),
          choices: [
            { id: 'wait', text: t('等待太久', 'Long wait') },
            { id: 'dirty', text: t('车辆不洁', 'Dirty car') },
            { id: 'fees', text: t('额外收费', 'Extra fees') },
          ],
          other: { id: 'other', text: t('其他', 'Other') },
          noProblem: { id: 'none', text: t('没有问题', 'No problem') },
        },
        { id: 'q_comment', type: 'text', text: t('其他意见', 'Comments') },
      ],
    },
  ],
  dimensions: [
    {
      id: 'staff',
      name: t('员工', 'Staff'),
      weight: 0.3,
      items: [
        { questionId: 'q_staff', itemId: 'friendly' },
        { questionId: 'q_staff', itemId: 'competent' },
      ],
    },
    {
      id: 'vehicle',
      name: t('车辆', 'Vehicle'),
      weight: 0.5,
      items: [
        { questionId: 'q_car', itemId: 'clean', weight: 2 },
        { questionId: 'q_car', itemId: 'condition', weight: 1 },
      ],
    },
    { id: 'value', name: t('价格', 'Value'), weight: 0.2, items: [{ questionId: 'q_price' }] },
  ],
  outcomes: { recommend: 'q_nps', overall: 'q_csat' },
  settings: { minN: 10 },
};

export const BRANCHES = [
  { code: 'SH01', name: '上海虹桥店', nameEn: 'Shanghai Hongqiao', region: '华东', quality: 0.08, weight: 3 },
  { code: 'SH02', name: '上海浦东店', nameEn: 'Shanghai Pudong', region: '华东', quality: 0.0, weight: 2 },
  { code: 'BJ01', name: '北京首都店', nameEn: 'Beijing Capital', region: '华北', quality: -0.1, weight: 3 },
  { code: 'BJ02', name: '北京西站店', nameEn: 'Beijing West', region: '华北', quality: 0.02, weight: 1.5 },
  // Too few responses for minN = 10: its scores must be suppressed.
  { code: 'GZ01', name: '广州白云店', nameEn: 'Guangzhou Baiyun', region: '华南', quality: 0.0, weight: 0 },
] as const;

/** How much each dimension drives recommending in this data (the structure the tests look for). */
export const TRUE_DRIVE = { staff: 0.55, vehicle: 0.3, value: 0.15 };

export interface TestResponse {
  id: string;
  branch: string;
  customer: string;
  rental: string;
  finishedAt: Date;
  status: 'finished' | 'partial';
  answers: {
    nps: number | null;
    csat: number | null;
    staff: { friendly: number | null; competent: number | null };
    car: { clean: number | null; condition: number | null };
    price: number | null;
    problems: string[] | null;
    comment: string | null;
  };
}

export interface TestCustomer {
  id: string;
  externalId: string;
  tier: 'A' | 'B' | 'C';
  type: 'business' | 'leisure';
}

export interface TestRental {
  id: string;
  externalId: string;
  customer: string;
  branch: string;
  vehicleClass: string;
  channel: 'app' | 'web' | 'phone' | 'store';
  pickedUpAt: Date;
  returnedAt: Date;
}

export interface TestData {
  branchIds: Record<string, string>;
  customers: TestCustomer[];
  rentals: TestRental[];
  responses: TestResponse[];
}

const COMMENTS = {
  good: ['员工很热情，取车很快', 'Friendly staff and a clean car', '车辆干净，下次还会再租'],
  bad: ['取车等了一个多小时', 'Waited an hour at the counter', '车辆很脏，还被额外收费'],
};

const DAY = 86_400_000;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Customers, rentals and responses over April and May 2026 (none in the week of 20–26 April, so a weekly
 * trend has an empty period), then repeat rentals in the following months (more often after a good
 * experience, so NPS predicts return).
 */
export function generateAnalyticsData(seed = 42, responses = 420): Omit<TestData, 'branchIds'> {
  const random = createRandom(seed);
  const normal = () => random.normal();
  const customers: TestCustomer[] = Array.from({ length: Math.round(responses * 0.8) }, (_, i) => ({
    id: crypto.randomUUID(),
    externalId: `AC${i + 1}`,
    tier: random.pick(['A', 'B', 'B', 'C', 'C', 'C'] as const),
    type: random.chance(0.35) ? 'business' : 'leisure',
  }));
  const rentals: TestRental[] = [];
  const out: TestResponse[] = [];
  const start = Date.parse('2026-04-01T00:00:00+08:00');
  const gapFrom = Date.parse('2026-04-20T00:00:00+08:00');
  const gapTo = Date.parse('2026-04-27T00:00:00+08:00');
  const end = Date.parse('2026-06-01T00:00:00+08:00');
  const branchPool = BRANCHES.flatMap((b) => Array.from({ length: Math.round(b.weight * 2) }, () => b));

  const addRental = (customer: TestCustomer, branch: string, returnedAt: number): TestRental => {
    const days = random.int(1, 5);
    const rental: TestRental = {
      id: crypto.randomUUID(),
      externalId: `AR${rentals.length + 1}`,
      customer: customer.id,
      branch,
      vehicleClass: random.pick(['economy', 'suv', 'premium']),
      channel: random.pick(['app', 'app', 'web', 'phone', 'store'] as const),
      pickedUpAt: new Date(returnedAt - days * DAY),
      returnedAt: new Date(returnedAt),
    };
    rentals.push(rental);
    return rental;
  };

  // A few rentals before the survey period: their customers are "returning".
  for (const customer of customers.slice(0, 60))
    addRental(customer, random.pick(branchPool).code, Date.parse('2026-02-01T00:00:00+08:00') + random.int(0, 40) * DAY);

  const gzResponses = 6;
  for (let i = 0; i < responses; i++) {
    const branch = i < gzResponses ? BRANCHES[4] : random.pick(branchPool);
    const customer = customers[i % customers.length];
    let finished: number;
    do finished = start + random.next() * (end - start - 3 * 3_600_000);
    while (finished >= gapFrom && finished < gapTo);
    const rental = addRental(customer, branch.code, finished - random.int(2, 30) * 3_600_000);
    const personal = 0.06 * normal();
    const staff = clamp01(0.68 + branch.quality + personal + 0.16 * normal());
    const vehicle = clamp01(0.7 + branch.quality / 2 + personal + 0.16 * normal());
    const value = clamp01(0.6 + personal + 0.18 * normal());
    const overall = clamp01(TRUE_DRIVE.staff * staff + TRUE_DRIVE.vehicle * vehicle + TRUE_DRIVE.value * value + 0.1 + 0.07 * normal());
    const scale = (latent: number, max: number) => (random.chance(0.08) ? null : 1 + Math.round((max - 1) * clamp01(latent + 0.1 * normal())));
    const nps = Math.min(10, Math.round(10 * clamp01(overall * 1.1 + 0.06 * normal())));
    const problemsChecked = ['wait', 'dirty', 'fees', 'other'].filter(() => random.chance(0.03 + 0.45 * (1 - overall) ** 2));
    out.push({
      id: crypto.randomUUID(),
      branch: branch.code,
      customer: customer.id,
      rental: rental.id,
      finishedAt: new Date(finished),
      status: random.chance(0.05) ? 'partial' : 'finished',
      answers: {
        nps,
        csat: random.chance(0.06) ? null : 1 + Math.round(4 * clamp01(overall + 0.1 * normal())),
        staff: { friendly: scale(staff, 5), competent: scale(staff, 5) },
        car: { clean: scale(vehicle, 5), condition: scale(vehicle, 5) },
        price: scale(value, 10),
        problems: random.chance(0.1) ? null : problemsChecked.length > 0 ? problemsChecked : ['none'],
        comment: random.chance(0.5) ? random.pick(nps >= 9 ? COMMENTS.good : COMMENTS.bad) : null,
      },
    });
    // Repeat rentals after answering: likelier after a good experience.
    if (random.chance(0.15 + 0.5 * overall ** 2)) addRental(customer, branch.code, finished + random.int(10, 200) * DAY);
  }
  return { customers, rentals, responses: out };
}

// Dates go in as ISO strings: the app's postgres client has drizzle's date serialisers (strings only).

/** Writes the data set: branches, customers, rentals, responses and one row per answer. */
export async function insertAnalyticsData(sql: Sql, survey: { surveyId: string; versionId: string }, data: Omit<TestData, 'branchIds'>): Promise<TestData> {
  const branchRows = await sql<{ id: string; code: string }[]>`
    insert into branches ${sql(BRANCHES.map((b) => ({ code: b.code, name: b.name, name_en: b.nameEn, city: b.name.slice(0, 2), region: b.region })))}
    returning id, code`;
  const branchIds = Object.fromEntries(branchRows.map((b) => [b.code, b.id]));
  await sql`insert into customers ${sql(data.customers.map((c) => ({ id: c.id, external_id: c.externalId, value_tier: c.tier, customer_type: c.type })))}`;
  await sql`
    insert into rentals ${sql(
      data.rentals.map((r) => ({
        id: r.id,
        external_id: r.externalId,
        customer_id: r.customer,
        pickup_branch_id: branchIds[r.branch],
        return_branch_id: branchIds[r.branch],
        vehicle_class: r.vehicleClass,
        picked_up_at: r.pickedUpAt.toISOString(),
        returned_at: r.returnedAt.toISOString(),
        amount: 500,
        booking_channel: r.channel,
      })),
    )}`;
  await insertResponses(sql, survey, branchIds, data.responses);
  return { ...data, branchIds };
}

export async function insertResponses(sql: Sql, survey: { surveyId: string; versionId: string }, branchIds: Record<string, string>, responses: TestResponse[]) {
  await sql`
    insert into responses ${sql(
      responses.map((r) => ({
        id: r.id,
        survey_id: survey.surveyId,
        survey_version_id: survey.versionId,
        branch_id: branchIds[r.branch],
        customer_id: r.customer,
        rental_id: r.rental,
        locale: 'zh-CN',
        status: r.status,
        started_at: new Date(r.finishedAt.getTime() - 300_000).toISOString(),
        finished_at: r.status === 'finished' ? r.finishedAt.toISOString() : null,
      })),
    )}`;
  const answers = responses.flatMap((r) => {
    const a = r.answers;
    const rows: {
      response_id: string;
      question_id: string;
      item_id: string | null;
      value_number: number | null;
      choice_ids: string[] | null;
      value_text: string | null;
    }[] = [];
    const add = (question: string, item: string | null, value: number | null) => {
      if (value !== null) rows.push({ response_id: r.id, question_id: question, item_id: item, value_number: value, choice_ids: null, value_text: null });
    };
    add('q_nps', null, a.nps);
    add('q_csat', null, a.csat);
    add('q_staff', 'friendly', a.staff.friendly);
    add('q_staff', 'competent', a.staff.competent);
    add('q_car', 'clean', a.car.clean);
    add('q_car', 'condition', a.car.condition);
    add('q_price', null, a.price);
    if (a.problems) rows.push({ response_id: r.id, question_id: 'q_problems', item_id: null, value_number: null, choice_ids: a.problems, value_text: null });
    if (a.comment) rows.push({ response_id: r.id, question_id: 'q_comment', item_id: null, value_number: null, choice_ids: null, value_text: a.comment });
    return rows;
  });
  for (let i = 0; i < answers.length; i += 2000) await sql`insert into answers ${sql(answers.slice(i, i + 2000))}`;
}
