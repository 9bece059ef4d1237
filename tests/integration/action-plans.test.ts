// Action plans against a real PostgreSQL and a real SMTP server on loopback: opened from a driver, a problem
// or a topic for some branches, their figure before and after the start date (hand-computed below),
// branch managers limited to their branches, every change audited, overdue plans reminded once per due date.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTick } from '../../api/src/cases/cases.jobs.ts';
import { closeCaseMail } from '../../api/src/cases/mail.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, insertAnalyticsData, type TestResponse } from '../support/analytics-data.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';
import { createTestApp, testClock, type Credentials } from '../support/test-db.ts';

let smtp: TestSmtpServer;
const clock = testClock('2026-06-10T02:00:00Z'); // 10:00 on 10 June in Shanghai
let t: Awaited<ReturnType<typeof createTestApp>>;
let surveyId: string;
let branchIds: Record<string, string>;
let shManager: Credentials & { userId: string; email: string };
let quality: Credentials & { userId: string; email: string };
let executive: Credentials & { userId: string; email: string };

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
async function req(path: string, init: RequestInit & { json?: unknown; who?: { userId: string } } = {}): Promise<JsonResponse> {
  const { who, ...rest } = init;
  return (await t.request(path, { ...rest, as: await t.sessionFor((who ?? t.admin!).userId) })) as JsonResponse;
}

/** `promoters` tens, `passives` eights and `detractors` threes at the branch, one a day from `firstDay`. */
function answers(branch: string, firstDay: string, promoters: number, passives: number, detractors: number) {
  const scores = [...Array(promoters).fill(10), ...Array(passives).fill(8), ...Array(detractors).fill(3)];
  return scores.map((nps, i) => {
    const customer = randomUUID();
    const rental = randomUUID();
    const finishedAt = new Date(new Date(`${firstDay}T04:00:00Z`).getTime() + i * 86_400_000);
    const response: TestResponse = {
      id: randomUUID(),
      branch,
      customer,
      rental,
      finishedAt,
      status: 'finished',
      answers: {
        nps,
        csat: null,
        staff: { friendly: null, competent: null },
        car: { clean: null, condition: null },
        price: null,
        problems: null,
        comment: null,
      },
    };
    return {
      customer: { id: customer, externalId: `C-${customer}`, tier: 'B' as const, type: 'leisure' as const },
      rental: {
        id: rental,
        externalId: `R-${rental}`,
        customer,
        branch,
        vehicleClass: 'suv',
        channel: 'app' as const,
        pickedUpAt: new Date(finishedAt.getTime() - 3 * 86_400_000),
        returnedAt: new Date(finishedAt.getTime() - 86_400_000),
      },
      response,
    };
  });
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Customer Care <care@rental.test>' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: analyticsDefinition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  // SH01: NPS 0 in April (6 / 8 / 6), 50 in May (12 / 6 / 2); BJ01, not in the plan: all detractors in May.
  const rows = [...answers('SH01', '2026-04-05', 6, 8, 6), ...answers('SH01', '2026-05-05', 12, 6, 2), ...answers('BJ01', '2026-05-05', 0, 0, 20)];
  ({ branchIds } = await insertAnalyticsData(
    t.sql,
    { surveyId, versionId: version.id },
    { customers: rows.map((r) => r.customer), rentals: rows.map((r) => r.rental), responses: rows.map((r) => r.response) },
  ));
  shManager = await t.signIn('branch_manager', { branches: ['SH01'], email: 'sh.manager@rental.test' });
  quality = await t.signIn('quality_manager', { email: 'quality@rental.test' });
  executive = await t.signIn('executive');
});

afterAll(async () => {
  await closeCaseMail();
  await smtp.close();
});

let shPlan: string;
let bjPlan: string;
let companyPlan: string;

const plan = (over: Record<string, unknown>) => ({
  title: '柜台高峰加派人手',
  source: { kind: 'driver', key: 'staff', label: '员工服务' },
  surveyId,
  metric: 'nps',
  ownerUserId: shManager.userId,
  branchIds: [branchIds.SH01],
  startDate: '2026-05-01',
  dueDate: '2026-07-31',
  ...over,
});

describe('opening a plan', () => {
  it('shows its figure before and after the start date with 95 % intervals, over its branches only', async () => {
    const res = await req('/api/action-plans', { method: 'POST', json: plan({}), who: shManager });
    expect(res.status).toBe(201);
    const p = await res.json();
    shPlan = p.id;
    expect(p).toMatchObject({ status: 'planned', metric: 'nps', source: { kind: 'driver', key: 'staff' }, owner: { email: 'sh.manager@rental.test' } });
    expect(p.branches.map((b: { code: string }) => b.code)).toEqual(['SH01']);
    // Default window 90 days: before 31 Jan – 30 Apr, after 1 May – today (10 June).
    expect(p.effect.before).toMatchObject({ from: '2026-01-31', to: '2026-04-30', n: 20, value: 0 });
    expect(p.effect.after).toMatchObject({ from: '2026-05-01', to: '2026-06-10', n: 20, value: 50 });
    // Adjusted-Wald: before [−31.31, 31.31], after [15.02, 71.94]; change 50 ± 1.96 · √(17.32² + 15²) = [5.09, 94.91], p = 0.029.
    expect(p.effect.before.ci95[0]).toBeCloseTo(-31.3103, 3);
    expect(p.effect.before.ci95[1]).toBeCloseTo(31.3103, 3);
    expect(p.effect.after.ci95[0]).toBeCloseTo(15.0205, 3);
    expect(p.effect.after.ci95[1]).toBeCloseTo(71.936, 3);
    expect(p.effect.change.value).toBe(50);
    expect(p.effect.change.ci95[0]).toBeCloseTo(5.0916, 3);
    expect(p.effect.change.ci95[1]).toBeCloseTo(94.9084, 3);
    expect(p.effect.change.p).toBeCloseTo(0.0291, 4);
    const [audit] = await t.sql`select action from audit_log where target_id = ${shPlan}`;
    expect(audit).toMatchObject({ action: 'action_plan.create' });
  });

  it('takes the window asked for', async () => {
    const p = await (await req(`/api/action-plans/${shPlan}?window=30`)).json();
    expect(p.effect.before).toMatchObject({ from: '2026-04-01', to: '2026-04-30', n: 20 });
    expect(p.effect.after).toMatchObject({ from: '2026-05-01', to: '2026-05-30', n: 20 });
  });

  it('lets a branch manager plan only for their own branches', async () => {
    const other = await req('/api/action-plans', { method: 'POST', json: plan({ branchIds: [branchIds.BJ01] }), who: shManager });
    expect(other.status).toBe(422);
    expect((await other.json()).errors[0].path).toBe('branchIds');
    const companyWide = await req('/api/action-plans', { method: 'POST', json: plan({ branchIds: [] }), who: shManager });
    expect(companyWide.status).toBe(422);
    const badDates = await req('/api/action-plans', { method: 'POST', json: plan({ dueDate: '2026-04-01' }), who: shManager });
    expect(badDates.status).toBe(400);
    expect((await badDates.json()).errors[0].path).toBe('dueDate');
    expect((await req('/api/action-plans', { method: 'POST', json: plan({}), who: executive })).status).toBe(403);
    const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from action_plans`;
    expect(n).toBe(1);
  });
});

describe('who sees which plan', () => {
  it('shows branch managers only their branches’ plans, everyone else all', async () => {
    const bj = await req('/api/action-plans', {
      method: 'POST',
      json: plan({
        title: '北京车辆清洁',
        source: { kind: 'problem', key: 'dirty', label: '车辆不洁' },
        metric: 'csat',
        ownerUserId: quality.userId,
        branchIds: [branchIds.BJ01],
      }),
    });
    expect(bj.status).toBe(201);
    bjPlan = (await bj.json()).id;
    const company = await req('/api/action-plans', {
      method: 'POST',
      json: plan({ title: '全公司等待时间', source: { kind: 'topic', key: 'waiting', label: '等待' }, ownerUserId: quality.userId, branchIds: [] }),
    });
    expect(company.status).toBe(201);
    const companyBody = await company.json();
    companyPlan = companyBody.id;
    expect(companyBody.companyWide).toBe(true);
    // Company-wide: BJ01's twenty detractors join SH01's May answers after the start.
    expect(companyBody.effect.after.n).toBe(40);
    expect(companyBody.effect.after.value).toBeCloseTo(-25, 9);

    const mine = await (await req('/api/action-plans', { who: shManager })).json();
    expect(mine.items.map((p: { id: string }) => p.id)).toEqual([shPlan]);
    expect((await req(`/api/action-plans/${bjPlan}`, { who: shManager })).status).toBe(404);
    expect((await req(`/api/action-plans/${companyPlan}`, { who: shManager })).status).toBe(404);
    const all = await (await req('/api/action-plans', { who: executive })).json();
    expect(all.total).toBe(3);
    const onBranchPage = await (await req(`/api/action-plans?branch=${branchIds.BJ01}`)).json();
    expect(onBranchPage.items.map((p: { id: string }) => p.id)).toEqual([bjPlan]);
  });

  it('lets nobody change a plan of someone else’s branch, and refuses a stale version', async () => {
    expect((await req(`/api/action-plans/${bjPlan}`, { method: 'PATCH', json: { status: 'done' }, who: shManager })).status).toBe(404);
    const ok = await req(`/api/action-plans/${shPlan}`, {
      method: 'PATCH',
      json: { version: 1, status: 'in_progress', notes: '周末加两名员工' },
      who: shManager,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'in_progress', notes: '周末加两名员工', version: 2 });
    const stale = await req(`/api/action-plans/${shPlan}`, { method: 'PATCH', json: { version: 1, status: 'done' }, who: shManager });
    expect(stale.status).toBe(409);
    const audits = await t.sql`select action, details from audit_log where target_id = ${shPlan} order by at, id`;
    expect(audits.map((a) => a.action)).toEqual(['action_plan.create', 'action_plan.update']);
    expect(audits[1].details).toMatchObject({ fields: ['status', 'notes'], status: 'in_progress' });
  });
});

describe('overdue plans', () => {
  it('are listed as overdue and remind their owner once per due date', async () => {
    expect((await req(`/api/action-plans/${bjPlan}`, { method: 'PATCH', json: { dueDate: '2026-06-05' } })).status).toBe(200);
    const overdue = await (await req('/api/action-plans?overdue=true')).json();
    expect(overdue.items.map((p: { id: string; overdue: boolean }) => [p.id, p.overdue])).toEqual([[bjPlan, true]]);

    const before = smtp.messages.length;
    await caseTick(t.deps);
    await caseTick(t.deps);
    const mails = smtp.messages.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toContain('quality@rental.test');
    expect(mails[0].subject).toContain('北京车辆清洁');

    // A new due date that passes again reminds again; a finished plan never.
    expect((await req(`/api/action-plans/${bjPlan}`, { method: 'PATCH', json: { dueDate: '2026-06-08' } })).status).toBe(200);
    await caseTick(t.deps);
    expect(smtp.messages.length).toBe(before + 2);
    expect((await req(`/api/action-plans/${bjPlan}`, { method: 'PATCH', json: { status: 'done', dueDate: '2026-06-09' } })).status).toBe(200);
    await caseTick(t.deps);
    expect(smtp.messages.length).toBe(before + 2);
  });
});
