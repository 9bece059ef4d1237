// Demo data for the closed loop: escalation contacts, a team, two alert rules, and cases for the last 30
// days of demo answers in every state (open, in progress, resolved, closed; some late and escalated), with
// follow-up answers for part of the resolved ones. Called from seedDemoData inside its transaction.
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { alertRules, answers, caseEvents, caseTeams, cases, escalationContacts, invitations, responses, surveyVersions } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import type { Random } from '../lib/random.ts';
import { toAnswerRows, type SurveyDefinition } from '@rs/survey-definition';
import { nextEscalation } from '../cases/assignment.ts';
import { openCase } from '../cases/evaluate.ts';
import { followUpSurvey } from '../cases/follow-up.ts';
import { responsesForRules } from '../cases/rules.queries.ts';
import { evaluateRule, type Filter, type RootCause, type Trigger, type TriggerReason } from '../cases/rules.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const H = 3_600_000;
const REGIONAL = [
  { region: '华东', name: '华东区域经理 周敏', email: 'region.east@example.com' },
  { region: '华北', name: '华北区域经理 赵军', email: 'region.north@example.com' },
  { region: '华南', name: '华南区域经理 林芳', email: 'region.south@example.com' },
  { region: '西南', name: '西南区域经理 何涛', email: 'region.southwest@example.com' },
  { region: '西北', name: '西北区域经理 郭超', email: 'region.northwest@example.com' },
];

/** The root cause a manager would most likely pick for the problems the customer checked. */
const CAUSE_OF_PROBLEM: Record<string, RootCause> = {
  counter_wait: 'waiting_time',
  return_wait: 'waiting_time',
  vehicle_not_ready: 'waiting_time',
  vehicle_not_clean: 'vehicle_condition',
  vehicle_damage: 'vehicle_condition',
  vehicle_fault: 'vehicle_condition',
  wrong_class: 'vehicle_condition',
  unexpected_fees: 'price_fees',
  deposit_issue: 'billing',
  damage_dispute: 'billing',
};

const RESOLUTIONS: Record<RootCause, string[]> = {
  waiting_time: ['已致歉，并安排高峰时段增加柜台人手', '已向客户致歉，门店调整排班'],
  vehicle_condition: ['已致歉，车辆已送检并重新清洁', '为客户免费升级下次租车车型'],
  price_fees: ['已核实费用并退还多收部分', '已向客户解释费用明细并致歉'],
  billing: ['押金已退还，并致电说明原因', '已撤销不合理的车损费用'],
  staff: ['已与当班员工沟通并安排服务培训', '门店经理已亲自致电道歉'],
  other: ['已与客户沟通并达成一致', '已记录客户建议并反馈总部'],
};

export async function seedDemoCases(
  tx: Tx,
  { surveyId, now, random, publicUrl = 'http://localhost:3000' }: { surveyId: string; now: Date; random: Random; publicUrl?: string },
) {
  await tx
    .insert(escalationContacts)
    .values([
      ...REGIONAL.map((r) => ({ level: 'regional_manager' as const, region: r.region, name: r.name, email: r.email, createdAt: now })),
      { level: 'quality_manager' as const, region: null, name: '质量经理 陈静', email: 'quality@example.com', createdAt: now },
    ]);
  const [team] = await tx.insert(caseTeams).values({ name: '客户关怀组', email: 'care@example.com', createdAt: now }).returning();
  const rules = await tx
    .insert(alertRules)
    .values([
      {
        surveyId,
        name: '低分告警：NPS ≤ 6 或 CSAT ≤ 2',
        triggers: [
          { type: 'nps_at_most', value: 6 },
          { type: 'csat_at_most', value: 2 },
        ] satisfies Trigger[],
        filters: [] satisfies Filter[],
        priority: 'high' as const,
        createdAt: new Date(now.getTime() - 30 * 24 * H),
        updatedAt: new Date(now.getTime() - 30 * 24 * H),
      },
      {
        surveyId,
        name: '费用与押金投诉',
        triggers: [{ type: 'comment_contains', keywords: ['押金', '额外费用', '退款', 'deposit', 'fees'] }] satisfies Trigger[],
        filters: [] satisfies Filter[],
        priority: 'urgent' as const,
        assignTo: 'team' as const,
        teamId: team.id,
        firstResponseHours: 4,
        resolutionHours: 27,
        businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
        createdAt: new Date(now.getTime() - 30 * 24 * H),
        updatedAt: new Date(now.getTime() - 30 * 24 * H),
      },
    ])
    .returning();

  // Every finished response of the last 30 days, through the rules as the evaluation job would.
  const since = new Date(now.getTime() - 30 * 24 * H);
  const recent = await responsesForRules(tx, { surveyId, from: since, complete: true });

  const opened: { id: string; region: string; reasons: TriggerReason[]; createdAt: Date }[] = [];
  for (const r of recent) {
    const ctx = {
      definition: r.definition as SurveyDefinition,
      answers: r.answers,
      customer: { valueTier: r.valueTier, customerType: r.customerType, memberLevel: r.memberLevel },
      rental: { vehicleClass: r.vehicleClass!, bookingChannel: r.bookingChannel!, amount: Number(r.amount) },
      branch: { code: r.branchCode!, region: r.region! },
    };
    for (const rule of rules) {
      const outcome = evaluateRule({ triggers: rule.triggers as Trigger[], filters: rule.filters as Filter[] }, ctx);
      if (!outcome.matched) continue;
      const at = new Date(r.finishedAt!.getTime() + 60_000);
      const created = await openCase(tx, { publicUrl }, rule, r, { id: r.branchId!, region: r.region!, timeZone: r.timeZone! }, outcome.reasons, at, {
        notify: false,
      });
      if (created) opened.push({ id: created.caseId, region: r.region!, reasons: outcome.reasons, createdAt: at });
    }
  }

  let followUp: { surveyId: string; versionId: string } | null = null;
  for (const o of opened) {
    const [row] = await tx.select().from(cases).where(eq(cases.id, o.id));
    const age = now.getTime() - o.createdAt.getTime();
    const owner = row.ownerEmail ?? 'system';
    const events: (typeof caseEvents.$inferInsert)[] = [];
    const set: Partial<typeof cases.$inferInsert> = {};
    const roll = random.next();
    // Newer cases are mostly untouched; older ones mostly worked and resolved.
    const contacted = age > 6 * H && roll < Math.min(0.95, age / (36 * H));
    const contactHours = random.chance(0.8) ? random.int(1, 18) : random.int(19, 40);
    const firstContact = contacted && contactHours < age / H ? new Date(o.createdAt.getTime() + contactHours * H) : null;
    if (firstContact && firstContact < now) {
      events.push({
        caseId: o.id,
        at: firstContact,
        kind: 'contact',
        actor: owner,
        channel: random.pick(['call', 'call', 'sms', 'email'] as const),
        body: '已联系客户，了解情况并致歉',
      });
      events.push({ caseId: o.id, at: firstContact, kind: 'status', actor: owner, data: { from: 'open', to: 'in_progress', by: 'contact' } });
      Object.assign(set, { status: 'in_progress', firstRespondedAt: firstContact });
    }
    const resolvedAt = firstContact ? new Date(firstContact.getTime() + (random.chance(0.8) ? random.int(3, 45) : random.int(46, 90)) * H) : null;
    if (firstContact && resolvedAt && resolvedAt < now && random.chance(0.85)) {
      const problems = o.reasons.find((x) => x.type === 'problem')?.choiceIds ?? [];
      const cause: RootCause =
        (problems.map((p) => CAUSE_OF_PROBLEM[p]).find(Boolean) as RootCause | undefined) ??
        random.pick(['staff', 'waiting_time', 'vehicle_condition', 'price_fees', 'other'] as const);
      const compensation = random.chance(0.45) ? random.pick(['voucher', 'refund', 'discount', 'upgrade', 'points'] as const) : 'none';
      Object.assign(set, {
        status: 'resolved',
        resolvedAt,
        rootCause: cause,
        resolution: random.pick(RESOLUTIONS[cause]),
        compensationType: compensation,
        compensationAmount: compensation === 'none' || compensation === 'upgrade' ? null : random.pick([50, 100, 100, 200, 300]),
      });
      events.push({ caseId: o.id, at: resolvedAt, kind: 'status', actor: owner, data: { from: 'in_progress', to: 'resolved', rootCause: cause } });
      if (now.getTime() - resolvedAt.getTime() > 48 * H && random.chance(0.6)) {
        const closedAt = new Date(resolvedAt.getTime() + 48 * H);
        Object.assign(set, { status: 'closed', closedAt });
        events.push({ caseId: o.id, at: closedAt, kind: 'status', actor: owner, data: { from: 'resolved', to: 'closed' } });
      }
    }
    // The time limits, as the timer would have marked them.
    const done = (at: Date | null | undefined, due: Date) => (at ? at <= due : false);
    const firstLate = !done(set.firstRespondedAt as Date | undefined, row.firstResponseDueAt) && (set.firstRespondedAt ? true : row.firstResponseDueAt <= now);
    const resolvedLate = !done(set.resolvedAt as Date | undefined, row.resolutionDueAt) && (set.resolvedAt ? true : row.resolutionDueAt <= now);
    if (row.firstResponseWarnAt <= now && (!set.firstRespondedAt || (set.firstRespondedAt as Date) > row.firstResponseWarnAt)) {
      set.firstResponseRemindedAt = row.firstResponseWarnAt;
      events.push({
        caseId: o.id,
        at: row.firstResponseWarnAt,
        kind: 'reminder',
        actor: 'system',
        data: { sla: 'first_response', dueAt: row.firstResponseDueAt.toISOString() },
      });
    }
    if (row.resolutionWarnAt <= now && (!set.resolvedAt || (set.resolvedAt as Date) > row.resolutionWarnAt)) {
      set.resolutionRemindedAt = row.resolutionWarnAt;
      events.push({
        caseId: o.id,
        at: row.resolutionWarnAt,
        kind: 'reminder',
        actor: 'system',
        data: { sla: 'resolution', dueAt: row.resolutionDueAt.toISOString() },
      });
    }
    let level = row.escalationLevel;
    for (const [late, due, sla] of [
      [firstLate, row.firstResponseDueAt, 'first_response'],
      [resolvedLate, row.resolutionDueAt, 'resolution'],
    ] as const) {
      if (!late) continue;
      set[sla === 'first_response' ? 'firstResponseBreachedAt' : 'resolutionBreachedAt'] = due;
      events.push({ caseId: o.id, at: due, kind: 'breach', actor: 'system', data: { sla, dueAt: due.toISOString() } });
      const next = await nextEscalation(tx, level, o.region);
      if (next) {
        events.push({
          caseId: o.id,
          at: due,
          kind: 'escalated',
          actor: 'system',
          data: { reason: sla, from: level, level: next.level, to: { name: next.name, email: next.email } },
        });
        level = next.level;
        Object.assign(set, { escalationLevel: next.level, escalatedToName: next.name, escalatedToEmail: next.email });
      }
    }
    // Part of the customers answered the follow-up survey.
    if (set.resolvedAt && now.getTime() - (set.resolvedAt as Date).getTime() > 24 * H && random.chance(0.55)) {
      followUp ??= await followUpSurvey(tx, new Date(now.getTime() - 20 * 24 * H));
      const sentAt = new Date((set.resolvedAt as Date).getTime() + 5 * 60_000);
      const answeredAt = new Date(sentAt.getTime() + random.int(1, 20) * H);
      const [inv] = await tx
        .insert(invitations)
        .values({
          surveyId: followUp.surveyId,
          surveyVersionId: followUp.versionId,
          rentalId: row.rentalId,
          customerId: row.customerId!,
          branchId: row.branchId!,
          tokenHash: hashToken(random.hex(16)),
          channel: 'email',
          status: 'finished',
          scheduledAt: sentAt,
          sentAt,
          openedAt: answeredAt,
          expiresAt: new Date(sentAt.getTime() + 14 * 24 * H),
          createdAt: sentAt,
        })
        .onConflictDoNothing()
        .returning({ id: invitations.id });
      if (inv) {
        const roll2 = random.next();
        const resolved = roll2 < 0.65 ? 'yes' : roll2 < 0.85 ? 'partly' : 'no';
        const good = resolved === 'yes' ? 4 : resolved === 'partly' ? 3 : 2;
        const values = {
          q_resolved: { choice: resolved },
          q_speed: Math.min(5, good + random.int(0, 1)),
          q_fairness: Math.min(5, good + random.int(-1, 1)),
          q_communication: Math.min(5, good + random.int(0, 1)),
          q_csat: Math.max(1, Math.min(5, good + random.int(-1, 1))),
        };
        const [resp] = await tx
          .insert(responses)
          .values({
            invitationId: inv.id,
            surveyId: followUp.surveyId,
            surveyVersionId: followUp.versionId,
            branchId: row.branchId,
            customerId: row.customerId,
            rentalId: row.rentalId,
            locale: 'zh-CN',
            status: 'finished',
            startedAt: answeredAt,
            finishedAt: new Date(answeredAt.getTime() + 90_000),
            durationMs: 90_000,
            updatedAt: answeredAt,
          })
          .returning({ id: responses.id });
        const [version] = await tx.select({ definition: surveyVersions.definition }).from(surveyVersions).where(eq(surveyVersions.id, followUp.versionId));
        const rows = toAnswerRows(version.definition as SurveyDefinition, values);
        if (rows.length) await tx.insert(answers).values(rows.map((a) => ({ ...a, responseId: resp.id })));
        Object.assign(set, { followUpInvitationId: inv.id, followUpSentAt: sentAt });
        events.push({ caseId: o.id, at: sentAt, kind: 'follow_up', actor: 'system', data: { outcome: 'sent', invitationId: inv.id } });
      }
    }
    if (events.length > 0) await tx.insert(caseEvents).values(events);
    if (Object.keys(set).length > 0) {
      await tx
        .update(cases)
        .set({ ...set, version: sql`${cases.version} + ${events.length}`, updatedAt: now })
        .where(eq(cases.id, o.id));
    }
  }
  return { rules: rules.length, cases: opened.length };
}
