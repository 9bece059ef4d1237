// Cases: list with filters, detail, edits, status transitions, notes, contact log and metrics.
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { branchScopeWhere, mayAccessBranch } from '../access/scope.ts';
import { caseStatusEvent, emitCaseEvent } from '../access/webhooks.delivery.ts';
import type { Database } from '../db/client.ts';
import {
  alertRules,
  answers,
  branches,
  caseAttachments,
  caseEvents,
  casePrioritySettings,
  caseTeams,
  cases,
  customers,
  invitations,
  rentals,
  responses,
  surveyVersions,
  userBranches,
  users,
} from '../db/schema.ts';
import { notFound, ProblemError, unprocessable } from '../lib/problem.ts';
import type { AppDeps } from '../lib/types.ts';
import { pipingFacts } from '../responses/piping-facts.ts';
import { answerRowsOf } from '../responses/respond.queries.ts';
import { fromAnswerRows, type SurveyDefinition } from '@rs/survey-definition';
import { slaTimes, zonedTimeToInstant, type BusinessHours } from './business-hours.ts';
import { enqueueFollowUp } from './queues.ts';
import type { CaseListQuery, CaseUpdate, Transition } from './cases.schemas.ts';
import { CASE_CHANNELS, COMPLAINT_REASON_TEXT, type ComplaintChannel } from './channels.ts';
import { ATTACHMENT_SUMMARY } from './complaints.queries.ts';
import { describeReasons } from './describe.ts';
import { CASE_TRANSITIONS, PRIORITIES, type CaseStatus, type TriggerReason } from './rules.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type CaseRow = typeof cases.$inferSelect;

/** Who is acting, as far as cases care. */
export interface Actor {
  /** Shown in the timeline: the user's e-mail or the API key's name. */
  label: string;
  userId: string | null;
  email: string | null;
  /** Branch ids this actor may see; null = all. */
  branchScope: string[] | null;
}

const ACTIVE: CaseStatus[] = ['open', 'in_progress', 'reopened'];
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Unfinished and past a due time (the first-response one only counts until someone responded). */
function overdueSql(at: Date): SQL {
  return sql`(${cases.status} in ('open', 'in_progress', 'reopened') and ((${cases.firstRespondedAt} is null and ${cases.firstResponseDueAt} <= ${at.toISOString()}) or ${cases.resolutionDueAt} <= ${at.toISOString()}))`;
}

function mineSql(actor: Actor): SQL {
  if (!actor.email && !actor.userId) return sql`false`;
  const email = (actor.email ?? '').toLowerCase();
  return sql`(${cases.ownerUserId} = ${actor.userId ?? '00000000-0000-0000-0000-000000000000'} or lower(${cases.ownerEmail}) = ${email} or lower(${cases.escalatedToEmail}) = ${email})`;
}

/** A company-time-zone day as an instant: its start (or, with `end`, the start of the next day). */
export function dayStart(day: string, timeZone: string, end = false): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(zonedTimeToInstant(y, m, d + (end ? 1 : 0), 0, timeZone));
}

function summaryOf(
  row: {
    c: CaseRow;
    branchCode: string | null;
    branchName: string | null;
    branchNameEn: string | null;
    customerName: string | null;
    definition: unknown;
  },
  at: Date,
) {
  const c = row.c;
  const reasons = (c.trigger ?? []) as TriggerReason[];
  const def = (row.definition as SurveyDefinition | null) ?? null;
  const active = ACTIVE.includes(c.status);
  // A complaint opened by staff says where it arrived instead of which answers raised it.
  const complaint = c.channel === 'survey' ? null : (c.channel as ComplaintChannel);
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    priority: c.priority,
    channel: c.channel,
    reasons: reasons as unknown as Record<string, unknown>[],
    reasonText: complaint
      ? { 'zh-CN': COMPLAINT_REASON_TEXT['zh-CN'][complaint], en: COMPLAINT_REASON_TEXT.en[complaint] }
      : { 'zh-CN': describeReasons(reasons, def, 'zh-CN'), en: describeReasons(reasons, def, 'en') },
    branch: c.branchId && row.branchCode ? { id: c.branchId, code: row.branchCode, name: row.branchName ?? '', nameEn: row.branchNameEn } : null,
    customerName: row.customerName,
    ownerName: c.ownerName,
    ownerEmail: c.ownerEmail,
    escalationLevel: c.escalationLevel,
    escalatedToName: c.escalatedToName,
    rootCause: c.rootCause,
    createdAt: c.createdAt.toISOString(),
    firstResponseDueAt: c.firstResponseDueAt.toISOString(),
    resolutionDueAt: c.resolutionDueAt.toISOString(),
    firstRespondedAt: iso(c.firstRespondedAt),
    resolvedAt: iso(c.resolvedAt),
    overdue: active && ((!c.firstRespondedAt && c.firstResponseDueAt <= at) || c.resolutionDueAt <= at),
    breached: !!(c.firstResponseBreachedAt || c.resolutionBreachedAt),
  };
}

function baseSelect(db: Database | Tx) {
  return (
    db
      .select({
        c: cases,
        branchCode: branches.code,
        branchName: branches.name,
        branchNameEn: branches.nameEn,
        customerName: customers.name,
        definition: surveyVersions.definition,
      })
      .from(cases)
      .leftJoin(branches, eq(branches.id, cases.branchId))
      .leftJoin(customers, eq(customers.id, cases.customerId))
      // A complaint opened by staff has no response.
      .leftJoin(responses, eq(responses.id, cases.responseId))
      .leftJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
  );
}

export async function listCases(deps: AppDeps, actor: Actor, q: CaseListQuery) {
  const at = deps.now();
  const tz = deps.env.COMPANY_TIME_ZONE;
  const where = and(
    branchScopeWhere(actor.branchScope, cases.branchId),
    q.status?.length ? inArray(cases.status, q.status) : undefined,
    q.mine ? mineSql(actor) : undefined,
    q.overdue ? overdueSql(at) : undefined,
    q.branch?.length ? inArray(cases.branchId, q.branch) : undefined,
    q.rootCause?.length ? inArray(cases.rootCause, q.rootCause) : undefined,
    q.priority?.length ? inArray(cases.priority, q.priority) : undefined,
    q.rule ? eq(cases.ruleId, q.rule) : undefined,
    q.channel?.length ? inArray(cases.channel, q.channel) : undefined,
    q.number ? eq(cases.number, q.number) : undefined,
    q.from ? gte(cases.createdAt, dayStart(q.from, tz)) : undefined,
    q.to ? lt(cases.createdAt, dayStart(q.to, tz, true)) : undefined,
  );
  const priorityRank = sql`case ${cases.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;
  // The next deadline that still matters; finished cases sort last.
  const nextDue = sql`case when ${cases.status} in ('resolved', 'closed') then 'infinity'::timestamptz when ${cases.firstRespondedAt} is null then least(${cases.firstResponseDueAt}, ${cases.resolutionDueAt}) else ${cases.resolutionDueAt} end`;
  const order =
    q.sort === 'newest'
      ? [desc(cases.createdAt)]
      : q.sort === 'priority'
        ? [asc(priorityRank), asc(nextDue)]
        : [asc(nextDue), asc(priorityRank), asc(cases.number)];
  const rows = await baseSelect(deps.db)
    .where(where)
    .orderBy(...order)
    .limit(q.limit)
    .offset(q.offset);
  const [{ total }] = await deps.db.select({ total: sql<number>`count(*)::int` }).from(cases).where(where);
  return { items: rows.map((r) => summaryOf(r, at)), total };
}

async function loadCase(db: Database | Tx, actor: Actor, id: string, lock = false): Promise<CaseRow> {
  const query = db.select().from(cases).where(eq(cases.id, id));
  const [row] = lock ? await query.for('update') : await query;
  // Outside the caller's branches a case does not exist for them.
  if (!row || !mayAccessBranch(actor.branchScope, row.branchId)) throw notFound('No such case');
  return row;
}

export async function getCase(deps: AppDeps, actor: Actor, id: string) {
  const { db } = deps;
  const at = deps.now();
  await loadCase(db, actor, id);
  const [row] = await baseSelect(db).where(eq(cases.id, id));
  const c = row.c;
  const [rule] = c.ruleId ? await db.select({ id: alertRules.id, name: alertRules.name }).from(alertRules).where(eq(alertRules.id, c.ruleId)) : [];
  const [customer] = c.customerId ? await db.select().from(customers).where(eq(customers.id, c.customerId)) : [];
  const [rental] = c.rentalId ? await db.select().from(rentals).where(eq(rentals.id, c.rentalId)) : [];
  const [response] = c.responseId ? await db.select().from(responses).where(eq(responses.id, c.responseId)) : [];
  const definition = row.definition as SurveyDefinition;
  const answerRows = c.responseId ? await answerRowsOf(db, c.responseId) : [];
  const attachments = await db.select(ATTACHMENT_SUMMARY).from(caseAttachments).where(eq(caseAttachments.caseId, id)).orderBy(asc(caseAttachments.createdAt));
  const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.at), asc(caseEvents.id));
  let followUp: { invitationId: string; status: string; sentAt: string | null; resolved: 'yes' | 'partly' | 'no' | null } | null = null;
  if (c.followUpInvitationId) {
    const [inv] = await db
      .select({ id: invitations.id, status: invitations.status, sentAt: invitations.sentAt })
      .from(invitations)
      .where(eq(invitations.id, c.followUpInvitationId));
    const [resolvedAnswer] = await db
      .select({ choiceIds: answers.choiceIds })
      .from(responses)
      .innerJoin(answers, and(eq(answers.responseId, responses.id), eq(answers.questionId, 'q_resolved')))
      .where(and(eq(responses.invitationId, c.followUpInvitationId), eq(responses.status, 'finished')));
    const choice = resolvedAnswer?.choiceIds?.[0];
    const resolved: 'yes' | 'partly' | 'no' | null = choice === 'yes' || choice === 'partly' || choice === 'no' ? choice : null;
    followUp = inv
      ? {
          invitationId: inv.id,
          status: inv.status,
          sentAt: iso(inv.sentAt),
          resolved,
        }
      : null;
  }
  const erased = !!customer?.erasedAt;
  return {
    ...summaryOf(row, at),
    version: c.version,
    rule: rule ?? (c.ruleId ? { id: c.ruleId, name: '' } : null),
    surveyId: c.surveyId,
    responseId: c.responseId,
    description: c.description,
    attachments: attachments.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    assigneeKind: c.assigneeKind,
    teamId: c.teamId,
    escalatedToEmail: c.escalatedToEmail,
    businessHours: (c.businessHours as BusinessHours | null) ?? null,
    timeZone: c.timeZone,
    closedAt: iso(c.closedAt),
    reopenedAt: iso(c.reopenedAt),
    firstResponseBreachedAt: iso(c.firstResponseBreachedAt),
    resolutionBreachedAt: iso(c.resolutionBreachedAt),
    resolution: c.resolution,
    compensationType: c.compensationType,
    compensationAmount: c.compensationAmount === null ? null : Number(c.compensationAmount),
    followUpWanted: c.followUpWanted,
    followUp,
    customer: customer
      ? {
          id: customer.id,
          name: erased ? null : customer.name,
          email: erased ? null : customer.email,
          phone: erased ? null : customer.phone,
          preferredLanguage: customer.preferredLanguage,
          valueTier: customer.valueTier,
          customerType: customer.customerType,
          memberLevel: customer.memberLevel,
        }
      : null,
    rental: rental
      ? {
          id: rental.id,
          externalId: rental.externalId,
          vehicleClass: rental.vehicleClass,
          pickedUpAt: rental.pickedUpAt.toISOString(),
          returnedAt: rental.returnedAt.toISOString(),
          amount: Number(rental.amount),
          bookingChannel: rental.bookingChannel,
        }
      : null,
    response: response
      ? {
          id: response.id,
          finishedAt: iso(response.finishedAt),
          locale: response.locale,
          definition,
          answers: fromAnswerRows(definition, answerRows) as Record<string, unknown>,
          // the placeholders of the question texts as this customer saw them
          facts: pipingFacts({
            customerName: erased ? null : (customer?.name ?? null),
            branchName: row.branchName,
            branchNameEn: row.branchNameEn,
            vehicleClass: rental?.vehicleClass ?? null,
            pickedUpAt: rental?.pickedUpAt ?? null,
            returnedAt: rental?.returnedAt ?? null,
          }),
        }
      : null,
    events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, actor: e.actor, channel: e.channel, body: e.body, data: e.data ?? null })),
    permissions: { write: true },
  };
}

function checkVersion(row: CaseRow, version: number | undefined) {
  if (version !== undefined && version !== row.version) {
    throw new ProblemError(409, 'Conflict', 'Someone else changed this case in the meantime; reload it and try again.', undefined, {
      currentVersion: row.version,
    });
  }
}

async function addEvent(
  tx: Tx,
  caseId: string,
  at: Date,
  actor: Actor,
  kind: (typeof caseEvents.$inferInsert)['kind'],
  extra: Partial<typeof caseEvents.$inferInsert> = {},
) {
  await tx.insert(caseEvents).values({ caseId, at, kind, actor: actor.label, ...extra });
}

export async function updateCase(deps: AppDeps, actor: Actor, id: string, input: CaseUpdate) {
  const at = deps.now();
  await deps.db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id, true);
    checkVersion(row, input.version);
    const set: Partial<typeof cases.$inferInsert> = {};
    const changed: Record<string, unknown> = {};
    const fields = ['priority', 'rootCause', 'resolution', 'compensationType', 'compensationAmount', 'followUpWanted'] as const;
    for (const f of fields) {
      if (input[f] === undefined) continue;
      const value = f === 'resolution' && input.resolution === '' ? null : input[f];
      if ((row[f] ?? null) === (value ?? null)) continue;
      (set as Record<string, unknown>)[f] = value;
      changed[f] = { from: row[f] ?? null, to: value ?? null };
    }
    if (input.assignee) {
      if ('userId' in input.assignee) {
        const [user] = await tx
          .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt })
          .from(users)
          .where(eq(users.id, input.assignee.userId));
        if (!user || user.disabledAt) throw unprocessable('Unknown user', [{ path: 'assignee.userId', message: 'no such active user' }]);
        if (user.role === 'executive') throw unprocessable('Cannot own cases', [{ path: 'assignee.userId', message: 'executives only read dashboards' }]);
        if (user.role === 'branch_manager' && row.branchId) {
          const [mine] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(userBranches)
            .where(and(eq(userBranches.userId, user.id), eq(userBranches.branchId, row.branchId)));
          if (mine.n === 0)
            throw unprocessable('Not this branch', [{ path: 'assignee.userId', message: 'this branch manager does not manage the case’s branch' }]);
        }
        Object.assign(set, { assigneeKind: 'user', ownerUserId: user.id, ownerName: user.name, ownerEmail: user.email, teamId: null });
        changed.owner = { from: row.ownerEmail, to: user.email };
      } else {
        const [team] = await tx.select().from(caseTeams).where(eq(caseTeams.id, input.assignee.teamId));
        if (!team) throw unprocessable('Unknown team', [{ path: 'assignee.teamId', message: 'no such team' }]);
        const [account] = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(sql`lower(${users.email})`, team.email.toLowerCase()));
        Object.assign(set, { assigneeKind: 'team', ownerUserId: account?.id ?? null, ownerName: team.name, ownerEmail: team.email, teamId: team.id });
        changed.owner = { from: row.ownerEmail, to: team.email };
      }
    }
    if (Object.keys(changed).length === 0) return;
    await tx
      .update(cases)
      .set({ ...set, version: row.version + 1, updatedAt: at })
      .where(eq(cases.id, id));
    await addEvent(tx, id, at, actor, changed.owner ? 'assigned' : 'updated', { data: changed });
    await emitCaseEvent(tx, changed.owner ? 'case.assigned' : 'case.updated', id, at);
  });
  return getCase(deps, actor, id);
}

/** Moves a case along open → in progress → resolved → closed (and back to reopened). Returns whether a follow-up was queued. */
export async function transitionCase(deps: AppDeps, actor: Actor, id: string, input: Transition): Promise<{ followUp: boolean }> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id, true);
    checkVersion(row, input.version);
    if (!CASE_TRANSITIONS[row.status].includes(input.to)) {
      throw new ProblemError(409, 'Conflict', `A case that is ${row.status} cannot become ${input.to}.`, [
        { path: 'to', message: `allowed from ${row.status}: ${CASE_TRANSITIONS[row.status].join(', ') || 'nothing'}` },
      ]);
    }
    const set: Partial<typeof cases.$inferInsert> = { status: input.to, version: row.version + 1, updatedAt: at };
    let followUp = false;
    if (input.to === 'resolved') {
      const rootCause = input.rootCause ?? row.rootCause;
      const resolution = input.resolution ?? row.resolution;
      const missing = [
        ...(!rootCause ? [{ path: 'rootCause', message: 'choose the root cause before resolving' }] : []),
        ...(!resolution?.trim() ? [{ path: 'resolution', message: 'describe the resolution before resolving' }] : []),
      ];
      if (missing.length > 0) throw unprocessable('The case cannot be resolved yet', missing);
      Object.assign(set, {
        rootCause,
        resolution,
        resolvedAt: at,
        // Resolving is a response to the customer too, when nobody logged a contact before.
        firstRespondedAt: row.firstRespondedAt ?? at,
        ...(input.compensationType !== undefined ? { compensationType: input.compensationType } : {}),
        ...(input.compensationAmount !== undefined ? { compensationAmount: input.compensationAmount } : {}),
        ...(input.sendFollowUp !== undefined ? { followUpWanted: input.sendFollowUp } : {}),
      });
      followUp = (input.sendFollowUp ?? row.followUpWanted) && !row.followUpInvitationId;
    }
    if (input.to === 'closed') set.closedAt = at;
    if (input.to === 'reopened') {
      if (!input.note?.trim()) throw unprocessable('Say why the case is reopened', [{ path: 'note', message: 'required when reopening' }]);
      // A complaint has no rule: the time limits of its priority.
      const [rule] = row.ruleId
        ? await tx
            .select({ resolutionHours: alertRules.resolutionHours, firstResponseHours: alertRules.firstResponseHours })
            .from(alertRules)
            .where(eq(alertRules.id, row.ruleId))
        : await tx
            .select({ resolutionHours: casePrioritySettings.resolutionHours, firstResponseHours: casePrioritySettings.firstResponseHours })
            .from(casePrioritySettings)
            .where(eq(casePrioritySettings.priority, row.priority));
      const due = slaTimes(at, rule ?? { firstResponseHours: 24, resolutionHours: 72 }, (row.businessHours as BusinessHours | null) ?? null, row.timeZone);
      Object.assign(set, { reopenedAt: at, resolvedAt: null, closedAt: null, resolutionDueAt: due.resolutionDueAt, resolutionWarnAt: due.resolutionWarnAt });
    }
    await tx.update(cases).set(set).where(eq(cases.id, id));
    // The follow-up survey goes out through its job, queued with this change.
    if (followUp) await enqueueFollowUp(tx, id);
    await addEvent(tx, id, at, actor, 'status', {
      body: input.note?.trim() || null,
      data: {
        from: row.status,
        to: input.to,
        ...(input.to === 'resolved'
          ? {
              rootCause: set.rootCause,
              compensationType: set.compensationType ?? row.compensationType,
              compensationAmount: set.compensationAmount ?? row.compensationAmount,
            }
          : {}),
      },
    });
    await emitCaseEvent(tx, caseStatusEvent(input.to), id, at);
    return { followUp };
  });
}

export async function addNote(deps: AppDeps, actor: Actor, id: string, body: string) {
  const at = deps.now();
  await deps.db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id, true);
    await addEvent(tx, id, at, actor, 'note', { body });
    await tx
      .update(cases)
      .set({ version: row.version + 1, updatedAt: at })
      .where(eq(cases.id, id));
  });
}

/** Logs a call, e-mail or SMS to the customer; the first one is the case's first response. */
export async function addContact(deps: AppDeps, actor: Actor, id: string, input: { channel: 'call' | 'email' | 'sms'; body: string; at?: string }) {
  const now = deps.now();
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime() + 60_000) throw unprocessable('A contact cannot be in the future', [{ path: 'at', message: 'in the future' }]);
  await deps.db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id, true);
    if (at < row.createdAt) throw unprocessable('A contact cannot be before the case', [{ path: 'at', message: 'before the case was opened' }]);
    await addEvent(tx, id, at, actor, 'contact', { channel: input.channel, body: input.body });
    const first = !row.firstRespondedAt || at < row.firstRespondedAt;
    await tx
      .update(cases)
      .set({
        version: row.version + 1,
        updatedAt: now,
        ...(first ? { firstRespondedAt: at } : {}),
        // Talking to the customer means work has started.
        ...(row.status === 'open' || row.status === 'reopened' ? { status: 'in_progress' as const } : {}),
      })
      .where(eq(cases.id, id));
    if (row.status === 'open' || row.status === 'reopened') {
      await addEvent(tx, id, now, actor, 'status', { data: { from: row.status, to: 'in_progress', by: 'contact' } });
      await emitCaseEvent(tx, 'case.updated', id, now);
    }
  });
}

export async function listAssignees(db: Database) {
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(isNull(users.disabledAt), inArray(users.role, ['admin', 'quality_manager', 'branch_manager'])))
    .orderBy(asc(users.name));
  const teams = await db.select({ id: caseTeams.id, name: caseTeams.name, email: caseTeams.email }).from(caseTeams).orderBy(asc(caseTeams.name));
  return { users: people, teams };
}

/** The branches the caller may pick in the case filters, by code. */
export async function branchesInScope(db: Database, scope: string[] | null) {
  return db
    .select({ id: branches.id, code: branches.code, name: branches.name, nameEn: branches.nameEn, region: branches.region })
    .from(branches)
    .where(branchScopeWhere(scope, branches.id))
    .orderBy(asc(branches.code));
}

// ── Metrics ─────────────────────────────────────────────────────────────────────────────────────

export async function caseMetrics(deps: AppDeps, actor: Actor, q: { from?: string; to?: string; branch?: string[] }) {
  const tz = deps.env.COMPANY_TIME_ZONE;
  const at = deps.now();
  const where = and(
    branchScopeWhere(actor.branchScope, cases.branchId),
    q.branch?.length ? inArray(cases.branchId, q.branch) : undefined,
    q.from ? gte(cases.createdAt, dayStart(q.from, tz)) : undefined,
    q.to ? lt(cases.createdAt, dayStart(q.to, tz, true)) : undefined,
  );
  const nowIso = at.toISOString();
  // Late: a time limit passed before the thing was done (or is passing now, while it is still not done).
  const late = sql`(coalesce(${cases.firstRespondedAt}, ${nowIso}::timestamptz) > ${cases.firstResponseDueAt} or coalesce(${cases.resolvedAt}, ${nowIso}::timestamptz) > ${cases.resolutionDueAt})`;
  const breached = sql`(${cases.firstResponseBreachedAt} is not null or ${cases.resolutionBreachedAt} is not null or ${late})`;
  const decided = sql`(${breached} or ${cases.resolvedAt} is not null)`;
  // The golden time to first contact of the case's priority (case_priority_settings, docs/statistics.md).
  const golden = sql`(select make_interval(mins => s.golden_first_contact_minutes) from case_priority_settings s where s.priority = ${cases.priority})`;
  const contactDecided = sql`(${cases.firstRespondedAt} is not null or ${nowIso}::timestamptz - ${cases.createdAt} > ${golden})`;
  const contactHit = sql`(${cases.firstRespondedAt} is not null and ${cases.firstRespondedAt} - ${cases.createdAt} <= ${golden})`;
  const followUp = sql`(select a.choice_ids[1] from responses fr join answers a on a.response_id = fr.id and a.question_id = 'q_resolved' where fr.invitation_id = ${cases.followUpInvitationId} and fr.status = 'finished' limit 1)`;
  const columns = {
    cases: sql<number>`count(*)::int`,
    open: sql<number>`(count(*) filter (where ${cases.resolvedAt} is null))::int`,
    medianFirst: sql<
      number | null
    >`percentile_cont(0.5) within group (order by extract(epoch from ${cases.firstRespondedAt} - ${cases.createdAt})) filter (where ${cases.firstRespondedAt} is not null)`,
    medianResolution: sql<
      number | null
    >`percentile_cont(0.5) within group (order by extract(epoch from ${cases.resolvedAt} - ${cases.createdAt})) filter (where ${cases.resolvedAt} is not null)`,
    slaDecided: sql<number>`(count(*) filter (where ${decided}))::int`,
    // A case still running past its due time counts as breached even before the sweep stamped it.
    slaBreached: sql<number>`(count(*) filter (where ${breached}))::int`,
    followUpAnswers: sql<number>`(count(*) filter (where ${followUp} is not null))::int`,
    recovered: sql<number>`(count(*) filter (where ${followUp} = 'yes'))::int`,
    contactDecided: sql<number>`(count(*) filter (where ${contactDecided}))::int`,
    contactHits: sql<number>`(count(*) filter (where ${contactHit}))::int`,
  };
  const perBranch = await deps.db
    .select({ branchId: cases.branchId, code: branches.code, name: branches.name, nameEn: branches.nameEn, ...columns })
    .from(cases)
    .leftJoin(branches, eq(branches.id, cases.branchId))
    .where(where)
    .groupBy(cases.branchId, branches.code, branches.name, branches.nameEn)
    .orderBy(asc(branches.code));
  const [total] = await deps.db.select(columns).from(cases).where(where);
  const shape = (r: typeof total) => ({
    cases: r?.cases ?? 0,
    open: r?.open ?? 0,
    medianHoursToFirstResponse: r?.medianFirst === null || r?.medianFirst === undefined ? null : round(Number(r.medianFirst) / 3600),
    medianHoursToResolution: r?.medianResolution === null || r?.medianResolution === undefined ? null : round(Number(r.medianResolution) / 3600),
    slaDecided: r?.slaDecided ?? 0,
    slaBreached: r?.slaBreached ?? 0,
    slaBreachRate: r && r.slaDecided > 0 ? round(r.slaBreached / r.slaDecided, 4) : null,
    followUpAnswers: r?.followUpAnswers ?? 0,
    recovered: r?.recovered ?? 0,
    recoveryRate: r && r.followUpAnswers > 0 ? round(r.recovered / r.followUpAnswers, 4) : null,
    firstContactDecided: r?.contactDecided ?? 0,
    firstContactHits: r?.contactHits ?? 0,
    firstContactHitRate: r && r.contactDecided > 0 ? round(r.contactHits / r.contactDecided, 4) : null,
  });
  const byChannel = await deps.db.select({ channel: cases.channel, n: sql<number>`count(*)::int` }).from(cases).where(where).groupBy(cases.channel);
  const all = byChannel.reduce((sum, r) => sum + r.n, 0);
  const goldenRows = await deps.db
    .select({ priority: casePrioritySettings.priority, minutes: casePrioritySettings.goldenFirstContactMinutes })
    .from(casePrioritySettings);
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    rows: perBranch.map((r) => ({
      branch: r.branchId && r.code ? { id: r.branchId, code: r.code, name: r.name ?? '', nameEn: r.nameEn } : null,
      ...shape(r),
    })),
    total: { branch: null, ...shape(total) },
    channels: CASE_CHANNELS.map((channel) => {
      const n = byChannel.find((r) => r.channel === channel)?.n ?? 0;
      return { channel, cases: n, share: all > 0 ? round(n / all, 4) : null };
    }),
    golden: PRIORITIES.flatMap((priority) => goldenRows.filter((g) => g.priority === priority)),
  };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
