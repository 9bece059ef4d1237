// Brands against a real PostgreSQL, a real SMTP server and a local SMS provider: colours checked for WCAG AA
// contrast on save (problem+json naming the field), logos checked by size and type and served, branches given
// a brand, invitations sent in the brand's look and name (never the product's), the survey link's brand,
// and analytics filtered and grouped by brand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio } from '../../api/src/brands/brands.contrast.ts';
import type { DistributionWorker } from '../../api/src/distribution/worker.ts';
import type { PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData, type TestData } from '../support/analytics-data.ts';
import { startTestDistribution, stopTestDistribution } from '../support/distribution.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { startSmsProvider, type TestSmsProvider } from '../support/sms-provider.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let sms: TestSmsProvider;
let boss: PgBoss;
let worker: DistributionWorker;
let analyticsSurvey: string;
let data: TestData;
const clock = testClock('2026-06-01T10:00:00Z');

const CITY = {
  code: 'CITY',
  name: '城市租车',
  nameEn: 'City Rent',
  primaryColor: '#004b87',
  onPrimaryColor: '#ffffff',
  senderName: 'City Rent 客服',
  senderEmail: 'care@cityrent.test',
  smsSender: 'CityRent',
  legalFooter: '城市租车有限公司 · 上海市长宁区 1 号',
  legalFooterEn: 'City Rent Ltd · 1 Changning Road, Shanghai',
};

/** A PNG header (signature and IHDR) of the given size, padded to `bytes`. */
function png(width: number, height: number, bytes = 64): Uint8Array {
  const out = new Uint8Array(bytes);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return out;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  sms = await startSmsProvider();
  t = await createTestApp({
    clock,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Customer Care <survey@rental.test>',
      SMS_PROVIDER_URL: sms.url,
      SMS_PROVIDER_SECRET: sms.secret,
      TOKEN_SECRET: 'brands-test-secret-0123456789abcdef01',
      EMAIL_RATE_PER_SECOND: '1000',
      SMS_RATE_PER_SECOND: '1000',
    },
  });
  ({ boss, worker } = await startTestDistribution(t));
});

afterAll(async () => {
  await stopTestDistribution(worker, boss);
  await smtp?.close();
  await sms?.close();
});

async function createBrand(body: Record<string, unknown>) {
  const res = await t.request('/api/brands', { method: 'POST', json: body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

describe('brand colours', () => {
  it('computes WCAG contrast ratios (#767676 on white 4.54:1 passes AA, #777777 4.48:1 does not)', () => {
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.5422, 4);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.4781, 4);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#004b87', '#ffcc00')).toBeCloseTo(5.8945, 4);
  });

  it('refuses colours that break AA contrast with problem+json naming the field, and saves nothing', async () => {
    const pale = await createBrand({ ...CITY, primaryColor: '#777777' });
    expect(pale.status).toBe(400);
    expect(pale.type).toContain('application/problem+json');
    // #777777 fails on the white page and under its white text alike: both fields are named.
    expect(pale.body.errors).toEqual([
      expect.objectContaining({ path: 'primaryColor', code: 'contrast', params: { ratio: 4.48, required: 4.5 } }),
      expect.objectContaining({ path: 'onPrimaryColor', code: 'contrast', params: { ratio: 4.48, required: 4.5 } }),
    ]);

    const grey = await createBrand({ ...CITY, onPrimaryColor: '#7a7a7a' });
    expect(grey.status).toBe(400);
    expect(grey.body.errors.map((e: { path: string }) => e.path)).toEqual(['onPrimaryColor']);
    expect(grey.body.errors[0].params.ratio).toBe(2.08);

    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from brands`;
    expect(n).toBe(0);
    // The boundary passes.
    const boundary = await createBrand({ ...CITY, code: 'GREY', primaryColor: '#767676' });
    expect(boundary.status).toBe(201);
    expect((await t.request(`/api/brands/${boundary.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('checks an update against the colour it leaves unchanged', async () => {
    const created = await createBrand(CITY);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'CITY', primaryColor: '#004b87', logoUrl: null, branches: [] });
    // #ffcc00 on #004b87 is 5.89:1 (fine) but on the white page only 1.5:1.
    const res = await t.request(`/api/brands/${created.body.id}`, { method: 'PATCH', json: { primaryColor: '#ffcc00' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors.map((e: { path: string }) => e.path)).toEqual(['primaryColor', 'onPrimaryColor']);
    const ok = await t.request(`/api/brands/${created.body.id}`, { method: 'PATCH', json: { legalFooter: CITY.legalFooter } });
    expect(ok.status).toBe(200);
  });
});

describe('brand logos', () => {
  const brandId = async () => (await t.sql<{ id: string }[]>`select id from brands where code = 'CITY'`)[0].id;
  const upload = async (bytes: Uint8Array, type: string) =>
    t.request(`/api/brands/${await brandId()}/logo`, { method: 'PUT', body: Buffer.from(bytes), headers: { 'content-type': type } });

  it('refuses files that are too large, not raster images or too big in pixels, naming the logo field', async () => {
    const large = await upload(png(100, 40, 200 * 1024 + 1), 'image/png');
    expect(large.status).toBe(413);
    expect(((await large.json()) as any).errors[0]).toMatchObject({ path: 'logo', code: 'too_large' });

    const svg = await upload(new TextEncoder().encode('<svg><script>alert(1)</script></svg>'), 'image/png');
    expect(svg.status).toBe(415);
    expect(((await svg.json()) as any).errors[0]).toMatchObject({ path: 'logo', code: 'type' });

    const wide = await upload(png(2000, 40), 'image/png');
    expect(wide.status).toBe(400);
    expect(((await wide.json()) as any).errors[0]).toMatchObject({ path: 'logo', code: 'dimensions' });
    const [row] = await t.sql<{ logo: Buffer | null }[]>`select logo from brands where code = 'CITY'`;
    expect(row.logo).toBeNull();
  });

  it('stores a PNG in PostgreSQL and serves it publicly with its type', async () => {
    const image = png(120, 40);
    const res = await upload(image, 'image/png');
    expect(res.status).toBe(200);
    const brand = (await res.json()) as any;
    expect(brand.logoUrl).toMatch(new RegExp(`^/api/brands/${brand.id}/logo\\?v=\\d+$`));
    const served = await t.request(brand.logoUrl, { as: 'anonymous' });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image);
  });
});

describe('branches of a brand in what customers receive', () => {
  let cityToken: string;
  let plainToken: string;

  it('sends the invitation e-mail from the brand, in its colours, with its logo and legal footer and no product name', async () => {
    const first = await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) });
    expect(first.status).toBe(201);
    const branch = (await t.sql<{ id: string }[]>`select id from branches where code = 'SH01'`)[0];
    const brand = (await t.sql<{ id: string }[]>`select id from brands where code = 'CITY'`)[0];
    const assign = await t.request(`/api/branches/${branch.id}/brand`, { method: 'PUT', json: { brandId: brand.id } });
    expect(assign.status).toBe(200);
    const listed = (await (await t.request('/api/brands')).json()) as any[];
    expect(listed.find((b) => b.code === 'CITY').branches).toEqual([{ id: branch.id, code: 'SH01' }]);

    cityToken = tokenFromLink(((await first.json()) as any).invitation.link);
    await worker.runOnce();
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.headers.get('from')).toContain('care@cityrent.test');
    expect(mail.headers.get('from')).toContain('City Rent');
    expect(mail.html).toContain('background:#004b87;color:#ffffff');
    expect(mail.html).toMatch(/<img src="http:\/\/survey\.test\/api\/brands\/[0-9a-f-]+\/logo\?v=\d+" alt="城市租车"/);
    expect(mail.html).toContain('城市租车有限公司 · 上海市长宁区 1 号');
    expect(mail.text).toContain('城市租车有限公司 · 上海市长宁区 1 号');
    for (const part of [mail.html, mail.text, mail.subject, mail.headers.get('from') ?? '']) {
      expect(part).not.toMatch(/powered by|rental satisfaction|租车客户满意度/i);
    }
  });

  it('sends the SMS under the brand as sender, without a product name', async () => {
    const res = await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(2, { customer: { externalId: 'C-T-2', name: '客户2', phone: '+86 138 0000 0002', consentSms: true, preferredLanguage: 'zh-CN' } }),
    });
    expect(res.status).toBe(201);
    await worker.runOnce();
    expect(sms.messages).toHaveLength(1);
    const message = sms.messages[0] as (typeof sms.messages)[number] & { sender?: string };
    expect(message.sender).toBe('CityRent');
    expect(message.text).not.toMatch(/powered by|rental satisfaction|租车客户满意度/i);
  });

  it('sends invitations of a branch without a brand from MAIL_FROM in the neutral look', async () => {
    const res = await t.request('/api/rentals', {
      method: 'POST',
      json: rentalPayload(3, { pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' }),
    });
    plainToken = tokenFromLink(((await res.json()) as any).invitation.link);
    await worker.runOnce();
    expect(smtp.messages).toHaveLength(2);
    const mail = smtp.messages[1];
    expect(mail.headers.get('from')).toContain('survey@rental.test');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('城市租车');
  });

  it("gives the survey link its branch's brand (public, no sender or code) and null otherwise", async () => {
    const city = await t.request(`/api/respond/${cityToken}/brand`, { as: 'anonymous' });
    expect(city.status).toBe(200);
    const body = (await city.json()) as any;
    expect(body.brand).toMatchObject({
      name: '城市租车',
      nameEn: 'City Rent',
      primaryColor: '#004b87',
      onPrimaryColor: '#ffffff',
      legalFooterEn: CITY.legalFooterEn,
    });
    expect(body.brand.logoUrl).toMatch(/^\/api\/brands\//);
    expect(Object.keys(body.brand)).not.toContain('senderEmail');
    const plain = await t.request(`/api/respond/${plainToken}/brand`, { as: 'anonymous' });
    expect(((await plain.json()) as any).brand).toBeNull();
    const unknown = await t.request('/api/respond/AAAAAAAAAAAAAAAAAAAAAA/brand', { as: 'anonymous' });
    expect(((await unknown.json()) as any).brand).toBeNull();
  });

  it('refuses to delete a brand that still has branches, and only admins manage brands', async () => {
    const brand = (await t.sql<{ id: string }[]>`select id from brands where code = 'CITY'`)[0];
    expect((await t.request(`/api/brands/${brand.id}`, { method: 'DELETE' })).status).toBe(409);
    const quality = await t.signIn('quality_manager');
    expect((await t.request('/api/brands', { as: quality })).status).toBe(403);
  });
});

describe('analytics by brand', () => {
  beforeAll(async () => {
    const survey = await createSurvey(t.db, { name: 'Analytics', kind: 'post_rental', definition: analyticsDefinition });
    const version = await publishSurvey(t.db, survey.id);
    analyticsSurvey = survey.id;
    // The generated data brings its own branches (SH01 exists already: take the data's codes under other names).
    await t.sql`update branches set code = 'X' || code where code in ('SH01', 'BJ01')`;
    data = await insertAnalyticsData(t.sql, { surveyId: survey.id, versionId: version.id }, generateAnalyticsData(7, 300));
    const city = (await t.sql<{ id: string }[]>`select id from brands where code = 'CITY'`)[0];
    const sea = await createBrand({ ...CITY, code: 'SEA', name: '海岸租车', nameEn: 'Coast Rent', primaryColor: '#c8102e' });
    await t.sql`update branches set brand_id = ${city.id} where code in ('SH01', 'SH02')`;
    await t.sql`update branches set brand_id = ${sea.body.id} where code in ('BJ01', 'BJ02')`;
  });

  const summary = async (params: Record<string, string>) => {
    const res = await t.request(`/api/analytics/summary?${new URLSearchParams({ survey: analyticsSurvey, ...params })}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('groups by brand with the top-2 and top-box of exactly its branches', async () => {
    const { status, body } = await summary({ groupBy: 'brand', lang: 'en' });
    expect(status).toBe(200);
    const finished = data.responses.filter((r) => r.status === 'finished');
    const byBrand = { CITY: ['SH01', 'SH02'], SEA: ['BJ01', 'BJ02'], unknown: ['GZ01'] } as const;
    for (const [key, codes] of Object.entries(byBrand)) {
      const rs = finished.filter((r) => (codes as readonly string[]).includes(r.branch));
      const group = body.groups.find((g: { key: string }) => g.key === key);
      if (rs.length === 0) {
        expect(group).toBeUndefined();
        continue;
      }
      expect(group.responses).toBe(rs.length);
      const answered = rs.map((r) => r.answers.csat).filter((v): v is number => v !== null);
      if (group.suppressed) continue;
      expect(group.csat.top2).toBeCloseTo((100 * answered.filter((v) => v >= 4).length) / answered.length, 9);
      expect(group.csat.topBox).toBeCloseTo((100 * answered.filter((v) => v === 5).length) / answered.length, 9);
      expect(group.csat.topBox).toBeLessThanOrEqual(group.csat.top2);
    }
    expect(body.groups.find((g: { key: string }) => g.key === 'CITY').label).toBe('City Rent');
    // The segments page's other calls group by brand as well.
    for (const endpoint of ['compare', 'funnel']) {
      const res = await t.request(`/api/analytics/${endpoint}?${new URLSearchParams({ survey: analyticsSurvey, groupBy: 'brand' })}`);
      expect(res.status).toBe(200);
      const groups = ((await res.json()) as any).groups.map((g: { key: string }) => g.key);
      if (endpoint === 'compare') expect(groups).toEqual(expect.arrayContaining(['CITY', 'SEA']));
    }
  });

  it('filters by brand (the same as filtering by its branches), lists brands as filter options, and names an unknown brand', async () => {
    const byBrand = await summary({ brand: 'SEA' });
    const byBranches = await t.request(
      `/api/analytics/summary?${new URLSearchParams([
        ['survey', analyticsSurvey],
        ['branch', 'BJ01'],
        ['branch', 'BJ02'],
      ])}`,
    );
    const expected = (await byBranches.json()) as any;
    expect(byBrand.body.total.responses).toBe(expected.total.responses);
    expect(byBrand.body.total.nps.score).toBeCloseTo(expected.total.nps.score, 9);
    expect(byBrand.body.total.csat.topBox).toBeCloseTo(expected.total.csat.topBox, 9);

    const unknown = await summary({ brand: 'NOPE' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'brand' })]);

    const options = await t.request(`/api/analytics/filter-options?survey=${analyticsSurvey}&lang=en`);
    const body = (await options.json()) as any;
    expect(body.brands).toEqual([
      { key: 'CITY', label: 'City Rent' },
      { key: 'SEA', label: 'Coast Rent' },
    ]);
  });
});
