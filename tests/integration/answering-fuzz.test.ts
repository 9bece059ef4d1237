// 1,000 malformed saves and submits against the post-rental template: every one is refused with a 4xx
// problem+json, and nothing of any of them is stored.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { problemCodes } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

const CASES = 1000;
const SEED = 0x5eed_2026;

let t: Awaited<ReturnType<typeof createTestApp>>;
let token: string;

/** mulberry32: small, fast and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const text = (n: number) => {
    const alphabet = 'abc xyz 好的服务 租车 🚗 é\n\t"\\<>';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  };
  return { next, int, pick, text, bool: () => next() < 0.5 };
}
type Rng = ReturnType<typeof prng>;

const MATRICES: Record<string, string[]> = {
  q_booking: ['booking_ease', 'booking_info'],
  q_pickup: ['pickup_wait', 'pickup_speed', 'pickup_explain'],
  q_vehicle: ['vehicle_clean', 'vehicle_condition', 'vehicle_as_booked'],
  q_staff: ['staff_friendly', 'staff_competent'],
  q_value: ['value_price', 'value_fees', 'value_deposit'],
  q_return: ['return_speed', 'return_inspection', 'return_settlement'],
};
// The post-rental template's problem codes.
const PROBLEMS = problemCodes(findTemplate('post-rental')!.definition);
const VAS = ['delivery', 'airport', 'equipment'];

/** Values that are never a valid answer of any type (nor "not answered"). */
const junk = (r: Rng): unknown =>
  r.pick<() => unknown>([
    () => true,
    () => false,
    () => [r.int(0, 10)],
    () => [],
    () => ({ value: r.int(0, 10) }),
    () => r.int(0, 10) + 0.5,
    () => -r.int(1, 1_000_000),
    () => 1e300,
    () => String(r.int(0, 10)),
  ])();

/** A correct answer for some visible, optional question: mixed into many cases so the fault is not alone. */
function validExtras(r: Rng): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (r.bool()) extras.q_csat = r.int(1, 5);
  if (r.bool()) {
    const m = r.pick(Object.keys(MATRICES));
    extras[m] = { [r.pick(MATRICES[m])]: r.int(1, 5) };
  }
  if (r.bool()) extras.q_comment = r.text(r.int(1, 50));
  return extras;
}

/** An answers object with exactly one kind of fault (plus, often, valid answers beside it). */
function badAnswers(r: Rng): { answers: Record<string, unknown>; kind: string } {
  const kinds: [string, () => Record<string, unknown>][] = [
    ['nps wrong type', () => ({ q_nps: r.pick([junk(r), r.text(2), { score: 5 }, '10']) })],
    ['nps out of range', () => ({ q_nps: r.pick([-1, 11, 100, -r.int(2, 99), r.int(11, 1e6)]) })],
    ['csat wrong type', () => ({ q_csat: junk(r) })],
    ['csat out of range', () => ({ q_csat: r.pick([0, 6, 7, 10, -5]) })],
    ['matrix not an object', () => ({ [r.pick(Object.keys(MATRICES))]: r.pick<unknown>([r.int(1, 5), 'good', [1, 2, 3], true]) })],
    ['matrix unknown item', () => ({ [r.pick(Object.keys(MATRICES))]: { [r.pick(['speed', 'x', 'booking', '0', 'constructor', 'toString'])]: r.int(1, 5) } })],
    [
      'matrix item out of range',
      () => {
        const m = r.pick(Object.keys(MATRICES));
        return { [m]: { [r.pick(MATRICES[m])]: r.pick([0, 6, 11, -1]) } };
      },
    ],
    [
      'matrix item wrong type',
      () => {
        const m = r.pick(Object.keys(MATRICES));
        return { [m]: { [r.pick(MATRICES[m])]: r.pick<unknown>(['3', 2.5, true, [4], { v: 4 }]) } };
      },
    ],
    [
      'multi wrong shape',
      () => ({
        q_vas_used: r.pick<unknown>([
          VAS.slice(0, r.int(1, 3)),
          'delivery',
          3,
          { choice: 'delivery' },
          { choices: 'delivery' },
          { choices: [1, 2] },
          { choices: ['delivery'], extra: 1 },
        ]),
      }),
    ],
    ['multi unknown choice', () => ({ q_vas_used: { choices: [r.pick(['wifi', 'Delivery', '', 'other', 'no_problem', '__proto__'])] } })],
    ['multi duplicate choice', () => ({ q_vas_used: { choices: ['airport', 'airport'] } })],
    ['multi other without other option', () => ({ q_vas_used: { choices: ['airport'], other: r.text(r.int(3, 30)) + 'x' } })],
    [
      'problems wrong shape',
      () => ({
        q_problems: r.pick<unknown>([['no_problem'], 'no_problem', 0, { choice: 'no_problem' }, { choices: [true] }, { choices: ['no_problem'], note: 'x' }]),
      }),
    ],
    ['problems no-problem with problems', () => ({ q_problems: { choices: ['no_problem', r.pick(PROBLEMS)] } })],
    ['problems unknown choice', () => ({ q_problems: { choices: [r.pick(['flat_tyre', 'NO_PROBLEM', 'vehicle damage', '0'])] } })],
    ['problems other text without other', () => ({ q_problems: { choices: [r.pick(PROBLEMS)], other: 'the radio' } })],
    ['problems other text too long', () => ({ q_problems: { choices: ['other'], other: 'x'.repeat(r.int(501, 3000)) } })],
    ['problems other text wrong type', () => ({ q_problems: { choices: ['other'], other: r.pick<unknown>([5, ['a'], { t: 'a' }, true]) } })],
    ['text wrong type', () => ({ [r.pick(['q_comment', 'q_nps_reason'])]: r.pick<unknown>([42, ['text'], { text: 'hi' }, true]), q_nps: 3 })],
    ['comment too long', () => ({ q_comment: r.text(r.int(2001, 6000)) })],
    ['nps reason too long', () => ({ q_nps: r.int(0, 6), q_nps_reason: 'y'.repeat(r.int(1001, 4000)) })],
    ['hidden nps reason', () => ({ q_nps: r.int(7, 10), q_nps_reason: r.text(r.int(1, 40)) + '!' })],
    [
      'hidden service rating',
      () => {
        const [used, hidden] = r.pick([
          ['delivery', 'airport'],
          ['airport', 'equipment'],
          ['equipment', 'delivery'],
        ]);
        return { q_vas_used: { choices: [used] }, [`q_vas_${hidden}`]: r.int(1, 5) };
      },
    ],
    [
      'unknown question',
      () => ({ [r.pick(['q_unknown', 'q_NPS', 'nps', 'q_nps ', '', 'p_overall', 'booking_ease', '🚗', '%00', 'q_nps\u0000'])]: r.int(1, 5) }),
    ],
    [
      'prototype keys',
      () => JSON.parse(`{"${r.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])}": ${r.pick(['{"q_nps": 5}', '5', '"x"', '{}'])}}`),
    ],
  ];
  const [kind, make] = r.pick(kinds);
  const answers = { ...(r.bool() ? validExtras(r) : {}), ...make() };
  return { answers, kind };
}

interface Case {
  kind: string;
  method: 'PUT' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

function makeCase(r: Rng, i: number): Case {
  const submit = r.bool();
  const method = submit ? 'POST' : 'PUT';
  const path = submit ? `/api/respond/${token}/submit` : `/api/respond/${token}`;
  const json = (value: unknown, kind: string): Case => ({ kind, method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  const roll = r.next();
  if (roll < 0.6) {
    // Wrong answers in a well-formed body (the heart of it).
    const { answers, kind } = badAnswers(r);
    const extra = r.bool() ? { locale: r.pick(['zh-CN', 'en', 'zh-TW']), page: r.int(0, 3) } : {};
    return json({ answers, ...extra }, kind);
  }
  if (roll < 0.75) {
    // A well-formed body whose envelope is wrong.
    const envelopes: [string, unknown][] = [
      ['no answers', { locale: 'en' }],
      ['answers null', { answers: null }],
      ['answers an array', { answers: [{ q_nps: 5 }] }],
      ['answers a string', { answers: '{"q_nps":5}' }],
      ['answers a number', { answers: r.int(0, 10) }],
      ['unknown locale', { answers: { q_nps: 9 }, locale: r.pick(['fr', 'zh', 'EN', 'zh-cn', '', 5]) }],
      ['page out of range', { answers: { q_nps: 9 }, page: r.pick<unknown>([-1, 101, 2.5, '2', null]) }],
      ['question id too long', { answers: { ['q_' + 'x'.repeat(r.int(99, 400))]: 5 } }],
      ['body an array', [{ answers: { q_nps: 9 } }]],
      ['body a string', 'q_nps=9'],
      ['body null', null],
      ['body a number', i],
    ];
    const [kind, value] = r.pick(envelopes);
    return json(value, kind);
  }
  if (roll < 0.85) {
    // Bodies that are not JSON at all, or not declared as JSON.
    const broken: [string, string, Record<string, string>][] = [
      ['truncated JSON', JSON.stringify({ answers: { q_nps: 9, q_csat: 4 } }).slice(0, r.int(1, 25)), {}],
      ['trailing garbage', '{"answers":{"q_nps":9}}}', {}],
      ['single quotes', "{'answers':{'q_nps':9}}", {}],
      ['empty body', '', {}],
      ['NaN literal', '{"answers":{"q_nps":NaN}}', {}],
      ['form encoded', 'q.q_nps=9&q.q_csat=4', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['plain text', '{"answers":{"q_nps":9}}', { 'content-type': 'text/plain' }],
      ['no content type', '{"answers":{"q_nps":9,"q_csat":4}}', { 'content-type': '' }],
    ];
    const [kind, body, headers] = r.pick(broken);
    return { kind, method, path, headers: { 'content-type': 'application/json', ...headers }, body };
  }
  if (roll < 0.95) {
    // Encodings: bytes that are not UTF-8, UTF-16, NUL and lone surrogates.
    const enc = new TextEncoder();
    const bytes = (...parts: (string | number[])[]) => {
      const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    };
    const encodings: [string, () => Uint8Array | string][] = [
      ['invalid UTF-8 in a question id', () => bytes('{"answers":{"q_', [0xff, 0xfe], '":5}}')],
      ['overlong UTF-8 in a key', () => bytes('{"answers":{"q_nps', [0xc0, 0xaf], '":5}}')],
      ['invalid UTF-8 outside strings', () => bytes('{"answers":', [0xc3, 0x28], '{"q_nps":9}}')],
      ['UTF-16 body', () => Uint8Array.from(Buffer.from('\ufeff{"answers":{"q_nps":9,"q_csat":4}}', 'utf16le'))],
      ['NUL in a text', () => JSON.stringify({ answers: { q_comment: `good\u0000${r.text(5)}` } })],
      ['NUL in an other text', () => JSON.stringify({ answers: { q_problems: { choices: ['other'], other: 'radio\u0000' } } })],
      ['lone surrogate in a text', () => `{"answers":{"q_comment":"ok \\ud83d ${r.text(3).replace(/["\\\n\t]/g, '')}"}}`],
      ['invalid UTF-8 in a choice id', () => bytes('{"answers":{"q_problems":{"choices":["no_prob', [0xed, 0xa0, 0x80], 'lem"]}}}')],
    ];
    const [kind, make] = r.pick(encodings);
    return { kind, method, path, headers: { 'content-type': 'application/json' }, body: make() };
  }
  // Well-formed answers that a submit must refuse: required questions left out (saves refuse them here too
  // by adding an unknown id, so that every case is a fault for both).
  const partial: Record<string, unknown> = r.pick<Record<string, unknown>>([
    {},
    { q_nps: r.int(0, 10) },
    { q_nps: 8, q_csat: 4 },
    { q_csat: 2, q_problems: { choices: [] } },
  ]);
  return submit
    ? json({ answers: partial }, 'submit without required answers')
    : json({ answers: { ...partial, [`q_extra_${i}`]: 1 } }, 'save with an unknown id');
}

async function counts() {
  const [row] = await t.sql<{ responses: number; answers: number; status: string; opened: string | null }[]>`
    select (select count(*)::int from responses) as responses,
           (select count(*)::int from answers) as answers,
           i.status, i.opened_at::text as opened
    from invitations i join rentals r on r.id = i.rental_id where r.external_id = 'RA-T-1'`;
  return row;
}

beforeAll(async () => {
  // The rate limits would stop a thousand requests on one link within a minute: lifted here, tested elsewhere.
  t = await createTestApp({ env: { RESPOND_RATE_PER_TOKEN: '100000', RESPOND_RATE_PER_IP: '100000' } });
  const template = findTemplate('post-rental');
  if (!template) throw new Error('post-rental template missing');
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: template.definition });
  await publishSurvey(t.db, survey.id);
  const res = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) });
  expect(res.status).toBe(201);
  token = tokenFromLink((await res.json()).invitation.link);
});

describe('malformed saves and submits', () => {
  it(`refuses ${CASES} fuzzed requests with a 4xx problem and stores nothing`, async () => {
    const before = await counts();
    expect(before).toMatchObject({ responses: 0, answers: 0 });
    const r = prng(SEED);
    const accepted: string[] = [];
    const kinds = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(r, i);
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const headers = { ...c.headers };
      if (headers['content-type'] === '') delete headers['content-type'];
      const res = await t.request(c.path, { method: c.method, headers, body: c.body as BodyInit, as: 'anonymous' });
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      if (res.status < 400 || res.status >= 500 || !type.startsWith('application/problem+json')) {
        accepted.push(`#${i} ${c.method} ${c.kind}: ${res.status} ${type} ${text.slice(0, 200)}`);
        continue;
      }
      const problem = JSON.parse(text);
      if (problem.status !== res.status || typeof problem.title !== 'string') accepted.push(`#${i} ${c.kind}: not a problem ${text.slice(0, 200)}`);
      // Faults in the answers name the question they concern.
      if (problem.title === 'Invalid answers' && !(problem.errors?.length > 0 && problem.errors.every((e: { path: unknown }) => typeof e.path === 'string'))) {
        accepted.push(`#${i} ${c.kind}: answer faults without paths ${text.slice(0, 200)}`);
      }
    }
    expect(accepted).toEqual([]);
    // The generator reached every family of faults.
    expect(kinds.size).toBeGreaterThan(45);
    expect(await counts()).toEqual(before);
  });

  it('names the faulty question and the reason, in both languages', async () => {
    const res = await t.request(`/api/respond/${token}`, {
      method: 'PUT',
      json: { answers: { q_nps: 8, q_nps_reason: 'hidden', q_csat: 9, q_booking: { booking_ease: 4, nope: 2 } } },
      as: 'anonymous',
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    const faults = problem.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort();
    expect(faults).toEqual(['q_booking:unknown_item', 'q_csat:out_of_range', 'q_nps_reason:hidden']);
    const csat = problem.errors.find((e: { path: string }) => e.path === 'q_csat');
    expect(csat.messages['zh-CN']).toContain('1 到 5');
    expect(await counts()).toMatchObject({ responses: 0, answers: 0 });
  });

  it('still takes a correct submit on the same link afterwards', async () => {
    const res = await t.request(`/api/respond/${token}/submit`, {
      method: 'POST',
      json: { answers: { q_nps: 4, q_nps_reason: '取车排队太久', q_csat: 3, q_problems: { choices: ['counter_wait', 'other'], other: '收费不透明' } } },
      as: 'anonymous',
    });
    expect(res.status).toBe(200);
    expect((await res.json()).npsCategory).toBe('detractor');
    const after = await counts();
    expect(after).toMatchObject({ responses: 1, answers: 4, status: 'finished' });
  });
});
