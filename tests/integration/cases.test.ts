// The closed loop against a real PostgreSQL, pg-boss and a real SMTP server on loopback: finished responses
// → alert rules → cases with owners and time limits → reminders, breaches, escalation → contact, resolution
// → follow-up survey → metrics.
import { findTemplate } from '@rs/survey-templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTick, startCaseWorkers } from '../../api/src/cases/cases.jobs.ts';
import { closeCaseMail } from '../../api/src/cases/mail.ts';
import { invitationToken, tokenSecret } from '../../api/src/distribution/tokens.ts';
import { startDistributionWorker } from '../../api/src/distribution/worker.ts';
import { evaluateResponseRules } from '../../api/src/cases/evaluate.ts';
import { sendFollowUpSurvey } from '../../api/src/cases/follow-up.ts';
import { EVALUATE_QUEUE } from '../../api/src/cases/queues.ts';
import { consume, startBoss, type PgBoss } from '../../api/src/queue/queue.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

const H = 3_600_000;

// ── A real SMTP server on loopback (tests/support/smtp.ts) ───────────────────────────────────────

let smtp: TestSmtpServer;
const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));

// ── The app, a survey, branches, people ───────────────────────────────────────────────────────────

const clock = testClock('2026-06-01T02:00:00Z'); // Monday 10:00 in Shanghai
let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let manager: Credentials & { userId: string; email: string };
let rentalNo = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Customer Care <care@rental.test>' } });
  const template = findTemplate('post-rental')!;
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: template.definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  // The branches exist once a rental names them.
  await invite({ pickupBranch: { code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' }, returnBranch: 'SH01' });
  await invite({ pickupBranch: { code: 'BJ01', name: '北京首都机场店', city: '北京', region: '华北' }, returnBranch: 'BJ01' });
  manager = await t.signIn('branch_manager', { branches: ['SH01'], email: 'wang.manager@rental.test' });
  for (const contact of [
    { level: 'regional_manager', region: '华东', name: '华东区域经理', email: 'east.region@rental.test' },
    { level: 'quality_manager', name: '质量经理', email: 'quality@rental.test' },
  ]) {
    expect((await req('/api/escalation-contacts', { method: 'POST', json: contact })).status).toBe(201);
  }
});

afterAll(async () => {
  await closeCaseMail();
  await smtp.close();
});

/** A request as a user (the admin unless `who`), with a session made at the test clock's current time. */
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
async function req(path: string, init: RequestInit & { json?: unknown; as?: 'anonymous'; who?: { userId: string } } = {}): Promise<JsonResponse> {
  const { who, as, ...rest } = init;
  return (await t.request(path, { ...rest, as: as === 'anonymous' ? 'anonymous' : await t.sessionFor((who ?? t.admin!).userId) })) as JsonResponse;
}

async function invite(overrides: Record<string, unknown> = {}) {
  const n = ++rentalNo;
  // Returned half a day before the test clock: recent enough to be invited.
  const returnedAt = new Date(clock.now().getTime() - 12 * H);
  const dates = { pickedUpAt: new Date(returnedAt.getTime() - 72 * H).toISOString(), returnedAt: returnedAt.toISOString() };
  const res = await req('/api/rentals', { method: 'POST', json: rentalPayload(n, { ...dates, ...overrides }) });
  expect(res.status).toBe(201);
  const body = await res.json();
  return { token: tokenFromLink(body.invitation.link), rentalId: body.rentalId as string, n };
}

async function answer(token: string, answers: Record<string, unknown>) {
  const res = await req(`/api/respond/${token}/submit`, { method: 'POST', json: { answers }, as: 'anonymous' });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ responseId: string; followUpPromised: boolean }>;
}

const detractor = { q_nps: 3, q_nps_reason: '柜台排队太久', q_csat: 2, q_problems: { choices: ['counter_wait'] } };
const promoter = { q_nps: 10, q_csat: 5, q_problems: { choices: ['no_problem'] } };

async function casesOf(responseId: string) {
  return t.sql`select * from cases where response_id = ${responseId} order by number`;
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let detractorRuleId: string;

describe('alert rules', () => {
  it('are created per survey with the default time limits and checked against the survey', async () => {
    const res = await req('/api/alert-rules', {
      method: 'POST',
      json: { surveyId, name: '贬损者或遇到问题', priority: 'high', triggers: [{ type: 'nps_at_most', value: 6 }, { type: 'any_problem' }] },
    });
    expect(res.status).toBe(201);
    const rule = await res.json();
    expect(rule).toMatchObject({
      firstResponseHours: 24,
      resolutionHours: 72,
      businessHours: null,
      assignTo: 'branch_manager',
      enabled: true,
      followUpSurvey: true,
    });
    detractorRuleId = rule.id;

    const bad = await req('/api/alert-rules', {
      method: 'POST',
      json: { surveyId, name: 'bad', triggers: [{ type: 'any_problem', choiceIds: ['flat_tyre'] }], firstResponseHours: 48, resolutionHours: 24 },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toContain('resolutionHours');
    const unknownProblem = await req('/api/alert-rules', {
      method: 'POST',
      json: { surveyId, name: 'bad', triggers: [{ type: 'any_problem', choiceIds: ['flat_tyre'] }] },
    });
    expect(unknownProblem.status).toBe(422);
    expect((await unknownProblem.json()).errors[0]).toMatchObject({ path: 'triggers.0.choiceIds' });
  });

  it('may not be changed by a branch manager', async () => {
    const res = await req(`/api/alert-rules/${detractorRuleId}`, { method: 'DELETE', who: manager });
    expect(res.status).toBe(403);
  });
});

describe('finishing a response', () => {
  it('opens one case for a matching response, however often the rules are evaluated', async () => {
    const { token, rentalId } = await invite();
    const result = await answer(token, detractor);
    expect(result.followUpPromised).toBe(true);
    // The evaluation job was queued with the response.
    const [job] = await t.sql`select data, singleton_key from pgboss.job where name = ${EVALUATE_QUEUE} and data->>'responseId' = ${result.responseId}`;
    expect(job.singleton_key).toBe(`evaluate:${result.responseId}`);
    expect(await casesOf(result.responseId)).toHaveLength(0);

    const first = await evaluateResponseRules(t.deps, { responseId: result.responseId });
    const second = await evaluateResponseRules(t.deps, { responseId: result.responseId });
    expect(first.created).toHaveLength(1);
    expect(second.created).toHaveLength(0);
    const rows = await casesOf(result.responseId);
    expect(rows).toHaveLength(1);
    const c = rows[0];
    expect(c).toMatchObject({
      status: 'open',
      priority: 'high',
      rule_id: detractorRuleId,
      rental_id: rentalId,
      owner_email: 'wang.manager@rental.test',
      owner_user_id: manager.userId,
      escalation_level: 0,
    });
    expect(c.idempotency_key).toBe(`rule:${detractorRuleId}:response:${result.responseId}`);
    expect(new Date(c.first_response_due_at).toISOString()).toBe(new Date(clock.now().getTime() + 24 * H).toISOString());
    expect(new Date(c.resolution_due_at).toISOString()).toBe(new Date(clock.now().getTime() + 72 * H).toISOString());
    expect(c.trigger).toEqual([
      { type: 'nps', questionId: 'q_nps', value: 3 },
      { type: 'problem', questionId: 'q_problems', choiceIds: ['counter_wait'] },
    ]);

    // The owner's e-mail arrived at the SMTP server.
    const mail = await waitFor(async () => mailsTo('wang.manager@rental.test').find((m) => m.subject.includes(`#${c.number}`)), 'the owner’s e-mail');
    expect(mail.subject).toContain('新投诉工单 / New case');
    expect(mail.text).toContain(`http://survey.test/cases/${c.id}`);
    expect(mail.text).toContain('NPS 3');
    // No customer contact details in it.
    expect(mail.text).not.toContain('@example.com');
    const [note] = await t.sql`select status, recipient from case_notifications where case_id = ${c.id} and kind = 'created'`;
    expect(note).toMatchObject({ status: 'sent', recipient: 'wang.manager@rental.test' });
  });

  it('opens no case for a response that matches no rule', async () => {
    const { token } = await invite();
    const result = await answer(token, promoter);
    expect(result.followUpPromised).toBe(false);
    expect((await evaluateResponseRules(t.deps, { responseId: result.responseId })).created).toEqual([]);
    expect(await casesOf(result.responseId)).toHaveLength(0);
  });

  it('opens the case through the queue', async () => {
    const { token } = await invite();
    const result = await answer(token, { ...promoter, q_problems: { choices: ['vehicle_not_clean'] } });
    const boss: PgBoss = await startBoss(t.sql, { maintenanceIntervalSeconds: 3600 });
    try {
      const consumer = consume<{ responseId: string }>(
        boss,
        EVALUATE_QUEUE,
        { batchSize: 10, concurrency: 1, pollMs: 50 },
        (job) => evaluateResponseRules(t.deps, job.data).then(() => undefined),
        { autoStart: false },
      );
      expect(await consumer.drain()).toBeGreaterThanOrEqual(1);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const rows = await casesOf(result.responseId);
    expect(rows).toHaveLength(1);
    expect(rows[0].trigger).toEqual([{ type: 'problem', questionId: 'q_problems', choiceIds: ['vehicle_not_clean'] }]);
  });

  it('applies customer filters and assigns to a named team', async () => {
    const team = await (await req('/api/case-teams', { method: 'POST', json: { name: '大客户服务组', email: 'key.accounts@rental.test' } })).json();
    const rule = await req('/api/alert-rules', {
      method: 'POST',
      json: {
        surveyId,
        name: 'A 类客户投诉',
        priority: 'urgent',
        triggers: [{ type: 'comment_contains', keywords: ['投诉'] }],
        filters: [{ type: 'customer_tier', values: ['A'] }],
        assignTo: 'team',
        teamId: team.id,
        firstResponseHours: 4,
        resolutionHours: 24,
      },
    });
    expect(rule.status).toBe(201);
    const ruleId = (await rule.json()).id;
    const comment = { ...promoter, q_comment: '我要投诉：押金迟迟没有退回' };

    const tierB = await invite();
    await t.sql`update customers set value_tier = 'B' where external_id = ${`C-T-${tierB.n}`}`;
    const b = await answer(tierB.token, comment);
    expect(b.followUpPromised).toBe(false);
    await evaluateResponseRules(t.deps, { responseId: b.responseId });
    expect(await casesOf(b.responseId)).toHaveLength(0);

    const tierA = await invite();
    await t.sql`update customers set value_tier = 'A' where external_id = ${`C-T-${tierA.n}`}`;
    const a = await answer(tierA.token, comment);
    expect(a.followUpPromised).toBe(true);
    await evaluateResponseRules(t.deps, { responseId: a.responseId });
    const [c] = await casesOf(a.responseId);
    expect(c).toMatchObject({ rule_id: ruleId, priority: 'urgent', assignee_kind: 'team', team_id: team.id, owner_email: 'key.accounts@rental.test' });
    expect(new Date(c.first_response_due_at).getTime() - clock.now().getTime()).toBe(4 * H);
    await waitFor(async () => mailsTo('key.accounts@rental.test').length > 0, 'the team’s e-mail');
    // Switched off, the rule stops matching.
    const current = await (await req(`/api/alert-rules/${ruleId}`)).json();
    const { id: _id, surveyName: _s, teamName: _t, cases: _c, createdAt: _ca, updatedAt: _u, ...input } = current;
    expect((await req(`/api/alert-rules/${ruleId}`, { method: 'PUT', json: { ...input, enabled: false } })).status).toBe(200);
    const again = await invite();
    await t.sql`update customers set value_tier = 'A' where external_id = ${`C-T-${again.n}`}`;
    expect((await answer(again.token, comment)).followUpPromised).toBe(false);
    // A rule that raised cases cannot be deleted.
    expect((await req(`/api/alert-rules/${ruleId}`, { method: 'DELETE' })).status).toBe(409);
  });
});

describe('time limits', () => {
  let caseId: string;
  let number: number;
  const start = clock.now();
  const eventsOf = async (id: string) => (await t.sql`select kind from case_events where case_id = ${id} order by id`).map((e) => e.kind);

  it('reminds the owner once when the first response is close', async () => {
    clock.set(start);
    const { token } = await invite();
    const { responseId } = await answer(token, detractor);
    await evaluateResponseRules(t.deps, { responseId });
    const [c] = await casesOf(responseId);
    caseId = c.id;
    number = Number(c.number);

    clock.set(new Date(start.getTime() + 17 * H));
    await caseTick(t.deps);
    expect(await eventsOf(caseId)).toEqual(['created']);
    clock.set(new Date(start.getTime() + 18 * H)); // three quarters of 24 h
    await caseTick(t.deps);
    await caseTick(t.deps);
    expect(await eventsOf(caseId)).toEqual(['created', 'reminder']);
    const reminder = await waitFor(
      async () => mailsTo('wang.manager@rental.test').find((m) => m.subject.includes(`#${number}`) && m.subject.includes('首次响应即将超时')),
      'the reminder',
    );
    expect(reminder.text).toContain('Nobody has contacted the customer yet');
  });

  it('marks the breach and escalates to the regional manager, then the quality manager', async () => {
    clock.set(new Date(start.getTime() + 24 * H + 60_000));
    await caseTick(t.deps);
    await caseTick(t.deps);
    expect(await eventsOf(caseId)).toEqual(['created', 'reminder', 'breach', 'escalated']);
    let [c] = await t.sql`select * from cases where id = ${caseId}`;
    expect(c.first_response_breached_at).not.toBeNull();
    expect(c).toMatchObject({ escalation_level: 1, escalated_to_email: 'east.region@rental.test', owner_email: 'wang.manager@rental.test' });
    await waitFor(
      async () => mailsTo('east.region@rental.test').find((m) => m.subject.includes(`#${number}`) && m.subject.includes('工单已升级给您')),
      'the escalation',
    );
    await waitFor(
      async () => mailsTo('wang.manager@rental.test').find((m) => m.subject.includes(`#${number}`) && m.subject.includes('首次响应已超时')),
      'the breach notice',
    );

    // The resolution reminder fell due at 54 h and the breach at 72 h: a run after both does only the breach.
    clock.set(new Date(start.getTime() + 72 * H + 60_000));
    await caseTick(t.deps);
    expect(await eventsOf(caseId)).toEqual(['created', 'reminder', 'breach', 'escalated', 'breach', 'escalated']);
    [c] = await t.sql`select * from cases where id = ${caseId}`;
    expect(c).toMatchObject({ escalation_level: 2, escalated_to_email: 'quality@rental.test' });
    expect(c.resolution_breached_at).not.toBeNull();
    await waitFor(async () => mailsTo('quality@rental.test').find((m) => m.subject.includes(`#${number}`)), 'the second escalation');
    // One e-mail of each kind per recipient, however often the timer ran.
    const [{ n }] = await t.sql`select count(*)::int as n from case_notifications where case_id = ${caseId}`;
    expect(n).toBe(6);
  });

  it('lists the case as overdue and as the quality manager’s it was escalated to', async () => {
    const overdue = await (await req('/api/cases?overdue=true')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(caseId);
    const quality = await t.signIn('quality_manager', { email: 'quality@rental.test' });
    const mine = await (await req('/api/cases?mine=true', { who: quality })).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toContain(caseId);
    const managers = await (await req('/api/cases?mine=true', { who: manager })).json();
    expect(managers.items.map((i: { id: string }) => i.id)).toContain(caseId);
    const nobody = await (await req('/api/cases?mine=true', { who: await t.signIn('quality_manager') })).json();
    expect(nobody.total).toBe(0);
  });

  it('counts business hours only when the rule says so', async () => {
    const rule = await req('/api/alert-rules', {
      method: 'POST',
      json: {
        surveyId,
        name: '工作时间',
        triggers: [{ type: 'csat_at_most', value: 1 }],
        firstResponseHours: 4,
        resolutionHours: 18,
        businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      },
    });
    expect(rule.status).toBe(201);
    clock.set('2026-06-05T08:00:00Z'); // Friday 16:00 in Shanghai
    const { token } = await invite();
    const { responseId } = await answer(token, { ...promoter, q_csat: 1 });
    await evaluateResponseRules(t.deps, { responseId });
    const [c] = await t.sql`select c.* from cases c join alert_rules r on r.id = c.rule_id where c.response_id = ${responseId} and r.name = '工作时间'`;
    // 2 h on Friday, 2 h on Monday from 09:00 → Monday 11:00 (03:00Z).
    expect(new Date(c.first_response_due_at).toISOString()).toBe('2026-06-08T03:00:00.000Z');
    // 18 h: 2 on Friday, 9 on Monday, 7 on Tuesday → Tuesday 16:00 (08:00Z).
    expect(new Date(c.resolution_due_at).toISOString()).toBe('2026-06-09T08:00:00.000Z');
    expect(c.time_zone).toBe('Asia/Shanghai');
  });
});

describe('working a case', () => {
  let caseId: string;
  let followUpInvitation: string;

  beforeAll(async () => {
    clock.set('2026-06-10T02:00:00Z');
    const { token } = await invite({
      customer: { externalId: 'C-WORK', name: '李女士', email: 'li@example.com', phone: '+86 138 1234 5678', preferredLanguage: 'zh-CN' },
    });
    const { responseId } = await answer(token, detractor);
    await evaluateResponseRules(t.deps, { responseId });
    [{ id: caseId }] = await casesOf(responseId);
  });

  it('shows a branch manager the customer’s contacts masked, owner or not, and another branch’s manager nothing', async () => {
    const detail = await (await req(`/api/cases/${caseId}`, { who: manager })).json();
    expect(detail.customer).toMatchObject({ name: '李女士', email: 'l***@example.com', phone: '+86 138****5678' });
    expect(detail.response.answers.q_nps).toBe(3);
    expect(detail.reasonText.en).toMatch(/^NPS 3; Problems: /);
    const colleague = await t.signIn('branch_manager', { branches: ['SH01'] });
    const masked = await (await req(`/api/cases/${caseId}`, { who: colleague })).json();
    expect(masked.customer.email).toBe('l***@example.com');
    const other = await t.signIn('branch_manager', { branches: ['BJ01'] });
    expect((await req(`/api/cases/${caseId}`, { who: other })).status).toBe(404);
    const list = await (await req('/api/cases', { who: other })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(caseId);
  });

  it('logs the first contact as the first response and starts the work', async () => {
    clock.advance(2 * H);
    const res = await req(`/api/cases/${caseId}/contacts`, { method: 'POST', who: manager, json: { channel: 'call', body: '已致电客户，致歉并了解情况' } });
    expect(res.status).toBe(201);
    const detail = await res.json();
    expect(detail.status).toBe('in_progress');
    expect(detail.firstRespondedAt).toBe(clock.now().toISOString());
    const later = await req(`/api/cases/${caseId}/contacts`, { method: 'POST', who: manager, json: { channel: 'sms', body: '短信告知处理进度' } });
    expect((await later.json()).firstRespondedAt).toBe(detail.firstRespondedAt);
    expect((await req(`/api/cases/${caseId}/notes`, { method: 'POST', who: manager, json: { body: '内部：柜台当班 2 人' } })).status).toBe(201);
  });

  it('refuses to resolve without root cause and resolution, and refuses a stale version', async () => {
    const detail = await (await req(`/api/cases/${caseId}`)).json();
    const missing = await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'resolved' } });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors.map((e: { path: string }) => e.path)).toEqual(['rootCause', 'resolution']);
    const stale = await req(`/api/cases/${caseId}`, { method: 'PATCH', who: manager, json: { version: detail.version - 1, rootCause: 'staff' } });
    expect(stale.status).toBe(409);
    const skip = await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'closed' } });
    expect(skip.status).toBe(409);
  });

  it('resolves with root cause and compensation and sends the follow-up survey through the distribution path', async () => {
    clock.advance(20 * H);
    const res = await req(`/api/cases/${caseId}/transitions`, {
      method: 'POST',
      who: manager,
      json: {
        to: 'resolved',
        rootCause: 'waiting_time',
        resolution: '增加高峰时段柜台人手，并向客户致歉',
        compensationType: 'voucher',
        compensationAmount: 200,
      },
    });
    expect(res.status).toBe(200);
    const detail = await res.json();
    expect(detail).toMatchObject({
      status: 'resolved',
      rootCause: 'waiting_time',
      compensationType: 'voucher',
      compensationAmount: 200,
      resolvedAt: clock.now().toISOString(),
    });
    expect(detail.followUp).toBeNull();

    // The follow-up job was queued with the resolution; the case workers run it, the distribution worker sends it.
    const boss = await startBoss(t.sql, { maintenanceIntervalSeconds: 3600 });
    try {
      const cases = startCaseWorkers(t.deps, boss, { autoStart: false });
      await cases.runOnce();
      // Resolved at 08:00 in Shanghai: the invitation waits for the end of the quiet hours at 09:00.
      const [planned] = await t.sql`select i.status, i.scheduled_at from invitations i join cases c on c.follow_up_invitation_id = i.id where c.id = ${caseId}`;
      expect(planned.status).toBe('scheduled');
      expect(new Date(planned.scheduled_at).toISOString()).toBe('2026-06-11T01:00:00.000Z');
      clock.advance(H);
      const distribution = await startDistributionWorker(t.deps, boss, { autoStart: false });
      await distribution.runOnce();
      await distribution.stop();
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const [c] = await t.sql`select follow_up_invitation_id, rental_id, customer_id from cases where id = ${caseId}`;
    expect(c.follow_up_invitation_id).not.toBeNull();
    followUpInvitation = c.follow_up_invitation_id;
    const [inv] = await t.sql`select i.*, s.kind from invitations i join surveys s on s.id = i.survey_id where i.id = ${followUpInvitation}`;
    expect(inv).toMatchObject({ kind: 'complaint_follow_up', customer_id: c.customer_id, rental_id: c.rental_id, channel: 'email', status: 'sent' });
    const mail = await waitFor(async () => mailsTo('li@example.com').find((m) => m.subject.includes('问题解决了吗')), 'the follow-up invitation');
    expect(mail.text).toMatch(/http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{22}/);
    // Once per case, however often the job runs.
    expect((await sendFollowUpSurvey(t.deps, { caseId })).outcome).toBe('already_sent');
    expect((await req(`/api/cases/${caseId}`)).status).toBe(200);
    const shown = await (await req(`/api/cases/${caseId}`)).json();
    // The answers are shown with the texts the customer saw: the piping facts come with the response.
    expect(shown.response.facts.rental).toEqual({
      vehicleClass: shown.rental.vehicleClass,
      pickedUpAt: shown.rental.pickedUpAt,
      returnedAt: shown.rental.returnedAt,
    });
    expect(shown.rental).not.toHaveProperty('facts');
    expect(shown.followUp).toMatchObject({ invitationId: followUpInvitation, status: 'sent', resolved: null });
  });

  it('records the customer’s follow-up answer on the case', async () => {
    const token = invitationToken(tokenSecret(t.deps.env), followUpInvitation).token;
    const res = await req(`/api/respond/${token}/submit`, {
      method: 'POST',
      as: 'anonymous',
      json: { answers: { q_resolved: { choice: 'yes' }, q_speed: 4, q_fairness: 5, q_communication: 4, q_csat: 5 } },
    });
    expect(res.status).toBe(200);
    const shown = await (await req(`/api/cases/${caseId}`)).json();
    expect(shown.followUp.resolved).toBe('yes');
  });

  it('reopens with a reason and a new resolution time, then closes', async () => {
    const noReason = await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'reopened' } });
    expect(noReason.status).toBe(422);
    clock.advance(H);
    const reopened = await (
      await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'reopened', note: '客户来电：代金券未到账' } })
    ).json();
    expect(reopened.status).toBe('reopened');
    expect(reopened.resolutionDueAt).toBe(new Date(clock.now().getTime() + 72 * H).toISOString());
    expect(reopened.resolvedAt).toBeNull();
    await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'resolved', resolution: '代金券已补发' } });
    const closed = await (await req(`/api/cases/${caseId}/transitions`, { method: 'POST', who: manager, json: { to: 'closed' } })).json();
    expect(closed.status).toBe('closed');
    expect(closed.events.filter((e: { kind: string }) => e.kind === 'status').map((e: { data: { to: string } }) => e.data.to)).toEqual([
      'in_progress',
      'resolved',
      'reopened',
      'resolved',
      'closed',
    ]);
    const [audit] = await t.sql`select actor_label from audit_log where action = 'case.close' and target_id = ${caseId}`;
    expect(audit.actor_label).toBe('wang.manager@rental.test');
  });
});

describe('lists and metrics', () => {
  it('filters by branch and root cause', async () => {
    const options = await (await req('/api/cases/options')).json();
    const sh01 = options.branches.find((b: { code: string }) => b.code === 'SH01');
    const byBranch = await (await req(`/api/cases?branch=${sh01.id}&limit=500`)).json();
    expect(byBranch.total).toBeGreaterThan(0);
    expect(byBranch.items.every((i: { branch: { code: string } }) => i.branch.code === 'SH01')).toBe(true);
    const byCause = await (await req('/api/cases?rootCause=waiting_time')).json();
    expect(byCause.items).toHaveLength(1);
    expect(byCause.items[0].rootCause).toBe('waiting_time');
  });

  it('computes count, medians, breach rate and recovery rate per branch and period', async () => {
    // 1 June (Shanghai): four cases opened at 10:00, none ever answered; the timer ran past every due time.
    const june1 = await (await req('/api/cases/metrics?from=2026-06-01&to=2026-06-01')).json();
    expect(june1.total).toMatchObject({
      cases: 4,
      open: 4,
      slaDecided: 4,
      slaBreached: 4,
      slaBreachRate: 1,
      medianHoursToFirstResponse: null,
      medianHoursToResolution: null,
    });
    expect(june1.rows.map((r: { branch: { code: string } }) => r.branch.code)).toEqual(['SH01']);
    // 10 June: the worked case — contact after 2 h, resolved after 22 h, reopened and resolved again at 24 h, answered "resolved".
    const june10 = await (await req('/api/cases/metrics?from=2026-06-10&to=2026-06-10')).json();
    expect(june10.total).toMatchObject({
      cases: 1,
      open: 0,
      medianHoursToFirstResponse: 2,
      medianHoursToResolution: 24,
      slaDecided: 1,
      slaBreached: 0,
      slaBreachRate: 0,
      followUpAnswers: 1,
      recovered: 1,
      recoveryRate: 1,
    });
    // A branch manager of another branch sees none of it.
    const other = await t.signIn('branch_manager', { branches: ['BJ01'] });
    const theirs = await (await req('/api/cases/metrics', { who: other })).json();
    expect(theirs.total.cases).toBe(0);
  });
});

describe('a reopened case', () => {
  it('gets a new resolution time with its own reminder, breach and escalation', async () => {
    clock.set('2026-07-01T02:00:00Z');
    const { token } = await invite();
    const { responseId } = await answer(token, detractor);
    await evaluateResponseRules(t.deps, { responseId });
    const [{ id }] = await casesOf(responseId);
    await req(`/api/cases/${id}/contacts`, { method: 'POST', who: manager, json: { channel: 'email', body: '邮件致歉' } });
    await req(`/api/cases/${id}/transitions`, {
      method: 'POST',
      who: manager,
      json: { to: 'resolved', rootCause: 'staff', resolution: '已致歉', sendFollowUp: false },
    });
    clock.advance(H);
    const reopenedAt = clock.now().getTime();
    const reopened = await (await req(`/api/cases/${id}/transitions`, { method: 'POST', who: manager, json: { to: 'reopened', note: '客户仍不满意' } })).json();
    expect(reopened.resolutionDueAt).toBe(new Date(reopenedAt + 72 * H).toISOString());
    const kinds = async () =>
      (await t.sql`select kind, data from case_events where case_id = ${id} and kind in ('reminder', 'breach', 'escalated') order by id`).map(
        (e) => `${e.kind}:${e.data.sla ?? e.data.level}`,
      );

    // The original resolution time (72 h after opening) no longer counts.
    clock.set(new Date(reopenedAt + 53 * H));
    await caseTick(t.deps);
    expect(await kinds()).toEqual([]);
    clock.set(new Date(reopenedAt + 54 * H));
    await caseTick(t.deps);
    await caseTick(t.deps);
    expect(await kinds()).toEqual(['reminder:resolution']);
    clock.set(new Date(reopenedAt + 72 * H + 60_000));
    await caseTick(t.deps);
    await caseTick(t.deps);
    expect(await kinds()).toEqual(['reminder:resolution', 'breach:resolution', 'escalated:1']);
    const [row] = await t.sql`select escalated_to_email, follow_up_invitation_id from cases where id = ${id}`;
    expect(row).toMatchObject({ escalated_to_email: 'east.region@rental.test', follow_up_invitation_id: null });
  });

  it('can be given to another manager of the branch, not to one of another branch', async () => {
    const [{ id }] = await t.sql`select id from cases order by number desc limit 1`;
    const colleague = await t.signIn('branch_manager', { branches: ['SH01'], email: 'li.deputy@rental.test' });
    const elsewhere = await t.signIn('branch_manager', { branches: ['BJ01'] });
    const refused = await req(`/api/cases/${id}`, { method: 'PATCH', who: manager, json: { assignee: { userId: elsewhere.userId } } });
    expect(refused.status).toBe(422);
    const given = await req(`/api/cases/${id}`, { method: 'PATCH', who: manager, json: { assignee: { userId: colleague.userId } } });
    expect(given.status).toBe(200);
    expect(await given.json()).toMatchObject({ ownerEmail: 'li.deputy@rental.test', assigneeKind: 'user' });
    const theirs = await (await req('/api/cases?mine=true', { who: colleague })).json();
    expect(theirs.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const [event] = await t.sql`select kind, actor, data from case_events where case_id = ${id} and kind = 'assigned'`;
    expect(event).toMatchObject({ actor: 'wang.manager@rental.test', data: { owner: { from: 'wang.manager@rental.test', to: 'li.deputy@rental.test' } } });
  });
});
