// Rewards for feedback against a real PostgreSQL and a real SMTP server on loopback: the pool (CSV all or
// nothing, generated codes), one code per finished response that concurrent submits never double, one per
// customer and calendar period (programme time zone), the message carrying the code, the stock alert to the
// quality managers, redemptions (CSV and API, all or nothing) and the uptake report's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { closeCaseMail } from '../../api/src/cases/mail.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { newInvitationToken } from '../../api/src/distribution/tokens.ts';
import { closeRewardTransports, handleRewardJob } from '../../api/src/rewards/rewards.jobs.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { startSmsProvider, type TestSmsProvider } from '../support/sms-provider.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock } from '../support/test-db.ts';

const clock = testClock('2026-06-10T02:00:00Z');
let t: Awaited<ReturnType<typeof createTestApp>>;
let smtp: TestSmtpServer;
let sms: TestSmsProvider;
const branchIds: Record<string, string> = {};
let customerNo = 0;
const csv = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'text/csv' } });

beforeAll(async () => {
  smtp = await startSmtpServer();
  sms = await startSmsProvider();
  t = await createTestApp({
    clock,
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Customer Care <care@rental.test>', SMS_PROVIDER_URL: sms.url, SMS_PROVIDER_SECRET: sms.secret },
  });
  for (const [code, name, region] of [
    ['SH01', '上海虹桥机场店', '华东'],
    ['BJ01', '北京首都机场店', '华北'],
  ]) {
    const [row] = await t.sql`insert into branches (code, name, city, region) values (${code}, ${name}, ${name.slice(0, 2)}, ${region}) returning id`;
    branchIds[code] = row.id;
  }
});

afterAll(async () => {
  await closeRewardTransports();
  await closeCaseMail();
  await smtp.close();
  await sms.close();
});

async function newSurvey(name: string) {
  const created = await createSurvey(t.db, { name, kind: 'post_rental', definition: miniPostRental });
  const version = await publishSurvey(t.db, created.id);
  return { id: created.id, versionId: version.id };
}

async function programme(surveyId: string, extra: Record<string, unknown> = {}) {
  const res = await t.request('/api/rewards/programmes', { method: 'POST', json: { surveyId, name: '50元租车券', nameEn: 'CNY 50 rental voucher', ...extra } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

async function customer(opts: { tier?: 'A' | 'B' | 'C' | null; email?: string | null; phone?: string; language?: string } = {}) {
  const n = ++customerNo;
  const [row] = await t.sql`
    insert into customers (external_id, name, email, phone, consent_sms, preferred_language, value_tier)
    values (${`C-RW-${n}`}, ${`客户${n}`}, ${opts.email === undefined ? null : opts.email}, ${opts.phone ?? null}, ${!!opts.phone},
            ${opts.language ?? 'zh-CN'}, ${opts.tier ?? null})
    returning id`;
  return row.id as string;
}

/** A sent invitation of this survey for the customer's rental at the branch; its token. */
async function invitation(survey: { id: string; versionId: string }, customerId: string, branch = 'SH01') {
  const [{ id: rentalId }] = await t.sql`
    insert into rentals (external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel)
    values (${`RA-RW-${crypto.randomUUID()}`}, ${customerId}, ${branchIds[branch]}, ${branchIds[branch]}, 'suv',
            '2026-06-01T09:00:00+08:00', '2026-06-03T18:00:00+08:00', 880, 'app') returning id`;
  const { token, tokenHash } = newInvitationToken();
  await t.sql`
    insert into invitations (survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, scheduled_at, sent_at, expires_at)
    values (${survey.id}, ${survey.versionId}, ${rentalId}, ${customerId}, ${branchIds[branch]}, ${tokenHash}, 'email', 'sent',
            '2026-06-04T00:00:00Z', '2026-06-04T00:00:00Z', '2027-12-31T00:00:00Z')`;
  return token;
}

type Reward = { code: string | null; name: string; kind: string; sentBy: string | null } | null;

async function submit(token: string, nps: number, locale?: string, app: { request: typeof t.app.request } = t.app): Promise<Reward> {
  const res = await app.request(`/api/respond/${token}/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: { q_nps: nps }, ...(locale ? { locale } : {}) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).reward;
}

async function sendJobs() {
  const jobs = await t.sql<{ id: string; code_id: string }[]>`
    select id, data->>'codeId' as code_id from pgboss.job where name = 'rewards.send' and state = 'created' order by created_on`;
  for (const job of jobs) {
    await handleRewardJob(t.deps, { codeId: job.code_id });
    await t.sql`update pgboss.job set state = 'completed' where id = ${job.id}`;
  }
  return jobs.length;
}

describe('reward pools', () => {
  it('take codes from CSV all or nothing, naming every bad row, and generate codes with a prefix', async () => {
    const survey = await newSurvey('Pool');
    const p = await programme(survey.id);
    expect((await t.request('/api/rewards/programmes', { method: 'POST', json: { surveyId: survey.id, name: 'again' } })).status).toBe(409);

    const bad = await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('code\nFB-0001\nFB-0001\nx\nFB 2\nFB-0005\n'));
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = await bad.json();
    expect(problem.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'duplicate_code'],
      [4, 'invalid_code'],
      [5, 'invalid_code'],
    ]);
    expect(await t.sql`select 1 from reward_codes where programme_id = ${p.id}`).toHaveLength(0);

    const ok = await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('\uFEFFCode\r\nFB-0001\r\nFB-0002\r\nFB-0003\r\n'));
    expect(await ok.json()).toEqual({ added: 3, available: 3, toOwed: 0 });
    // A code the pool has already: the whole file is refused.
    const again = await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('code\nFB-0004\nFB-0002\n'));
    expect(again.status).toBe(422);
    expect((await again.json()).errors).toMatchObject([{ row: 3, code: 'code_exists' }]);
    expect(await t.sql`select 1 from reward_codes where code = 'FB-0004'`).toHaveLength(0);

    const generated = await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { prefix: 'GEN-', count: 50 } });
    expect(await generated.json()).toEqual({ added: 50, available: 53, toOwed: 0 });
    const codes = await t.sql<{ code: string }[]>`select code from reward_codes where programme_id = ${p.id} and code like 'GEN-%'`;
    expect(codes).toHaveLength(50);
    for (const { code } of codes) expect(code).toMatch(/^GEN-[A-HJ-NP-Z2-9]{8}$/);

    const audit = await t.sql`select action from audit_log where target_id = ${p.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['reward.programme.create', 'reward.codes.import', 'reward.codes.generate']);
    // Branch managers do not manage programmes.
    const manager = await t.signIn('branch_manager', { branches: ['SH01'] });
    expect((await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { count: 1 }, as: manager })).status).toBe(403);
  });
});

describe('issuing', () => {
  it('never gives one code twice, with 40 customers submitting at once for 25 codes', async () => {
    const survey = await newSurvey('Concurrent');
    const p = await programme(survey.id, { lowStockThreshold: 0 });
    const pool = Array.from({ length: 25 }, (_, i) => `CC-${String(i + 1).padStart(4, '0')}`);
    await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv(`code\n${pool.join('\n')}\n`));
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) tokens.push(await invitation(survey, await customer(), i % 2 ? 'SH01' : 'BJ01'));

    // A pool of 20 connections: up to 20 submitting transactions at the same time.
    const wide = createDatabase(t.url, { max: 20 });
    try {
      const app = buildApp({ ...t.deps, db: wide.db, sql: wide.sql });
      const rewards = await Promise.all(tokens.map((token, i) => submit(token, i % 11, undefined, app)));
      const given = rewards.filter((r): r is NonNullable<Reward> & { code: string } => r?.code != null);
      expect(given).toHaveLength(25);
      // The other 15 are owed a code, sent when codes are added.
      expect(rewards.filter((r) => r !== null && r.code === null)).toHaveLength(15);
      expect(new Set(given.map((r) => r.code)).size).toBe(25);
      expect(new Set(given.map((r) => r.code))).toEqual(new Set(pool));
    } finally {
      await wide.sql.end({ timeout: 5 });
    }
    const [stored] = await t.sql<{ issued: number; responses: number; available: number }[]>`
      select count(*) filter (where issued_at is not null)::int as issued, count(distinct response_id)::int as responses,
             count(*) filter (where issued_at is null)::int as available
      from reward_codes where programme_id = ${p.id}`;
    expect(stored).toEqual({ issued: 25, responses: 25, available: 0 });
    // Every code issued is in the audit log, once.
    const audited = await t.sql<{ target_id: string; n: number }[]>`
      select a.target_id, count(*)::int as n from audit_log a join reward_codes c on c.id::text = a.target_id
      where a.action = 'reward.issue' and c.programme_id = ${p.id} group by a.target_id`;
    expect(audited).toHaveLength(25);
    expect(audited.every((a) => a.n === 1)).toBe(true);
    // One send job per code.
    const [{ jobs }] = await t.sql`
      select count(*)::int as jobs from pgboss.job j join reward_codes c on c.id::text = j.data->>'codeId'
      where j.name = 'rewards.send' and c.programme_id = ${p.id}`;
    expect(jobs).toBe(25);
  });

  it('gives a customer one code per calendar month of the programme time zone, however many surveys they finish at once', async () => {
    const survey = await newSurvey('Per customer');
    const p = await programme(survey.id, { period: 'month' });
    await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { prefix: 'PC-', count: 30 } });
    const who = await customer();
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => invitation(survey, who)));
    const wide = createDatabase(t.url, { max: 10 });
    let rewards: Reward[];
    try {
      const app = buildApp({ ...t.deps, db: wide.db, sql: wide.sql });
      rewards = await Promise.all(tokens.map((token) => submit(token, 9, undefined, app)));
    } finally {
      await wide.sql.end({ timeout: 5 });
    }
    expect(rewards.filter((r) => r !== null)).toHaveLength(1);
    const first = rewards.find((r) => r !== null)!;
    // The link opened again shows the same code (the submit is idempotent).
    const firstToken = tokens[rewards.indexOf(first)];
    expect(await submit(firstToken, 0)).toEqual(first);

    // 2026-06-30 23:59 in Shanghai is still June: nothing; 2026-07-01 00:00 there (16:00 UTC) is July: a new code.
    clock.set('2026-06-30T15:59:00Z');
    expect(await submit(await invitation(survey, who), 8)).toBeNull();
    clock.set('2026-06-30T16:00:00Z');
    const july = await submit(await invitation(survey, who), 3);
    expect(july?.code).toMatch(/^PC-/);
    expect(july?.code).not.toBe(first.code);
    const periods = await t.sql<{ period_start: string }[]>`
      select period_start::text from reward_codes where customer_id = ${who} order by period_start`;
    expect(periods.map((r) => r.period_start)).toEqual(['2026-06-01', '2026-07-01']);
    clock.set('2026-06-10T02:00:00Z');
  });

  it('is the same for every score: detractors get the code too, in the response language', async () => {
    const survey = await newSurvey('Any score');
    const p = await programme(survey.id);
    await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { prefix: 'AS-', count: 3 } });
    const detractor = await submit(await invitation(survey, await customer({ language: 'en' })), 0, 'en');
    const promoter = await submit(await invitation(survey, await customer()), 10, 'zh-CN');
    expect(detractor).toMatchObject({ name: 'CNY 50 rental voucher', kind: 'coupon', sentBy: null });
    expect(promoter).toMatchObject({ name: '50元租车券', kind: 'coupon' });
    // A paused programme gives nothing.
    await t.request(`/api/rewards/programmes/${p.id}`, { method: 'PATCH', json: { active: false } });
    expect(await submit(await invitation(survey, await customer()), 10)).toBeNull();
  });
});

describe('reward messages and stock alerts', () => {
  it('e-mails the code to the customer, and alerts the quality managers once when the pool runs low', async () => {
    await t.signIn('quality_manager', { email: 'quality-1@staff.test' });
    await t.signIn('quality_manager', { email: 'quality-2@staff.test' });
    await sendJobs(); // the earlier tests' jobs: their programmes alert nobody of note here
    smtp.messages.length = 0;
    const survey = await newSurvey('Messages');
    const p = await programme(survey.id, { lowStockThreshold: 3 });
    await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('code\nMS-0001\nMS-0002\nMS-0003\nMS-0004\nMS-0005\n'));

    const zh = await submit(await invitation(survey, await customer({ email: 'li.na@example.com' })), 2);
    expect(zh).toMatchObject({ code: 'MS-0001', sentBy: 'email' });
    expect(await sendJobs()).toBe(1);
    // 4 codes left, threshold 3: no alert yet.
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['li.na@example.com']);
    const mail = smtp.messages[0];
    expect(mail.text).toContain('MS-0001');
    expect(mail.text).toContain('与您给出的评分无关');
    expect(mail.subject).toBe('感谢您的反馈：您的奖励券码');

    const en = await submit(await invitation(survey, await customer({ email: 'sam@example.com', language: 'en' })), 10, 'en');
    expect(en?.code).toBe('MS-0002');
    await sendJobs();
    await smtp.waitFor(4);
    const alerts = smtp.messages.filter((m) => m.to[0].startsWith('quality-'));
    expect(alerts.map((m) => m.to[0]).sort()).toEqual(['quality-1@staff.test', 'quality-2@staff.test']);
    expect(alerts[0].subject).toContain('(3)');
    expect(alerts[0].text).toContain(`/distribution/rewards/${p.id}`);
    const english = smtp.messages.find((m) => m.to[0] === 'sam@example.com')!;
    expect(english.text).toContain('MS-0002');
    expect(english.text).toContain('whatever your answers were');

    // The pool goes on running low: no second alert until it was refilled above the threshold.
    await submit(await invitation(survey, await customer()), 7);
    await sendJobs();
    expect(smtp.messages.filter((m) => m.to[0].startsWith('quality-'))).toHaveLength(2);
    await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { prefix: 'MS-R', count: 3 } });
    for (let i = 0; i < 3; i++) await submit(await invitation(survey, await customer()), 9);
    await sendJobs();
    await smtp.waitFor(6);
    expect(smtp.messages.filter((m) => m.to[0].startsWith('quality-'))).toHaveLength(4);
    const sent = await t.sql`select message_status from reward_codes where programme_id = ${p.id} and issued_at is not null order by code`;
    expect(sent.map((r) => r.message_status)).toEqual(['sent', 'sent', 'skipped', 'skipped', 'skipped', 'skipped']);
  });
});

describe('a pool that ran empty', () => {
  it('owes the customer a code, once per period, and sends the first code added to the pool', async () => {
    await sendJobs();
    smtp.messages.length = 0;
    const survey = await newSurvey('Empty pool');
    const p = await programme(survey.id, { lowStockThreshold: 0 });
    const wang = await customer({ email: 'wang.fang@example.com' });
    const first = await invitation(survey, wang);
    expect(await submit(first, 4)).toEqual({ code: null, name: '50元租车券', kind: 'coupon', sentBy: 'email' });
    // A second survey finished in the same period is owed nothing more; the first link opened again still says owed.
    expect(await submit(await invitation(survey, wang), 9)).toBeNull();
    expect((await submit(first, 4))?.code).toBeNull();
    const before = await (await t.request(`/api/rewards/programmes/${p.id}`)).json();
    expect(before.stock).toMatchObject({ available: 0, issued: 0, owed: 1 });
    const [owedAudit] = await t.sql`select count(*)::int as n from audit_log where action = 'reward.owe' and details->>'programmeId' = ${p.id}`;
    expect(owedAudit.n).toBe(1);

    const added = await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('code\nEP-0001\nEP-0002\n'));
    expect(await added.json()).toEqual({ added: 2, available: 1, toOwed: 1 });
    expect(await sendJobs()).toBe(1);
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['wang.fang@example.com']);
    expect(smtp.messages[0].text).toContain('EP-0001');
    // The code belongs to the response that earned it: its link opened again shows it.
    expect(await submit(first, 4)).toMatchObject({ code: 'EP-0001', sentBy: 'email' });
    const after = await (await t.request(`/api/rewards/programmes/${p.id}`)).json();
    expect(after.stock).toMatchObject({ available: 1, issued: 1, owed: 0 });
    // Adding codes again gives nobody a second one.
    const again = await t.request(`/api/rewards/programmes/${p.id}/codes/generate`, { method: 'POST', json: { prefix: 'EP-G', count: 2 } });
    expect(await again.json()).toEqual({ added: 2, available: 3, toOwed: 0 });
    expect(await sendJobs()).toBe(0);
  });
});

describe('reward messages by SMS', () => {
  it('texts the code to a customer with a phone and no e-mail, again after the provider was busy', async () => {
    await sendJobs();
    const survey = await newSurvey('SMS');
    const p = await programme(survey.id, { lowStockThreshold: 0 });
    await t.request(`/api/rewards/programmes/${p.id}/codes/import`, csv('code\nSMS-0001\nSMS-0002\n'));
    const reward = await submit(await invitation(survey, await customer({ phone: '+8613900001111' })), 5);
    expect(reward).toMatchObject({ code: 'SMS-0001', sentBy: 'sms' });
    const [{ id: codeId }] = await t.sql`select id from reward_codes where code = 'SMS-0001'`;
    sms.failNext(1);
    await expect(handleRewardJob(t.deps, { codeId })).rejects.toThrow(/not sent/);
    const [pending] = await t.sql`select message_status, message_attempts from reward_codes where id = ${codeId}`;
    expect(pending).toEqual({ message_status: 'pending', message_attempts: 1 });
    await handleRewardJob(t.deps, { codeId });
    const texts = sms.messages.filter((m) => m.to === '+8613900001111');
    expect(texts).toHaveLength(1);
    expect(texts[0].text).toBe('感谢您的评价！您的50元租车券：SMS-0001（与评分无关）');
    expect(texts[0].signatureValid).toBe(true);
    // A job run again sends nothing more.
    await handleRewardJob(t.deps, { codeId });
    expect(sms.messages.filter((m) => m.to === '+8613900001111')).toHaveLength(1);
    const [sent] = await t.sql`select message_status, message_attempts from reward_codes where id = ${codeId}`;
    expect(sent).toEqual({ message_status: 'sent', message_attempts: 2 });
  });
});

describe('redemptions and uptake', () => {
  let survey: { id: string; versionId: string };
  let p: { id: string };
  const codeOf = new Map<string, string>();

  beforeAll(async () => {
    survey = await newSurvey('Uptake');
    p = await programme(survey.id);
    await t.request(
      `/api/rewards/programmes/${p.id}/codes/import`,
      csv(`code\n${Array.from({ length: 10 }, (_, i) => `UP-${String(i + 1).padStart(2, '0')}`).join('\n')}\n`),
    );
    // SH01: tiers A, A, B, C and one without a tier; BJ01: A, B, B. Issued one after the other: UP-01 … UP-08.
    const people: [string, 'A' | 'B' | 'C' | null][] = [
      ['SH01', 'A'],
      ['SH01', 'A'],
      ['SH01', 'B'],
      ['SH01', 'C'],
      ['SH01', null],
      ['BJ01', 'A'],
      ['BJ01', 'B'],
      ['BJ01', 'B'],
    ];
    for (const [i, [branch, tier]] of people.entries()) {
      const reward = await submit(await invitation(survey, await customer({ tier }), branch), 8);
      if (!reward?.code) throw new Error(`no code issued to person ${i}`);
      codeOf.set(`${branch}-${i}`, reward.code);
    }
    expect([...codeOf.values()]).toEqual(['UP-01', 'UP-02', 'UP-03', 'UP-04', 'UP-05', 'UP-06', 'UP-07', 'UP-08']);
  });

  it('are refused all together when any row is bad, naming each row (problem+json)', async () => {
    clock.set('2026-06-12T02:00:00Z');
    const res = await t.request(
      `/api/rewards/programmes/${p.id}/redemptions/import`,
      csv(
        [
          'code,redeemed_at,branch',
          'UP-01,2026-06-11T10:00:00+08:00,SH01', // fine
          'NOPE-1,2026-06-11T10:00:00+08:00,', // unknown
          'UP-09,2026-06-11T10:00:00+08:00,', // never issued
          'UP-02,2026-06-01T10:00:00+08:00,', // before it was issued (2026-06-10)
          'UP-03,2026-06-20T10:00:00+08:00,', // in the future
          'UP-04,2026-06-11T10:00:00+08:00,XX99', // unknown branch
          'UP-01,2026-06-11T11:00:00+08:00,', // twice in the file
          'UP-06,yesterday,', // not a time
        ].join('\n'),
      ),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    // The malformed time is found while reading the file, before the pool is looked at.
    expect((await res.json()).errors).toMatchObject([{ row: 9, path: 'row 9.redeemedAt', code: 'invalid_value' }]);

    const res2 = await t.request(
      `/api/rewards/programmes/${p.id}/redemptions/import`,
      csv(
        [
          'code,redeemed_at,branch',
          'UP-01,2026-06-11T10:00:00+08:00,SH01',
          'NOPE-1,2026-06-11T10:00:00+08:00,',
          'UP-09,2026-06-11T10:00:00+08:00,',
          'UP-02,2026-06-01T10:00:00+08:00,',
          'UP-03,2026-06-20T10:00:00+08:00,',
          'UP-04,2026-06-11T10:00:00+08:00,XX99',
          'UP-01,2026-06-11T11:00:00+08:00,',
        ].join('\n'),
      ),
    );
    expect(res2.status).toBe(422);
    const problem = await res2.json();
    expect(problem.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'unknown_code'],
      [4, 'not_issued'],
      [5, 'before_issue'],
      [6, 'in_future'],
      [7, 'unknown_branch'],
      [8, 'duplicate_code'],
    ]);
    // Nothing partial: UP-01 (a good row) is not recorded either.
    expect(await t.sql`select 1 from reward_codes where programme_id = ${p.id} and redeemed_at is not null`).toHaveLength(0);
  });

  it('are recorded from CSV and from the rental system API, a repeat counting as unchanged', async () => {
    const file = [
      'code,redeemed_at,branch',
      'UP-01,2026-06-11T10:00:00+08:00,SH01',
      'UP-02,2026-06-11T12:30:00+08:00,SH01',
      'UP-04,2026-06-11T09:00:00+08:00,BJ01',
    ];
    const res = await t.request(`/api/rewards/programmes/${p.id}/redemptions/import`, csv(file.join('\n')));
    expect(await res.json()).toEqual({ rows: 3, redeemed: 3, unchanged: 0 });

    const key = await t.apiKey(['rentals:write']);
    const api = await t.request(`/api/rewards/programmes/${p.id}/redemptions`, {
      method: 'POST',
      as: key,
      json: {
        redemptions: [
          { code: 'UP-07', redeemedAt: '2026-06-11T08:00:00Z', branch: 'BJ01' },
          { code: 'UP-01', redeemedAt: '2026-06-11T02:00:00Z' }, // the same instant as the CSV's 10:00 +08:00
        ],
      },
    });
    expect(await api.json()).toEqual({ rows: 2, redeemed: 1, unchanged: 1 });
    const conflict = await t.request(`/api/rewards/programmes/${p.id}/redemptions`, {
      method: 'POST',
      as: key,
      json: { redemptions: [{ code: 'UP-02', redeemedAt: '2026-06-11T06:00:00Z' }] },
    });
    expect(conflict.status).toBe(422);
    expect((await conflict.json()).errors).toMatchObject([{ row: 1, path: 'redemptions.0.code', code: 'already_redeemed' }]);
    // An API key without the scope cannot.
    const reader = await t.apiKey(['analytics:read']);
    expect(
      (
        await t.request(`/api/rewards/programmes/${p.id}/redemptions`, {
          method: 'POST',
          as: reader,
          json: { redemptions: [{ code: 'UP-03', redeemedAt: '2026-06-11T06:00:00Z' }] },
        })
      ).status,
    ).toBe(403);
  });

  it('is reported per issuing branch and value tier with hand-computed figures', async () => {
    // Redeemed: UP-01 (SH01 A), UP-02 (SH01 A), UP-04 (SH01 C), UP-07 (BJ01 B): 4 of 8.
    const res = await t.request(`/api/rewards/programmes/${p.id}/uptake`);
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.total).toMatchObject({ issued: 8, redeemed: 4, uptake: 50 });
    // Wilson 95 % for 4/8: centre 0.5, half-width (1.96/1.4802)·√(0.03125 + 0.015006) = 0.28479.
    expect(report.total.ci95[0]).toBeCloseTo(21.52, 1);
    expect(report.total.ci95[1]).toBeCloseTo(78.48, 1);
    const byBranch = Object.fromEntries(
      report.byBranch.map((b: { code: string; issued: number; redeemed: number; uptake: number }) => [b.code, [b.issued, b.redeemed, b.uptake]]),
    );
    expect(byBranch.SH01).toEqual([5, 3, 60]);
    expect(byBranch.BJ01[0]).toBe(3);
    expect(byBranch.BJ01[1]).toBe(1);
    expect(byBranch.BJ01[2]).toBeCloseTo(33.333, 2);
    const byTier = report.byTier.map((g: { tier: string | null; issued: number; redeemed: number }) => [g.tier, g.issued, g.redeemed]);
    expect(byTier).toEqual([
      ['A', 3, 2],
      ['B', 3, 1],
      ['C', 1, 1],
      [null, 1, 0],
    ]);

    // A branch manager sees their branch only; a period without issues has none.
    const manager = await t.signIn('branch_manager', { branches: ['BJ01'] });
    const scoped = await (await t.request(`/api/rewards/programmes/${p.id}/uptake`, { as: manager })).json();
    expect(scoped.total).toMatchObject({ issued: 3, redeemed: 1 });
    expect(scoped.byBranch.map((b: { code: string }) => b.code)).toEqual(['BJ01']);
    const later = await (await t.request(`/api/rewards/programmes/${p.id}/uptake?from=2026-06-11`)).json();
    expect(later.total).toEqual({ issued: 0, redeemed: 0, uptake: null, ci95: null });
    const sameDay = await (await t.request(`/api/rewards/programmes/${p.id}/uptake?from=2026-06-10&to=2026-06-10`)).json();
    expect(sameDay.total.issued).toBe(8);
  });
});
