// Complaints from every channel against a real PostgreSQL and a real SMTP server on loopback: staff find the
// customer and rental (by phone, email or rental number, in the body), open a case with a description,
// category and attachments; it gets the owner, time limits, escalation and follow-up survey of a
// survey-raised case; the case metrics show the share per channel and the golden first-contact hit rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTick } from '../../api/src/cases/cases.jobs.ts';
import { sendFollowUpSurvey } from '../../api/src/cases/follow-up.ts';
import { closeCaseMail } from '../../api/src/cases/mail.ts';
import { rentalPayload } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

const MIN = 60_000;
const H = 60 * MIN;

let smtp: TestSmtpServer;
const clock = testClock('2026-06-01T02:00:00Z');
let t: Awaited<ReturnType<typeof createTestApp>>;
let shManager: Credentials & { userId: string; email: string };
let bjManager: Credentials & { userId: string; email: string };
const branchIds: Record<string, string> = {};
let rentalSh: { id: string; customerId: string };
let rentalOther: { id: string };

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
async function req(path: string, init: RequestInit & { json?: unknown; who?: { userId: string } } = {}): Promise<JsonResponse> {
  const { who, ...rest } = init;
  return (await t.request(path, { ...rest, as: await t.sessionFor((who ?? t.admin!).userId) })) as JsonResponse;
}

async function rental(n: number, overrides: Record<string, unknown>) {
  const returnedAt = new Date(clock.now().getTime() - 12 * H);
  const res = await req('/api/rentals', {
    method: 'POST',
    json: rentalPayload(n, { pickedUpAt: new Date(returnedAt.getTime() - 48 * H).toISOString(), returnedAt: returnedAt.toISOString(), ...overrides }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).rentalId as string;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Customer Care <care@rental.test>' } });
  const customer = { externalId: 'C-ZHANG', name: '张伟', email: 'zhang.wei@example.com', phone: '+86 138 1234 5678', preferredLanguage: 'zh-CN' };
  rentalSh = { id: await rental(1, { externalId: 'RA-1001', customer }), customerId: '' };
  rentalOther = {
    id: await rental(2, { externalId: 'RA-2002', pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' }),
  };
  await rental(3, { externalId: 'RA-3003', pickupBranch: { code: 'GZ01', name: '广州白云机场店', city: '广州', region: '华南' }, returnBranch: 'GZ01' });
  for (const b of await t.sql<{ id: string; code: string }[]>`select id, code from branches`) branchIds[b.code] = b.id;
  [{ id: rentalSh.customerId }] = await t.sql<{ id: string }[]>`select customer_id as id from rentals where id = ${rentalSh.id}`;
  shManager = await t.signIn('branch_manager', { branches: ['SH01'], email: 'sh.manager@rental.test' });
  bjManager = await t.signIn('branch_manager', { branches: ['BJ01'], email: 'bj.manager@rental.test' });
  const contact = { level: 'regional_manager', region: '华东', name: '华东区域经理', email: 'east.region@rental.test' };
  expect((await req('/api/escalation-contacts', { method: 'POST', json: contact })).status).toBe(201);
});

afterAll(async () => {
  await closeCaseMail();
  await smtp.close();
});

describe('looking up the customer', () => {
  it('finds them by phone in any spacing, masked for a branch manager and whole for an administrator', async () => {
    const asManager = await req('/api/cases/complaints/lookup', { method: 'POST', json: { phone: '138-1234-5678' }, who: shManager });
    expect(asManager.status).toBe(200);
    const found = (await asManager.json()).customers;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: rentalSh.customerId, name: '张伟', phone: '+86 138****5678', email: 'z***@example.com' });
    expect(found[0].rentals.map((r: { externalId: string }) => r.externalId)).toEqual(['RA-1001']);
    const asAdmin = await (await req('/api/cases/complaints/lookup', { method: 'POST', json: { email: 'ZHANG.WEI@example.com' } })).json();
    expect(asAdmin.customers[0]).toMatchObject({ phone: '+86 138 1234 5678', email: 'zhang.wei@example.com' });
  });

  it('finds by rental number, and not outside the caller’s branches', async () => {
    const byRental = await (await req('/api/cases/complaints/lookup', { method: 'POST', json: { rentalNumber: 'RA-1001' } })).json();
    expect(byRental.customers.map((c: { id: string }) => c.id)).toEqual([rentalSh.customerId]);
    const otherBranch = await (await req('/api/cases/complaints/lookup', { method: 'POST', json: { phone: '13812345678' }, who: bjManager })).json();
    expect(otherBranch.customers).toEqual([]);
  });

  it('needs one of phone, email or rental number, and is not a GET with personal data in the URL', async () => {
    const empty = await req('/api/cases/complaints/lookup', { method: 'POST', json: {} });
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors[0].path).toBe('phone');
    const viaUrl = await req('/api/cases/complaints/lookup?phone=13812345678');
    expect(viaUrl.status).toBe(404);
  });
});

let caseId: string;
const key = '5b7a4f38-3d7e-4c2b-9a51-0c8f6a1e2d44';

describe('opening a complaint', () => {
  it('opens a case on the rental’s branch, owned by its manager, with the complaint time limits of the priority', async () => {
    const before = smtp.messages.length;
    const res = await req('/api/cases/complaints', {
      method: 'POST',
      json: {
        key,
        channel: 'phone',
        customerId: rentalSh.customerId,
        rentalId: rentalSh.id,
        description: '还车时被多收了加油费，电话里很生气。',
        rootCause: 'billing',
        priority: 'high',
      },
    });
    expect(res.status).toBe(201);
    const c = await res.json();
    caseId = c.id;
    expect(c).toMatchObject({
      channel: 'phone',
      status: 'open',
      priority: 'high',
      rootCause: 'billing',
      rule: null,
      response: null,
      responseId: null,
      description: '还车时被多收了加油费，电话里很生气。',
      ownerEmail: 'sh.manager@rental.test',
      branch: { code: 'SH01' },
      reasonText: { en: 'Complaint by phone', 'zh-CN': '电话投诉' },
      rental: { externalId: 'RA-1001' },
    });
    // high: first response within 4 h, resolution within 48 h (case_priority_settings), around the clock.
    expect(new Date(c.firstResponseDueAt).getTime() - new Date(c.createdAt).getTime()).toBe(4 * H);
    expect(new Date(c.resolutionDueAt).getTime() - new Date(c.createdAt).getTime()).toBe(48 * H);
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.messages.at(-1)!.to).toContain('sh.manager@rental.test');
    const [audit] = await t.sql`select action from audit_log where target_id = ${caseId}`;
    expect(audit.action).toBe('case.complaint');
  });

  it('opens one case for one form, however often it is sent', async () => {
    const again = await req('/api/cases/complaints', {
      method: 'POST',
      json: { key, channel: 'phone', customerId: rentalSh.customerId, rentalId: rentalSh.id, description: 'x', rootCause: 'billing' },
    });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(caseId);
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from cases where channel <> 'survey'`;
    expect(n).toBe(1);
  });

  it('refuses a rental of another customer or a complaint without a branch, writing nothing', async () => {
    const wrongRental = await req('/api/cases/complaints', {
      method: 'POST',
      json: {
        key: '0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a00',
        channel: 'email',
        customerId: rentalSh.customerId,
        rentalId: rentalOther.id,
        description: 'x',
        rootCause: 'staff',
      },
    });
    expect(wrongRental.status).toBe(422);
    expect((await wrongRental.json()).errors).toEqual([{ path: 'rentalId', message: 'not this customer’s rental' }]);
    const noBranch = await req('/api/cases/complaints', {
      method: 'POST',
      json: { key: '0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a01', channel: 'counter', description: 'x', rootCause: 'staff' },
    });
    expect(noBranch.status).toBe(422);
    expect((await noBranch.json()).errors[0].path).toBe('branchId');
    const othersBranch = await req('/api/cases/complaints', {
      method: 'POST',
      json: { key: '0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a02', channel: 'counter', branchId: branchIds.BJ01, description: 'x', rootCause: 'staff' },
      who: shManager,
    });
    expect(othersBranch.status).toBe(422);
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from cases where channel <> 'survey'`;
    expect(n).toBe(1);
  });
});

describe('attachments', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake image body')]);
  let attachmentId: string;

  it('are checked by their content and stored with the case', async () => {
    const res = await req(`/api/cases/${caseId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('收据 照片.png') },
      body: png,
    });
    expect(res.status).toBe(201);
    const a = await res.json();
    attachmentId = a.id;
    expect(a).toMatchObject({ fileName: '收据 照片.png', contentType: 'image/png', sizeBytes: png.length });
    const detail = await (await req(`/api/cases/${caseId}`)).json();
    expect(detail.attachments.map((x: { id: string }) => x.id)).toEqual([attachmentId]);
  });

  it('refuses a file whose content is not its type, a type not accepted, and one over 1 MiB', async () => {
    const lying = await req(`/api/cases/${caseId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-file-name': 'a.png' },
      body: 'just text',
    });
    expect(lying.status).toBe(422);
    expect((await lying.json()).errors[0]).toEqual({ path: 'file', message: 'the content is not image/png' });
    const exe = await req(`/api/cases/${caseId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-msdownload', 'x-file-name': 'a.exe' },
      body: Buffer.from('MZ\x90\x00'),
    });
    expect(exe.status).toBe(422);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024, 0x20)]);
    const tooBig = await req(`/api/cases/${caseId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-file-name': 'big.pdf' },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from case_attachments`;
    expect(n).toBe(1);
  });

  it('are served as downloads only to those who may see the case', async () => {
    const res = await req(`/api/cases/${caseId}/attachments/${attachmentId}`, { who: shManager });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="__ __.png"; filename*=UTF-8''${encodeURIComponent('收据 照片.png')}`);
    expect((await req(`/api/cases/${caseId}/attachments/${attachmentId}`, { who: bjManager })).status).toBe(404);
    expect((await t.request(`/api/cases/${caseId}/attachments/${attachmentId}`, { as: 'anonymous' })).status).toBe(401);
  });
});

describe('the same loop as a survey-raised case', () => {
  it('breaches and escalates to the regional manager when nobody contacts the customer in time', async () => {
    clock.advance(4 * H + MIN);
    const result = await caseTick(t.deps);
    expect(result.breaches).toBe(1);
    const [row] = await t.sql`select escalation_level, escalated_to_email, first_response_breached_at from cases where id = ${caseId}`;
    expect(row.escalation_level).toBe(1);
    expect(row.escalated_to_email).toBe('east.region@rental.test');
    expect(smtp.messages.some((m) => m.to.includes('east.region@rental.test'))).toBe(true);
  });

  it('sends the follow-up survey to the customer once resolved', async () => {
    const res = await req(`/api/cases/${caseId}/transitions`, { method: 'POST', json: { to: 'resolved', resolution: '退还加油费 ¥180' } });
    expect(res.status).toBe(200);
    const outcome = await sendFollowUpSurvey(t.deps, { caseId });
    expect(outcome.outcome).toBe('sent');
    const [inv] = await t.sql`select customer_id, rental_id from invitations where id = ${outcome.invitationId!}`;
    expect(inv).toEqual({ customer_id: rentalSh.customerId, rental_id: rentalSh.id });
  });

  it('is listed with the survey-raised cases and filtered by channel', async () => {
    const phone = await (await req('/api/cases?channel=phone&status=resolved')).json();
    expect(phone.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const survey = await (await req('/api/cases?channel=survey')).json();
    expect(survey.total).toBe(0);
  });
});

describe('case metrics', () => {
  it('show the share per channel and the golden first-contact hit rate per branch, with configurable golden times', async () => {
    const gz = branchIds.GZ01;
    const t0 = clock.now();
    const open = async (n: number, channel: string, priority: string) => {
      const res = await req('/api/cases/complaints', {
        method: 'POST',
        json: { key: `00000000-0000-4000-8000-00000000000${n}`, channel, priority, branchId: gz, description: `complaint ${n}`, rootCause: 'waiting_time' },
      });
      expect(res.status).toBe(201);
      return (await res.json()).id as string;
    };
    const a = await open(1, 'phone', 'high'); // contacted after 20 min: within 30 → hit
    const b = await open(2, 'email', 'normal'); // after 3 h: over 120 min → miss (hit once the golden time is 240)
    await open(3, 'social', 'urgent'); // never contacted, 3 h > 15 min → miss
    await open(4, 'counter', 'low'); // never contacted, 3 h < 480 min → not decided yet
    const e = await open(5, 'phone', 'high'); // after 25 min → hit
    clock.advance(3 * H);
    const contact = async (id: string, minutes: number) =>
      expect(
        (
          await req(`/api/cases/${id}/contacts`, {
            method: 'POST',
            json: { channel: 'call', body: '已回电', at: new Date(t0.getTime() + minutes * MIN).toISOString() },
          })
        ).status,
      ).toBe(201);
    await contact(a, 20);
    await contact(b, 180);
    await contact(e, 25);

    const m = await (await req(`/api/cases/metrics?branch=${gz}`)).json();
    expect(m.total).toMatchObject({ cases: 5, firstContactDecided: 4, firstContactHits: 2, firstContactHitRate: 0.5 });
    expect(m.channels).toEqual([
      { channel: 'survey', cases: 0, share: 0 },
      { channel: 'phone', cases: 2, share: 0.4 },
      { channel: 'email', cases: 1, share: 0.2 },
      { channel: 'counter', cases: 1, share: 0.2 },
      { channel: 'social', cases: 1, share: 0.2 },
    ]);
    expect(m.golden).toEqual([
      { priority: 'low', minutes: 480 },
      { priority: 'normal', minutes: 120 },
      { priority: 'high', minutes: 30 },
      { priority: 'urgent', minutes: 15 },
    ]);

    const settings = [{ priority: 'normal', goldenFirstContactMinutes: 240, firstResponseHours: 24, resolutionHours: 72 }];
    expect((await req('/api/cases/priority-settings', { method: 'PUT', json: settings, who: shManager })).status).toBe(403);
    expect((await req('/api/cases/priority-settings', { method: 'PUT', json: settings })).status).toBe(200);
    const after = await (await req(`/api/cases/metrics?branch=${gz}`)).json();
    expect(after.total).toMatchObject({ firstContactDecided: 4, firstContactHits: 3, firstContactHitRate: 0.75 });
    expect(after.rows.map((r: { branch: { code: string }; firstContactHitRate: number }) => [r.branch.code, r.firstContactHitRate])).toEqual([['GZ01', 0.75]]);
  });
});

describe('erasing the customer', () => {
  it('clears what the complaint says and removes its attachments; the case and its timing stay', async () => {
    const res = await req(`/api/privacy/customers/${rentalSh.customerId}/erase`, { method: 'POST' });
    expect(res.status).toBe(200);
    const [row] = await t.sql`select description, resolution, channel, first_responded_at from cases where id = ${caseId}`;
    expect(row).toMatchObject({ description: null, resolution: null, channel: 'phone' });
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from case_attachments where case_id = ${caseId}`;
    expect(n).toBe(0);
  });
});
