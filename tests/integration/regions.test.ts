// Regions against a real PostgreSQL and a real SMTP server on loopback: free-text regions become region rows,
// admins manage regions (API and CSV), branches take a region by id or code, and a breached case of a branch
// escalates to the regional-manager accounts of its region (e-mail, and the case in their list).
import { findTemplate } from '@rs/survey-templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTick } from '../../api/src/cases/cases.jobs.ts';
import { evaluateResponseRules } from '../../api/src/cases/evaluate.ts';
import { closeCaseMail } from '../../api/src/cases/mail.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

const H = 3_600_000;
const clock = testClock('2026-06-01T02:00:00Z');
let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let surveyId: string;
let rentalNo = 0;
const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
const csv = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'text/csv' } });

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Customer Care <care@rental.test>' } });
  const template = findTemplate('post-rental')!;
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: template.definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
});

afterAll(async () => {
  await closeCaseMail();
  await smtp.close();
});

async function invite(pickupBranch: { code: string; name: string; city: string; region: string }) {
  const n = ++rentalNo;
  const returnedAt = new Date(clock.now().getTime() - 12 * H);
  const json = rentalPayload(n, {
    pickupBranch,
    returnBranch: pickupBranch.code,
    pickedUpAt: new Date(returnedAt.getTime() - 72 * H).toISOString(),
    returnedAt: returnedAt.toISOString(),
  });
  const res = await t.request('/api/rentals', { method: 'POST', json });
  expect(res.status).toBe(201);
  return tokenFromLink((await res.json()).invitation.link);
}

async function regionalManager(email: string, regionCodes: string[]) {
  const user = await t.signIn('regional_manager', { email });
  const regionIds = (await t.sql<{ id: string }[]>`select id from regions where code = any(${regionCodes}::text[])`).map((r) => r.id);
  const res = await t.request(`/api/users/${user.userId}`, { method: 'PATCH', json: { regionIds } });
  expect(res.status).toBe(200);
  return user;
}

describe('regions of branches', () => {
  it('come from the free text rental imports and older writers give, and keep the region filter equal', async () => {
    await invite({ code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' });
    await t.sql`insert into branches (code, name, city, region) values ('HZ01', '杭州东站店', '杭州', '华东'), ('BJ01', '北京首都机场店', '北京', '华北')`;
    const regions = await t.sql<{ code: string; name: string; branches: string[] }[]>`
      select r.code, r.name, array_agg(b.code order by b.code) as branches from regions r join branches b on b.region_id = r.id group by r.code, r.name order by r.code`;
    expect(regions).toEqual([
      { code: '华东', name: '华东', branches: ['HZ01', 'SH01'] },
      { code: '华北', name: '华北', branches: ['BJ01'] },
    ]);
    // The analytics region filter still reads branches.region.
    const ok = await t.request(`/api/analytics/summary?survey=${surveyId}&region=${encodeURIComponent('华东')}`);
    expect(ok.status).toBe(200);
  });

  it('are managed by admins: create, rename, refuse duplicates, delete only when empty', async () => {
    const created = await t.request('/api/regions', { method: 'POST', json: { code: 'SW', name: '西南区', nameEn: 'Southwest China' } });
    expect(created.status).toBe(201);
    const sw = await created.json();
    expect(sw).toMatchObject({ code: 'SW', name: '西南区', nameEn: 'Southwest China', active: true, branchCount: 0 });
    expect((await t.request('/api/regions', { method: 'POST', json: { code: 'SW', name: 'x' } })).status).toBe(409);
    const badCode = await t.request('/api/regions', { method: 'POST', json: { code: 'a,b', name: 'x' } });
    expect(badCode.status).toBe(400);
    expect((await badCode.json()).errors[0].path).toBe('code');

    const [{ id: east }] = await t.sql`select id from regions where code = '华东'`;
    const renamed = await t.request(`/api/regions/${east}`, { method: 'PATCH', json: { name: '华东区', nameEn: 'East China' } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ code: '华东', name: '华东区', nameEn: 'East China', branchCount: 2 });

    // A branch given a region id takes the region's code; an unknown id is refused and nothing is written.
    const branch = await t.request('/api/branches', { method: 'POST', json: { code: 'CD01', name: '成都双流机场店', city: '成都', regionId: sw.id } });
    expect(branch.status).toBe(201);
    expect(await branch.json()).toMatchObject({ region: 'SW', regionId: sw.id });
    const unknown = await t.request('/api/branches', {
      method: 'POST',
      json: { code: 'CD02', name: 'x', city: 'x', regionId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors[0].path).toBe('regionId');
    expect(await t.sql`select 1 from branches where code = 'CD02'`).toHaveLength(0);

    expect((await t.request(`/api/regions/${sw.id}`, { method: 'DELETE' })).status).toBe(409);
    const [{ id: cd01 }] = await t.sql`select id from branches where code = 'CD01'`;
    const moved = await t.request(`/api/branches/${cd01}`, { method: 'PATCH', json: { regionId: east } });
    expect(await moved.json()).toMatchObject({ region: '华东', regionId: east });
    expect((await t.request(`/api/regions/${sw.id}`, { method: 'DELETE' })).status).toBe(204);

    const quality = await t.signIn('quality_manager');
    expect((await t.request('/api/regions', { method: 'POST', json: { code: 'X', name: 'x' }, as: quality })).status).toBe(403);
    expect((await t.request('/api/regions/import', { ...csv('code,name\nX,x\n'), as: quality })).status).toBe(403);
  });

  it('are imported from CSV all or nothing, naming every bad row', async () => {
    const bad = await t.request(
      '/api/regions/import',
      csv('code,name,name_en,active\nNE,东北区,Northeast China,yes\nNE,again,,\n,无代码,,\nNW,西北区,,maybe\n'),
    );
    expect(bad.status).toBe(422);
    const problem = await bad.json();
    expect(problem.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    expect(await t.sql`select 1 from regions where code = 'NE'`).toHaveLength(0);

    const good = await t.request(
      '/api/regions/import',
      csv('\uFEFFcode,name,name_en,active\nNE,东北区,Northeast China,yes\n华东,华东区,East China,true\nNW,西北区,,否\n'),
    );
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ rows: 3, created: 2, updated: 0, unchanged: 1 });
    const rows = await t.sql`select code, name, name_en, active from regions where code in ('NE', 'NW') order by code`;
    expect(rows).toEqual([
      { code: 'NE', name: '东北区', name_en: 'Northeast China', active: true },
      { code: 'NW', name: '西北区', name_en: null, active: false },
    ]);
  });

  it('are listed to a regional manager as theirs only, with their branches', async () => {
    const east = await regionalManager('east.viewer@rental.test', ['华东']);
    const list = await (await t.request('/api/regions', { as: east })).json();
    expect(list.map((r: { code: string; branchCount: number }) => [r.code, r.branchCount])).toEqual([['华东', 3]]);
    const me = await (await t.request('/api/auth/me', { as: east })).json();
    expect(me.branches.map((b: { code: string }) => b.code)).toEqual(['CD01', 'HZ01', 'SH01']);
    // A regional manager needs a region.
    const none = await t.request('/api/users', { method: 'POST', json: { email: 'nobody.region@rental.test', name: 'x', role: 'regional_manager' } });
    expect(none.status).toBe(400);
    expect((await none.json()).errors[0].path).toBe('regionIds');
    // Their roll-up is refused for another region.
    expect((await t.request(`/api/regions/${encodeURIComponent('华北')}/rollup?survey=${surveyId}`, { as: east })).status).toBe(404);
    expect((await t.request(`/api/regions/${encodeURIComponent('华东')}/rollup?survey=${surveyId}`, { as: east })).status).toBe(200);
  });
});

describe('a breached case of a branch', () => {
  let first: Credentials & { userId: string; email: string };
  let second: Credentials & { userId: string; email: string };
  let north: Credentials & { userId: string; email: string };

  it('escalates to the regional managers of its region as users, by e-mail and in their case list', async () => {
    first = await regionalManager('east.one@rental.test', ['华东']);
    second = await regionalManager('east.two@rental.test', ['华东', '华北']);
    north = await regionalManager('north.only@rental.test', ['华北']);
    // The contact configured for the region before regional managers had accounts: the accounts come first.
    expect(
      (
        await t.request('/api/escalation-contacts', {
          method: 'POST',
          json: { level: 'regional_manager', region: '华东', name: '旧联系人', email: 'east.contact@rental.test' },
        })
      ).status,
    ).toBe(201);
    await t.signIn('branch_manager', { branches: ['HZ01'], email: 'hz.manager@rental.test' });
    const rule = await t.request('/api/alert-rules', {
      method: 'POST',
      json: { surveyId, name: '贬损者', priority: 'high', triggers: [{ type: 'nps_at_most', value: 6 }] },
    });
    expect(rule.status).toBe(201);

    const start = clock.now();
    const token = await invite({ code: 'HZ01', name: '杭州东站店', city: '杭州', region: '华东' });
    const submitted = await t.request(`/api/respond/${token}/submit`, {
      method: 'POST',
      json: { answers: { q_nps: 2, q_nps_reason: '柜台排队太久', q_csat: 1, q_problems: { choices: ['counter_wait'] } } },
      as: 'anonymous',
    });
    expect(submitted.status).toBe(200);
    const { responseId } = await submitted.json();
    await evaluateResponseRules(t.deps, { responseId });
    const [kase] = await t.sql`select id, number, escalation_level from cases where response_id = ${responseId}`;
    expect(kase.escalation_level).toBe(0);

    clock.set(new Date(start.getTime() + 24 * H + 60_000));
    await caseTick(t.deps);
    const [after] = await t.sql`select escalation_level, escalated_to_email from cases where id = ${kase.id}`;
    expect(after).toEqual({ escalation_level: 1, escalated_to_email: 'east.one@rental.test' });

    const subject = (m: { subject: string }) => m.subject.includes(`#${kase.number}`) && m.subject.includes('工单已升级给您');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(mailsTo(first.email).some(subject) && mailsTo(second.email).some(subject))) await new Promise((r) => setTimeout(r, 50));
    expect(mailsTo(first.email).filter(subject)).toHaveLength(1);
    expect(mailsTo(second.email).filter(subject)).toHaveLength(1);
    expect(mailsTo(north.email).filter(subject)).toHaveLength(0);
    expect(mailsTo('east.contact@rental.test').filter(subject)).toHaveLength(0);

    // In the case list: the first as "mine" (escalated to them), both in their region's cases; not in another region's.
    const mine = await (await t.request('/api/cases?mine=true', { as: await t.sessionFor(first.userId) })).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([kase.id]);
    const seconds = await (await t.request('/api/cases', { as: await t.sessionFor(second.userId) })).json();
    expect(seconds.items.map((i: { id: string }) => i.id)).toContain(kase.id);
    const norths = await (await t.request('/api/cases', { as: await t.sessionFor(north.userId) })).json();
    expect(norths.items.map((i: { id: string }) => i.id)).not.toContain(kase.id);
    expect((await t.request(`/api/cases/${kase.id}`, { as: await t.sessionFor(north.userId) })).status).toBe(404);
    // The regional manager works the case.
    const contact = await t.request(`/api/cases/${kase.id}/contacts`, {
      method: 'POST',
      as: await t.sessionFor(first.userId),
      json: { channel: 'call', body: '已致电客户' },
    });
    expect(contact.status).toBe(201);
  });
});
