// Action plans: list (in the caller's branches), create, change, the overdue sweep's claims.
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { actionPlanBranches, actionPlanNotifications, actionPlans, branches, surveys, users } from '../db/schema.ts';
import { ProblemError, notFound, unprocessable } from '../lib/problem.ts';
import { wallTime } from '../lib/time-zone.ts';
import type { PlanInput, PlanListQuery, PlanUpdate } from './action-plans.schemas.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type Executor = Database | Tx;
type PlanRow = typeof actionPlans.$inferSelect;

export interface PlanActor {
  label: string;
  /** Branch ids the caller may see; null = all. */
  branchScope: string[] | null;
  canWrite: boolean;
}

/** Today in the company time zone, as YYYY-MM-DD. */
export function today(at: Date, timeZone: string): string {
  const w = wallTime(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

const isOpen = (status: PlanRow['status']) => status === 'planned' || status === 'in_progress';

async function branchesOf(db: Executor, planIds: string[]) {
  if (planIds.length === 0) return new Map<string, { id: string; code: string; name: string; nameEn: string | null }[]>();
  const rows = await db
    .select({ planId: actionPlanBranches.planId, id: branches.id, code: branches.code, name: branches.name, nameEn: branches.nameEn })
    .from(actionPlanBranches)
    .innerJoin(branches, eq(branches.id, actionPlanBranches.branchId))
    .where(inArray(actionPlanBranches.planId, planIds))
    .orderBy(asc(branches.code));
  const map = new Map<string, { id: string; code: string; name: string; nameEn: string | null }[]>();
  for (const { planId, ...b } of rows) map.set(planId, [...(map.get(planId) ?? []), b]);
  return map;
}

/** Whether the caller may see the plan: unscoped callers all; scoped ones plans with one of their branches. */
const visible = (actor: PlanActor, branchIds: string[]) => actor.branchScope === null || branchIds.some((id) => actor.branchScope!.includes(id));
/** Whether the caller may change it: every one of its branches is theirs (a company-wide plan: unscoped callers only). */
const changeable = (actor: PlanActor, branchIds: string[]) =>
  actor.canWrite && (actor.branchScope === null || (branchIds.length > 0 && branchIds.every((id) => actor.branchScope!.includes(id))));

function shape(
  row: PlanRow & { surveyName: string },
  all: { id: string; code: string; name: string; nameEn: string | null }[],
  actor: PlanActor,
  todayDate: string,
) {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    source: { kind: row.sourceKind, key: row.sourceKey, label: row.sourceLabel },
    surveyId: row.surveyId,
    surveyName: row.surveyName,
    metric: row.metric,
    owner: { userId: row.ownerUserId, name: row.ownerName, email: row.ownerEmail },
    branches: actor.branchScope === null ? all : all.filter((b) => actor.branchScope!.includes(b.id)),
    companyWide: all.length === 0,
    startDate: row.startDate,
    dueDate: row.dueDate,
    status: row.status,
    notes: row.notes,
    overdue: isOpen(row.status) && row.dueDate < todayDate,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
    permissions: {
      write: changeable(
        actor,
        all.map((b) => b.id),
      ),
    },
  };
}
export type PlanView = ReturnType<typeof shape>;

const planColumns = { plan: actionPlans, surveyName: surveys.name };

export async function listPlans(db: Database, actor: PlanActor, q: PlanListQuery, at: Date, timeZone: string) {
  const todayDate = today(at, timeZone);
  const scope = actor.branchScope;
  const where = and(
    q.status ? eq(actionPlans.status, q.status) : undefined,
    q.overdue === true ? and(inArray(actionPlans.status, ['planned', 'in_progress']), lt(actionPlans.dueDate, todayDate)) : undefined,
    q.branch
      ? sql`exists (select 1 from action_plan_branches pb join branches b on b.id = pb.branch_id where pb.plan_id = ${actionPlans.id} and (b.code = ${q.branch} or b.id::text = ${q.branch}))`
      : undefined,
    // In SQL too: a scoped caller never reads a plan without one of their branches.
    scope === null
      ? undefined
      : scope.length === 0
        ? sql`false`
        : inArray(actionPlans.id, db.select({ id: actionPlanBranches.planId }).from(actionPlanBranches).where(inArray(actionPlanBranches.branchId, scope))),
  );
  const rows = await db
    .select(planColumns)
    .from(actionPlans)
    .innerJoin(surveys, eq(surveys.id, actionPlans.surveyId))
    .where(where)
    .orderBy(asc(actionPlans.dueDate), asc(actionPlans.number));
  const byPlan = await branchesOf(
    db,
    rows.map((r) => r.plan.id),
  );
  const items = rows.map((r) => shape({ ...r.plan, surveyName: r.surveyName }, byPlan.get(r.plan.id) ?? [], actor, todayDate));
  return { items, total: items.length };
}

async function loadPlan(db: Executor, actor: PlanActor, id: string, lock = false) {
  const query = db.select(planColumns).from(actionPlans).innerJoin(surveys, eq(surveys.id, actionPlans.surveyId)).where(eq(actionPlans.id, id));
  const [row] = lock ? await query.for('update', { of: actionPlans }) : await query;
  if (!row) throw notFound('No such action plan');
  const all = (await branchesOf(db, [id])).get(id) ?? [];
  // Outside the caller's branches a plan does not exist for them.
  if (
    !visible(
      actor,
      all.map((b) => b.id),
    )
  )
    throw notFound('No such action plan');
  return { row: { ...row.plan, surveyName: row.surveyName }, branches: all };
}

export async function getPlan(db: Database, actor: PlanActor, id: string, at: Date, timeZone: string) {
  const { row, branches: all } = await loadPlan(db, actor, id);
  return shape(row, all, actor, today(at, timeZone));
}

async function checkOwner(db: Executor, userId: string) {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  if (!user) throw unprocessable('Unknown owner', [{ path: 'ownerUserId', message: 'no such active user' }]);
  if (user.role === 'executive') throw unprocessable('Cannot own plans', [{ path: 'ownerUserId', message: 'executives only read dashboards' }]);
  return user;
}

async function checkBranches(db: Executor, actor: PlanActor, branchIds: string[]) {
  const ids = [...new Set(branchIds)];
  if (actor.branchScope !== null && ids.length === 0) {
    throw unprocessable('Choose the branches', [{ path: 'branchIds', message: 'a company-wide plan is for unscoped managers; choose your branches' }]);
  }
  if (ids.length === 0) return ids;
  const found = await db.select({ id: branches.id }).from(branches).where(inArray(branches.id, ids));
  const known = new Set(found.map((b) => b.id));
  const bad = ids.filter((id) => !known.has(id) || (actor.branchScope !== null && !actor.branchScope.includes(id)));
  if (bad.length > 0)
    throw unprocessable(
      'Unknown branch',
      bad.map((id) => ({ path: 'branchIds', message: `no branch ${id} among yours` })),
    );
  return ids;
}

async function checkSurvey(db: Executor, surveyId: string) {
  const [survey] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.id, surveyId));
  if (!survey) throw unprocessable('Unknown survey', [{ path: 'surveyId', message: 'no such survey' }]);
}

export async function createPlan(db: Database, actor: PlanActor, input: PlanInput, at: Date) {
  return db.transaction(async (tx) => {
    await checkSurvey(tx, input.surveyId);
    const owner = await checkOwner(tx, input.ownerUserId);
    const branchIds = await checkBranches(tx, actor, input.branchIds);
    const [plan] = await tx
      .insert(actionPlans)
      .values({
        title: input.title,
        sourceKind: input.source.kind,
        sourceKey: input.source.key,
        sourceLabel: input.source.label,
        surveyId: input.surveyId,
        metric: input.metric,
        ownerUserId: owner.id,
        ownerName: owner.name,
        ownerEmail: owner.email,
        startDate: input.startDate,
        dueDate: input.dueDate,
        status: input.status,
        notes: input.notes,
        createdBy: actor.label,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: actionPlans.id });
    if (branchIds.length > 0) await tx.insert(actionPlanBranches).values(branchIds.map((branchId) => ({ planId: plan.id, branchId })));
    return plan.id;
  });
}

/** Applies the changes; returns the names of the fields that changed (for the audit log). */
export async function updatePlan(db: Database, actor: PlanActor, id: string, input: PlanUpdate, at: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const { row, branches: current } = await loadPlan(tx, actor, id, true);
    if (
      !changeable(
        actor,
        current.map((b) => b.id),
      )
    )
      throw new ProblemError(403, 'Forbidden', 'This plan covers branches that are not yours.');
    if (input.version !== undefined && input.version !== row.version) {
      throw new ProblemError(409, 'Conflict', 'Someone else changed this plan in the meantime; reload it and try again.', undefined, {
        currentVersion: row.version,
      });
    }
    const set: Partial<typeof actionPlans.$inferInsert> = {};
    const changed: string[] = [];
    for (const f of ['title', 'metric', 'startDate', 'dueDate', 'status', 'notes'] as const) {
      if (input[f] === undefined || input[f] === row[f]) continue;
      (set as Record<string, unknown>)[f] = input[f];
      changed.push(f);
    }
    const start = input.startDate ?? row.startDate;
    const due = input.dueDate ?? row.dueDate;
    if (due < start) throw unprocessable('The due date is before the start date', [{ path: 'dueDate', message: 'must not be before the start date' }]);
    // A new due date may be missed again: its reminder is due again.
    if (set.dueDate) set.overdueRemindedAt = null;
    if (input.ownerUserId && input.ownerUserId !== row.ownerUserId) {
      const owner = await checkOwner(tx, input.ownerUserId);
      Object.assign(set, { ownerUserId: owner.id, ownerName: owner.name, ownerEmail: owner.email, overdueRemindedAt: null });
      changed.push('owner');
    }
    if (input.branchIds) {
      const next = await checkBranches(tx, actor, input.branchIds);
      const before = current.map((b) => b.id).sort();
      if (JSON.stringify([...next].sort()) !== JSON.stringify(before)) {
        await tx.delete(actionPlanBranches).where(eq(actionPlanBranches.planId, id));
        if (next.length > 0) await tx.insert(actionPlanBranches).values(next.map((branchId) => ({ planId: id, branchId })));
        changed.push('branches');
      }
    }
    if (changed.length === 0) return changed;
    await tx
      .update(actionPlans)
      .set({ ...set, version: row.version + 1, updatedAt: at })
      .where(eq(actionPlans.id, id));
    return changed;
  });
}

// ── Overdue reminders ───────────────────────────────────────────────────────────────────────────

/** Claims the open plans past their due date that were not reminded for it yet (each once per due date). */
export async function claimOverduePlans(tx: Tx, todayDate: string, at: Date) {
  return tx
    .update(actionPlans)
    .set({ overdueRemindedAt: at })
    .where(and(inArray(actionPlans.status, ['planned', 'in_progress']), lt(actionPlans.dueDate, todayDate), isNull(actionPlans.overdueRemindedAt)))
    .returning();
}

export async function queuePlanEmail(tx: Tx, plan: PlanRow, recipient: string, subject: string, body: string, at: Date) {
  const key = `plan:${plan.id}:overdue:${plan.dueDate}:${recipient.toLowerCase()}`;
  const [row] = await tx
    .insert(actionPlanNotifications)
    .values({ planId: plan.id, recipient, idempotencyKey: key, subject, body, createdAt: at })
    .onConflictDoNothing({ target: actionPlanNotifications.idempotencyKey })
    .returning({ id: actionPlanNotifications.id });
  return row?.id ?? null;
}

export async function branchNamesOf(tx: Tx, planId: string) {
  return ((await branchesOf(tx, [planId])).get(planId) ?? []).map((b) => b.name);
}

export async function pendingPlanNotifications(db: Database, maxAttempts: number) {
  return db
    .select({ id: actionPlanNotifications.id })
    .from(actionPlanNotifications)
    .where(and(eq(actionPlanNotifications.status, 'pending'), lt(actionPlanNotifications.attempts, maxAttempts)))
    .orderBy(asc(actionPlanNotifications.createdAt))
    .limit(500);
}

export async function lockPlanNotification(tx: Tx, id: string) {
  const [row] = await tx
    .select()
    .from(actionPlanNotifications)
    .where(and(eq(actionPlanNotifications.id, id), eq(actionPlanNotifications.status, 'pending')))
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function markPlanNotification(tx: Tx, id: string, set: Partial<typeof actionPlanNotifications.$inferInsert>) {
  await tx.update(actionPlanNotifications).set(set).where(eq(actionPlanNotifications.id, id));
}
