// The responses explorer API: filters, paging, detail with question texts, and the streamed CSV export.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createSession } from '../../api/src/access/auth.queries.ts';
import type { Role } from '../../api/src/access/permissions.ts';
import { EXPORT_BATCH_SIZE } from '../../api/src/responses/explorer.queries.ts';
import type { SurveyDefinitionInput } from '@rs/survey-definition';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const definition: SurveyDefinitionInput = {
  defaultLocale: 'zh-CN',
  locales: ['zh-CN', 'en'],
  title: { 'zh-CN': '租车体验调查', en: 'Your rental' },
  pages: [
    {
      id: 'p_main',
      questions: [
        { id: 'q_nps', type: 'nps', required: true, text: { 'zh-CN': '您向朋友推荐我们的可能性有多大？', en: 'How likely are you to recommend us?' } },
        { id: 'q_csat', type: 'csat', text: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } },
        {
          id: 'q_pickup',
          type: 'matrix',
          max: 5,
          text: { 'zh-CN': '取车', en: 'Pick-up' },
          items: [
            { id: 'speed', text: { 'zh-CN': '速度', en: 'Speed' } },
            { id: 'staff', text: { 'zh-CN': '员工', en: 'Staff' } },
          ],
        },
        {
          id: 'q_problems',
          type: 'problems',
          text: { 'zh-CN': '遇到了哪些问题？', en: 'Which problems did you have?' },
          choices: [
            { id: 'wait', text: { 'zh-CN': '等待太久', en: 'Long wait' } },
            { id: 'dirty', text: { 'zh-CN': '车辆不干净', en: 'Dirty car' } },
            { id: 'fees', text: { 'zh-CN': '意外收费', en: 'Unexpected fees' } },
          ],
          noProblem: { id: 'none', text: { 'zh-CN': '没有问题', en: 'No problem' } },
        },
        { id: 'q_comment', type: 'text', text: { 'zh-CN': '还有什么想告诉我们的？', en: 'Anything else?' } },
      ],
    },
  ],
  dimensions: [
    {
      id: 'pickup',
      name: { 'zh-CN': '取车', en: 'Pick-up' },
      weight: 1,
      items: [
        { questionId: 'q_pickup', itemId: 'speed' },
        { questionId: 'q_pickup', itemId: 'staff' },
      ],
    },
  ],
  outcomes: { recommend: 'q_nps', overall: 'q_csat' },
};

const BJ = { pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' };

interface Planned {
  n: number;
  day: string;
  rental?: Record<string, unknown>;
  answers: Record<string, unknown>;
}

// Ten responses over three days, two branches, both customer types; a few comments that look like formulas.
const planned: Planned[] = [
  {
    n: 1,
    day: '2026-06-01',
    answers: { q_nps: 10, q_csat: 5, q_pickup: { speed: 5, staff: 5 }, q_problems: { choices: ['none'] }, q_comment: '非常好，员工很热情' },
  },
  { n: 2, day: '2026-06-01', answers: { q_nps: 9, q_csat: 4, q_problems: { choices: ['wait'] } } },
  {
    n: 3,
    day: '2026-06-02',
    answers: { q_nps: 8, q_csat: 4, q_problems: { choices: ['wait', 'dirty'] }, q_comment: '=HYPERLINK("http://evil.example","click")' },
  },
  { n: 4, day: '2026-06-02', answers: { q_nps: 6, q_csat: 2, q_problems: { choices: ['fees'] }, q_comment: '+86 说好的价格不一样, "额外"收费' } },
  {
    n: 5,
    day: '2026-06-03',
    answers: { q_nps: 3, q_csat: 1, q_pickup: { speed: 1, staff: 2 }, q_problems: { choices: ['wait', 'dirty', 'fees'] }, q_comment: '-1 等了一个小时' },
  },
  { n: 6, day: '2026-06-03', rental: { ...BJ, bookingChannel: 'web' }, answers: { q_nps: 10, q_csat: 5, q_comment: '@SUM(A1:A2) great' } },
  { n: 7, day: '2026-06-03', rental: { ...BJ, vehicleClass: 'economy' }, answers: { q_nps: 7, q_csat: 3 } },
  {
    n: 8,
    day: '2026-06-01',
    rental: { ...BJ, customer: { externalId: 'C-T-8', name: 'Emma Smith', email: 'emma@example.com', customerType: 'business', preferredLanguage: 'en' } },
    answers: { q_nps: 0, q_csat: 1, q_problems: { choices: ['dirty'] }, q_comment: 'Car was dirty' },
  },
  {
    n: 9,
    day: '2026-06-02',
    rental: { customer: { externalId: 'C-T-9', name: '王芳', email: 'wf@example.com', customerType: 'business' } },
    answers: { q_nps: 9, q_csat: 5, q_problems: { choices: ['none'] } },
  },
];

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
const responseIds = new Map<number, string>();
let staff: Record<string, string>;

/** Headers of a signed-in staff user with this role (session valid for the whole test, whatever the clock). */
async function signIn(role: Role, branchIds: string[] = []) {
  const userId = await createUserWithPassword(
    t.db,
    { email: `${role}.${crypto.randomUUID()}@example.com`, name: role, role, password: 'explorer-test-password', branchIds },
    t.clock.now(),
  );
  const session = await createSession(t.db, userId, t.clock.now(), 100_000);
  return { cookie: `rs_session=${session.token}`, 'x-requested-with': 'explorer-test' };
}

/** A request as the signed-in quality manager unless other headers are given. */
function request(path: string, init: RequestInit & { json?: unknown } = {}) {
  return t.request(path, { ...init, headers: { ...staff, ...(init.headers as Record<string, string> | undefined) } });
}

beforeAll(async () => {
  // Sessions outlive the jumps of the test clock.
  t = await createTestApp({ clock: testClock('2026-06-01T02:00:00Z'), env: { SESSION_IDLE_HOURS: '100000' } });
  const survey = await createSurvey(t.db, { name: 'Explorer', kind: 'post_rental', definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  staff = await signIn('quality_manager');
  for (const p of planned) {
    // 10:00 in Shanghai on the planned day.
    t.clock.set(`${p.day}T02:00:00Z`);
    const rental = await request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(p.n, { pickedUpAt: `${p.day}T00:00:00+08:00`, returnedAt: `${p.day}T09:00:00+08:00`, ...p.rental }),
    });
    expect(rental.status, await rental.clone().text()).toBe(201);
    const token = tokenFromLink((await rental.json()).invitation.link);
    const res = await request(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: p.answers } });
    expect(res.status, await res.clone().text()).toBe(200);
    responseIds.set(p.n, (await res.json()).responseId);
  }
  // One partial response (saved, never submitted).
  t.clock.set('2026-06-03T03:00:00Z');
  const rental = await request('/api/rentals', {
    method: 'POST',
    json: rentalPayload(10, { pickedUpAt: '2026-06-02T00:00:00+08:00', returnedAt: '2026-06-03T09:00:00+08:00' }),
  });
  const token = tokenFromLink((await rental.json()).invitation.link);
  const saved = await request(`/api/respond/${token}`, { method: 'PUT', json: { answers: { q_nps: 5 } } });
  expect(saved.status).toBe(200);
  responseIds.set(10, (await saved.json()).responseId);
});

async function list(params: Record<string, string | string[]>) {
  const search = new URLSearchParams({ survey: surveyId });
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
  const res = await request(`/api/responses?${search}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<{ items: { id: string; nps: number | null; [k: string]: unknown }[]; total: number; page: number; pageSize: number }>;
}

const ns = (items: { id: string }[]) => items.map((i) => [...responseIds].find(([, id]) => id === i.id)?.[0]).sort((a, b) => a! - b!);

describe('GET /api/responses', () => {
  it('lists every response, newest first, with branch, customer, rental and headline answers', async () => {
    const body = await list({});
    expect(body.total).toBe(10);
    expect(body.items).toHaveLength(10);
    // Newest first: the partial one was started last (2026-06-03 03:00 UTC).
    expect(body.items[0].id).toBe(responseIds.get(10));
    const eight = body.items.find((i) => i.id === responseIds.get(8))!;
    expect(eight).toMatchObject({
      status: 'finished',
      branch: { code: 'BJ01', name: '北京首都机场店', region: '华北' },
      customer: { externalId: 'C-T-8', name: 'Emma Smith', customerType: 'business' },
      rental: { externalId: 'RA-T-8', vehicleClass: 'suv', channel: 'app' },
      nps: 0,
      npsCategory: 'detractor',
      csat: 1,
      problems: 1,
      comment: 'Car was dirty',
    });
    const five = body.items.find((i) => i.id === responseIds.get(5))!;
    expect(five.problems).toBe(3);
    // "No problem" counts as 0 problems; no checklist answer is null.
    expect(body.items.find((i) => i.id === responseIds.get(1))!.problems).toBe(0);
    expect(body.items.find((i) => i.id === responseIds.get(7))!.problems).toBeNull();
  });

  it('filters by branch, region, customer type, vehicle class, channel and status', async () => {
    expect(ns((await list({ branch: 'BJ01' })).items)).toEqual([6, 7, 8]);
    expect(ns((await list({ branch: ['BJ01', 'SH01'], status: 'finished' })).items)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ns((await list({ region: '华北' })).items)).toEqual([6, 7, 8]);
    expect(ns((await list({ customerType: 'business' })).items)).toEqual([8, 9]);
    expect(ns((await list({ vehicleClass: 'economy' })).items)).toEqual([7]);
    expect(ns((await list({ channel: 'web' })).items)).toEqual([6]);
    expect(ns((await list({ status: 'partial' })).items)).toEqual([10]);
  });

  it('filters by NPS category, problem, comment and text, and by the day in the company time zone', async () => {
    expect(ns((await list({ npsCategory: 'detractor', status: 'finished' })).items)).toEqual([4, 5, 8]);
    expect(ns((await list({ npsCategory: ['promoter', 'passive'] })).items)).toEqual([1, 2, 3, 6, 7, 9]);
    expect(ns((await list({ problem: 'dirty' })).items)).toEqual([3, 5, 8]);
    expect(ns((await list({ problem: ['fees', 'wait'] })).items)).toEqual([2, 3, 4, 5]);
    expect(ns((await list({ hasComment: 'true' })).items)).toEqual([1, 3, 4, 5, 6, 8]);
    expect(ns((await list({ hasComment: 'false', status: 'finished' })).items)).toEqual([2, 7, 9]);
    expect(ns((await list({ q: 'DIRTY' })).items)).toEqual([8]);
    expect(ns((await list({ q: '小时' })).items)).toEqual([5]);
    expect(ns((await list({ from: '2026-06-02', to: '2026-06-02' })).items)).toEqual([3, 4, 9]);
    expect(ns((await list({ from: '2026-06-03' })).items)).toEqual([5, 6, 7, 10]);
  });

  it('pages and sorts', async () => {
    const first = await list({ pageSize: '4', sort: '-nps', status: 'finished' });
    expect(first.total).toBe(9);
    expect(first.items.map((i) => i.nps)).toEqual([10, 10, 9, 9]);
    const third = await list({ pageSize: '4', page: '3', sort: '-nps', status: 'finished' });
    expect(third.items.map((i) => i.nps)).toEqual([0]);
    const asc = await list({ sort: 'nps', status: 'finished', pageSize: '2' });
    expect(asc.items.map((i) => i.nps)).toEqual([0, 3]);
  });

  it('rejects unknown filter values with problem+json', async () => {
    for (const bad of [`channel=fax`, `npsCategory=fan`, `pageSize=1000`, `from=yesterday`, `sort=name`]) {
      const res = await request(`/api/responses?survey=${surveyId}&${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await request('/api/responses')).status).toBe(400);
    expect((await request(`/api/responses?survey=${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('GET /api/responses/{id}', () => {
  it('returns the customer, rental, branch and every answer with its question text', async () => {
    const res = await request(`/api/responses/${responseIds.get(5)}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'finished',
      survey: { id: surveyId, name: 'Explorer', version: 1, defaultLocale: 'zh-CN' },
      branch: { code: 'SH01', name: '上海虹桥机场店', city: '上海' },
      customer: { externalId: 'C-T-5', name: '客户5', email: 'c5@example.com', erased: false },
      rental: { externalId: 'RA-T-5', vehicleClass: 'suv', channel: 'app', amount: 1280, pickupBranch: { code: 'SH01' }, returnBranch: { code: 'SH01' } },
      nps: 3,
      npsCategory: 'detractor',
      csat: 1,
      problems: 3,
    });
    expect(body.finishedAt).toBe('2026-06-03T02:00:00.000Z');
    const byId = Object.fromEntries(body.answers.map((a: { questionId: string }) => [a.questionId, a]));
    expect(body.answers.map((a: { questionId: string }) => a.questionId)).toEqual(['q_nps', 'q_csat', 'q_pickup', 'q_problems', 'q_comment']);
    expect(byId.q_nps).toMatchObject({
      answered: true,
      number: 3,
      scale: { min: 0, max: 10 },
      question: { 'zh-CN': '您向朋友推荐我们的可能性有多大？', en: 'How likely are you to recommend us?' },
    });
    expect(byId.q_pickup.items).toEqual([
      { id: 'speed', text: { 'zh-CN': '速度', en: 'Speed' }, value: 1 },
      { id: 'staff', text: { 'zh-CN': '员工', en: 'Staff' }, value: 2 },
    ]);
    expect(byId.q_problems.choices.map((c: { text: { en: string } }) => c.text.en)).toEqual(['Long wait', 'Dirty car', 'Unexpected fees']);
    expect(byId.q_comment).toMatchObject({ answered: true, text: '-1 等了一个小时' });
  });

  it('shows unanswered questions as such', async () => {
    const body = await (await request(`/api/responses/${responseIds.get(7)}`)).json();
    const pickup = body.answers.find((a: { questionId: string }) => a.questionId === 'q_pickup');
    expect(pickup).toMatchObject({ answered: false, items: [] });
    expect(body.problems).toBeNull();
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    expect((await request(`/api/responses/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await request('/api/responses/nope')).status).toBe(400);
  });
});

async function readAll(res: Response) {
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

describe('GET /api/responses/export.csv', () => {
  it('starts with a UTF-8 BOM, keeps Chinese text and escapes cells that start a formula', async () => {
    const res = await request(`/api/responses/export.csv?survey=${surveyId}&status=finished`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="responses-\d{8}\.csv"$/);
    const { bytes, text } = await readAll(res);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(9);
    const header = parsed.meta.fields!;
    expect(header.slice(0, 3)).toEqual(['response_id', 'status', 'source']);
    expect(header).toEqual(
      expect.arrayContaining(['q_nps', 'q_csat', 'q_pickup.speed', 'q_pickup.staff', 'q_problems', 'q_comment', 'branch_code', 'nps_category']),
    );
    // No contact data in the file.
    expect(text).not.toContain('c5@example.com');
    expect(text).not.toContain('Emma Smith');

    const row = (n: number) => parsed.data.find((r) => r.response_id === responseIds.get(n))!;
    expect(row(1)).toMatchObject({
      q_nps: '10',
      q_comment: '非常好，员工很热情',
      branch_name: '上海虹桥机场店',
      q_problems: '没有问题',
      problems_count: '0',
      nps_category: 'promoter',
    });
    expect(row(5)).toMatchObject({
      q_nps: '3',
      'q_pickup.speed': '1',
      'q_pickup.staff': '2',
      q_problems: '等待太久; 车辆不干净; 意外收费',
      problems_count: '3',
    });
    // Formula injection: = + - @ at the start get a leading apostrophe, and the cell is quoted.
    expect(row(3).q_comment).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(row(4).q_comment).toBe(`'+86 说好的价格不一样, "额外"收费`);
    expect(row(5).q_comment).toBe(`'-1 等了一个小时`);
    expect(row(6).q_comment).toBe(`'@SUM(A1:A2) great`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    // Numbers are never escaped.
    expect(row(8).q_nps).toBe('0');
  });

  it('applies the same filters as the list and labels choices in the asked language', async () => {
    const res = await request(`/api/responses/export.csv?survey=${surveyId}&branch=BJ01&npsCategory=detractor&lang=en`);
    const { text } = await readAll(res);
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.data.map((r) => r.response_id)).toEqual([responseIds.get(8)]);
    expect(parsed.data[0]).toMatchObject({ q_problems: 'Dirty car', customer_type: 'business', rental_id: 'RA-T-8' });
  });

  it('streams a large export batch by batch through a cursor', async () => {
    // A survey of its own with 2,600 finished responses written straight into the tables.
    const big = await createSurvey(t.db, { name: 'Big', kind: 'custom', definition });
    const version = await publishSurvey(t.db, big.id);
    const total = 2600;
    await t.sql`
      insert into responses (survey_id, survey_version_id, locale, status, started_at, finished_at)
      select ${big.id}, ${version.id}, 'zh-CN', 'finished',
             timestamptz '2026-05-01 00:00:00+00' + g * interval '1 minute',
             timestamptz '2026-05-01 00:05:00+00' + g * interval '1 minute'
      from generate_series(1, ${total}) g`;
    await t.sql`
      insert into answers (response_id, question_id, value_number)
      select id, 'q_nps', (extract(epoch from started_at)::bigint / 60) % 11 from responses where survey_id = ${big.id}`;
    await t.sql`
      insert into answers (response_id, question_id, value_text)
      select id, 'q_comment', '=cmd|' || (extract(epoch from started_at)::bigint / 60) % 7 from responses where survey_id = ${big.id}`;

    const res = await request(`/api/responses/export.csv?survey=${big.id}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const chunks: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(decoder.decode(value, { stream: true }));
    }
    // The header comes alone, then one chunk per cursor batch: never all rows at once.
    const rowsPerChunk = chunks.map((c) => c.split('\r\n').filter(Boolean).length);
    expect(rowsPerChunk[0]).toBe(1);
    expect(chunks.length).toBe(1 + Math.ceil(total / EXPORT_BATCH_SIZE));
    expect(Math.max(...rowsPerChunk.slice(1))).toBe(EXPORT_BATCH_SIZE);
    expect(rowsPerChunk.slice(1).reduce((a, b) => a + b, 0)).toBe(total);

    const text = chunks.join('');
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(total);
    // Oldest first, every comment escaped.
    expect(parsed.data[0].started_at).toBe('2026-05-01T00:01:00.000Z');
    expect(parsed.data.every((r) => r.q_comment.startsWith(`'=cmd|`))).toBe(true);
    const counts = await t.sql<{ v: number; n: number }[]>`
      select value_number::int as v, count(*)::int as n from answers a join responses r on r.id = a.response_id
      where r.survey_id = ${big.id} and a.question_id = 'q_nps' group by 1 order by 1`;
    const fromCsv = new Map<number, number>();
    for (const r of parsed.data) fromCsv.set(Number(r.q_nps), (fromCsv.get(Number(r.q_nps)) ?? 0) + 1);
    expect(Object.fromEntries(fromCsv)).toEqual(Object.fromEntries(counts.map((c) => [c.v, c.n])));
  });

  it('stops reading from PostgreSQL when the client goes away', async () => {
    const [{ id }] = await t.sql<{ id: string }[]>`select id from surveys where name = 'Big'`;
    // The export's cursor, seen from the server: a backend of this database on the export query (its text
    // has the answers' json_agg) that is not idle, i.e. whose portal is still open (between batches it is
    // 'active', waiting in ClientRead for the next fetch).
    const openCursors = () => t.sql<{ state: string }[]>`
      select state, wait_event from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query like '%json_agg(json_build_object(%' and state <> 'idle'`;
    const res = await request(`/api/responses/export.csv?survey=${id}`);
    const reader = res.body!.getReader();
    await reader.read(); // header
    await reader.read(); // first batch
    const reading = await openCursors();
    expect(reading).toHaveLength(1);
    await reader.cancel();
    // The cursor is closed and its transaction ended, without reading the remaining batches.
    let left = reading;
    for (let i = 0; i < 60 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = await openCursors();
    }
    expect(left).toEqual([]);
  });
});

describe('who may read and export', () => {
  it('needs a signed-in user: 401 without one', async () => {
    for (const path of [`/api/responses?survey=${surveyId}`, `/api/responses/${responseIds.get(1)}`, `/api/responses/export.csv?survey=${surveyId}`]) {
      const res = await t.request(path, { as: 'anonymous' });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('a branch manager sees only their branches, with contacts masked, and exports only those', async () => {
    const [bj] = await t.sql<{ id: string }[]>`select id from branches where code = 'BJ01'`;
    const manager = await signIn('branch_manager', [bj.id]);
    const res = await request(`/api/responses?survey=${surveyId}`, { headers: manager });
    const body = await res.json();
    expect(body.total).toBe(3);
    expect(ns(body.items)).toEqual([6, 7, 8]);
    // Asking for another branch gives nothing rather than its data.
    expect((await (await request(`/api/responses?survey=${surveyId}&branch=SH01`, { headers: manager })).json()).total).toBe(0);
    expect((await request(`/api/responses/${responseIds.get(1)}`, { headers: manager })).status).toBe(404);
    const own = await (await request(`/api/responses/${responseIds.get(6)}`, { headers: manager })).json();
    expect(own.customer).toMatchObject({ externalId: 'C-T-6', email: 'c***@example.com' });
    const unmasked = await (await request(`/api/responses/${responseIds.get(6)}`)).json();
    expect(unmasked.customer.email).toBe('c6@example.com');
    const csv = await request(`/api/responses/export.csv?survey=${surveyId}&branch=SH01&branch=BJ01`, { headers: manager });
    expect(csv.status).toBe(200);
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.branch_code)).toEqual(['BJ01', 'BJ01', 'BJ01']);
  });

  it('an executive reads dashboards but not single responses', async () => {
    const executive = await signIn('executive');
    expect((await request(`/api/responses?survey=${surveyId}`, { headers: executive })).status).toBe(403);
  });
});
