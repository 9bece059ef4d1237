// Open feedback links (QR codes per branch): managed by quality managers, printed as QR code and PDF,
// answered without an invitation under the abuse limits (device cookie and client address per day, time on
// page, honeypot), optionally linked to a rental the customer names (verified, never shown back), and
// counted as a channel of their own (channel=open_link) in analytics, outside the invited response rate.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let link: { id: string; slug: string; url: string };

const answers = { q_nps: 9, q_csat: 5, q_problems: { choices: ['no_problem'] } };
const detractor = { q_nps: 3, q_csat: 2, q_problems: { choices: ['no_problem'] } };

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  // Two rentals returned two days ago: one at SH01 (with a phone), one at BJ01.
  const returnedAt = new Date(t.clock.now().getTime() - 48 * 3_600_000);
  const pickedUpAt = new Date(returnedAt.getTime() - 72 * 3_600_000);
  for (const [n, branch] of [
    [1, { code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' }],
    [2, { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }],
  ] as const) {
    const res = await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(n, {
        pickupBranch: branch,
        returnBranch: branch.code,
        pickedUpAt: pickedUpAt.toISOString(),
        returnedAt: returnedAt.toISOString(),
        customer: { externalId: `C-T-${n}`, name: `客户${n}`, email: `c${n}@example.com`, phone: `+86 138 0013 800${n}`, preferredLanguage: 'zh-CN' },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }
});

const create = (body: Record<string, unknown>, as?: Parameters<typeof t.request>[1] extends infer I ? (I extends { as?: infer A } ? A : never) : never) =>
  t.request('/api/open-links', { method: 'POST', json: body, ...(as ? { as } : {}) });

/** Opens the link as a browser would, waits `seconds`, and sends the answers. */
async function answer(
  device: string | null,
  address: string,
  body: Record<string, unknown> = {},
  opts: { seconds?: number; slug?: string } = {},
): Promise<Response> {
  const slug = opts.slug ?? link.slug;
  const session = await t.request(`/api/open/${slug}`, { as: 'anonymous' });
  expect(session.status).toBe(200);
  const { ticket } = await session.json();
  t.clock.advance((opts.seconds ?? 20) * 1000);
  const headers: Record<string, string> = { 'x-forwarded-for': address };
  if (device) headers.cookie = `rs_open_device=${device}`;
  return t.request(`/api/open/${slug}/submit`, { method: 'POST', as: 'anonymous', headers, json: { answers, ticket, ...body } });
}

const device = (n: number) => `device-${String(n).padStart(12, '0')}`;
const openResponses = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from open_link_responses where open_link_id = ${link.id}`)[0].n;

describe('managing open links', () => {
  it('creates one link per survey, branch and tag; checks the branch; only staff who manage distribution', async () => {
    const res = await create({ surveyId, branch: 'SH01', maxPerDevice: 1, maxPerAddress: 3, minSeconds: 5 });
    expect(res.status, await res.clone().text()).toBe(201);
    link = await res.json();
    expect(link.url).toBe(`http://survey.test/s/o/${link.slug}`);
    expect(link.slug).toMatch(/^[A-Za-z0-9_-]{12}$/);

    expect((await create({ surveyId, branch: 'SH01' })).status).toBe(409);
    const tagged = await create({ surveyId, branch: 'SH01', tag: '柜台 2' });
    expect(tagged.status).toBe(201);
    expect((await tagged.json()).tag).toBe('柜台 2');

    const unknown = await create({ surveyId, branch: 'XX99' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].path).toBe('branch');

    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    expect((await create({ surveyId, branch: 'SH01', tag: 'B' }, manager)).status).toBe(403);
    const quality = await t.signIn('quality_manager');
    expect((await create({ surveyId, branch: 'BJ01' }, quality)).status).toBe(201);

    const list = await (await t.request(`/api/open-links?survey=${surveyId}&branch=SH01`)).json();
    expect(list.map((l: { tag: string | null }) => l.tag)).toEqual([null, '柜台 2']);
  });

  it('serves a QR code that decodes to the link, and A4 / A5 / card PDFs with the Chinese font embedded', async () => {
    const png = await t.request(`/api/open-links/${link.id}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(link.url);

    const a5 = await t.request(`/api/open-links/${link.id}/print.pdf?format=a5`);
    expect(a5.status).toBe(200);
    expect(a5.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await a5.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toMatch(/\/MediaBox \[0 0 419\.53 595\.28\]/);
    // The subset of Noto Sans SC that carries 上海虹桥机场店 is embedded (PDFKit names it XXXXXX+NotoSansSC-…).
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect((await t.request(`/api/open-links/${link.id}/print.pdf?format=b5`)).status).toBe(400);
  });
});

describe('answering an open link', () => {
  it('opens without an invitation, in the language asked for, with the branch piped in', async () => {
    const res = await t.request(`/api/open/${link.slug}?locale=en`, { as: 'anonymous' });
    const session = await res.json();
    expect(session.locale).toBe('en');
    expect(session.branch).toEqual({ code: 'SH01', name: '上海虹桥机场店', nameEn: null });
    expect(session.ticket).toMatch(/^\d+\.[A-Za-z0-9_-]{32}$/);
    expect((await t.request('/api/open/AAAAAAAAAAAA', { as: 'anonymous' })).status).toBe(404);
  });

  it('refuses answers sent too soon after opening, without the device cookie, or with a forged ticket', async () => {
    const before = await openResponses();
    const fast = await answer(device(1), '10.0.0.1', {}, { seconds: 2 });
    expect(fast.status).toBe(400);
    expect((await fast.json()).errors[0].code).toBe('too_fast');
    expect((await answer(null, '10.0.0.1')).status).toBe(400);
    const forged = await t.request(`/api/open/${link.slug}/submit`, {
      method: 'POST',
      as: 'anonymous',
      headers: { cookie: `rs_open_device=${device(1)}` },
      json: { answers, ticket: `${t.clock.now().getTime() - 60_000}.${'A'.repeat(32)}` },
    });
    expect(forged.status).toBe(400);
    expect(await openResponses()).toBe(before);
  });

  it('drops a honeypot answer silently', async () => {
    const before = await openResponses();
    const res = await answer(device(2), '10.0.0.2', { website: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(await openResponses()).toBe(before);
  });

  it('takes one answer per device per day and three per address, counted in PostgreSQL', async () => {
    t.clock.set('2026-06-02T02:00:00Z'); // 10:00 in Shanghai
    const before = await openResponses();
    expect((await answer(device(10), '10.1.1.1')).status).toBe(200);
    const again = await answer(device(10), '10.1.1.1');
    expect(again.status).toBe(429);
    expect((await again.json()).reason).toBe('device_limit');
    // Other devices behind the same address: the third is still taken, the fourth is not.
    expect((await answer(device(11), '10.1.1.1')).status).toBe(200);
    expect((await answer(device(12), '10.1.1.1')).status).toBe(200);
    const fourth = await answer(device(13), '10.1.1.1');
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).reason).toBe('address_limit');
    expect(await openResponses()).toBe(before + 3);

    // Counters hold hashes, never the address or cookie, and count only what was taken.
    const counters = await t.sql<{ kind: string; key_hash: string; answers: number }[]>`
      select kind, key_hash, answers from open_link_counters where open_link_id = ${link.id} and day = '2026-06-02' order by kind, answers desc`;
    expect(counters.find((c) => c.kind === 'address')?.answers).toBe(3);
    expect(counters.filter((c) => c.kind === 'device').map((c) => c.answers)).toEqual([1, 1, 1]);
    expect(counters.every((c) => /^[0-9a-f]{64}$/.test(c.key_hash))).toBe(true);

    // The next company day (Shanghai midnight is 16:00 UTC) the device may answer again.
    t.clock.set('2026-06-02T16:00:30Z');
    expect((await answer(device(10), '10.1.1.1')).status).toBe(200);
  });

  it('links an answer to the rental it names (number or phone) of this branch, and never says whether it matched', async () => {
    const rentals = await t.sql<
      { id: string; external_id: string; customer_id: string }[]
    >`select id, external_id, customer_id from rentals order by external_id`;
    const sh = rentals.find((r) => r.external_id === 'RA-T-1')!;

    const byNumber = await answer(device(20), '10.2.0.1', { rentalRef: 'RA-T-1' });
    const byPhone = await answer(device(21), '10.2.0.2', { rentalRef: '138-0013-8001' });
    const otherBranch = await answer(device(22), '10.2.0.3', { rentalRef: 'RA-T-2' });
    const wrong = await answer(device(23), '10.2.0.4', { rentalRef: 'RA-NOPE-9' });
    const bodies = await Promise.all([byNumber, byPhone, otherBranch, wrong].map((r) => r.json()));
    // Same answer whether it matched or not: nothing about the rental comes back.
    for (const body of bodies) expect(body).toEqual({ status: 'finished', npsCategory: 'promoter', shareUrl: null });

    const rows = await t.sql<{ rental_id: string | null; customer_id: string | null; rental_verified: boolean }[]>`
      select r.rental_id, r.customer_id, o.rental_verified
      from open_link_responses o join responses r on r.id = o.response_id
      where o.open_link_id = ${link.id} order by r.finished_at desc limit 4`;
    // newest first: wrong, other branch, phone, number
    expect(rows.map((r) => r.rental_verified)).toEqual([false, false, true, true]);
    expect(rows[2]).toMatchObject({ rental_id: sh.id, customer_id: sh.customer_id });
    expect(rows[3]).toMatchObject({ rental_id: sh.id, customer_id: sh.customer_id });
    expect(rows[0]).toMatchObject({ rental_id: null, customer_id: null });
  });

  it('says a closed link is not available', async () => {
    const closed = await create({ surveyId, branch: 'SH01', tag: 'closed' });
    const { id, slug } = await closed.json();
    expect((await t.request(`/api/open-links/${id}`, { method: 'PATCH', json: { active: false } })).status).toBe(200);
    expect((await t.request(`/api/open/${slug}`, { as: 'anonymous' })).status).toBe(404);
  });
});

describe('open-link answers in analytics', () => {
  it('are the channel open_link, can be left out of the figures, and stay out of the invited response rate', async () => {
    // One invited answer (a detractor) next to the open-link answers so far.
    const rental = await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(3, {
        pickedUpAt: new Date(t.clock.now().getTime() - 96 * 3_600_000).toISOString(),
        returnedAt: new Date(t.clock.now().getTime() - 24 * 3_600_000).toISOString(),
        bookingChannel: 'web',
      }),
    });
    const token = tokenFromLink((await rental.json()).invitation.link);
    expect((await t.request(`/api/respond/${token}`, { method: 'PUT', as: 'anonymous', json: { answers: { q_nps: 3 } } })).status).toBe(200);
    const submitted = await t.request(`/api/respond/${token}/submit`, { method: 'POST', as: 'anonymous', json: { answers: detractor } });
    expect(submitted.status, await submitted.clone().text()).toBe(200);

    const open = await openResponses();
    const bj = (
      await t.sql<
        { n: number }[]
      >`select count(*)::int as n from open_link_responses o join open_links l on l.id = o.open_link_id where l.branch_id = (select id from branches where code = 'BJ01')`
    )[0].n;
    expect(open).toBe(8); // 3 + 1 (next day) + 4 (rental references)
    expect(bj).toBe(0);

    const summary = async (params: string) => {
      const res = await t.request(`/api/analytics/summary?survey=${surveyId}&${params}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json();
    };
    const all = await summary('groupBy=channel');
    expect(all.total.responses).toBe(9);
    const byChannel = Object.fromEntries(all.groups.map((g: { key: string; responses: number }) => [g.key, g.responses]));
    expect(byChannel).toEqual({ open_link: 8, web: 1 });
    // 8 promoters and 1 detractor of 9: NPS (8 − 1) / 9 = 77.8
    expect(all.total.nps.score).toBeCloseTo(77.78, 1);

    const onlyOpen = await summary('channel=open_link');
    expect(onlyOpen.total.responses).toBe(8);
    expect(onlyOpen.total.nps.score).toBe(100);
    // A booking channel never takes open-link answers, even those linked to a rental booked in the app.
    expect((await summary('channel=app')).total.responses).toBe(0);
    const excluded = await summary('openLinks=exclude');
    expect(excluded.total.responses).toBe(1);
    // One response is under the survey's minimum group size: counts only.
    expect(excluded.total.nps).toMatchObject({ n: 1, promoters: 0, detractors: 1 });

    const options = await (await t.request(`/api/analytics/filter-options?survey=${surveyId}`)).json();
    expect(options.channels).toContain('open_link');

    // The invited response rate: 1 finished of the 3 invitations sent (open answers are no invitation).
    const funnel = await (await t.request(`/api/analytics/funnel?survey=${surveyId}`)).json();
    expect(funnel.total.finished).toBe(1);
    expect(funnel.total.responseRate).toBeCloseTo(funnel.total.sent > 0 ? 1 / funnel.total.sent : 0, 6);
    const delivery = await (await t.request(`/api/distribution/funnel?survey=${surveyId}`)).json();
    expect(delivery.total.finished).toBe(1);

    const listed = (await (await t.request(`/api/open-links?survey=${surveyId}&branch=SH01`)).json()).find((l: { id: string }) => l.id === link.id);
    expect(listed).toMatchObject({ answers: 8, linkedToRental: 2 });
  });
});
