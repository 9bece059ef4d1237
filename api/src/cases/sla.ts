// The SLA timers: reminders when a time limit is close, breaches and escalation when it has passed.
// Runs every minute; every step claims its cases with an UPDATE … WHERE so a repeated or concurrent
// run does each thing once.
import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { branches, caseEvents, cases } from '../db/schema.ts';
import type { AppDeps } from '../lib/types.ts';
import type { Database } from '../db/client.ts';
import { emitCaseEvent } from '../access/webhooks.delivery.ts';
import { nextEscalation } from './assignment.ts';
import { deliverCaseNotifications, queueCaseEmail, type NotificationKind } from './notifications.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type CaseRow = typeof cases.$inferSelect;

const ACTIVE = ['open', 'in_progress', 'reopened'] as const;

export interface SweepResult {
  reminders: number;
  breaches: number;
  escalations: number;
}

async function escalate(tx: Tx, deps: AppDeps, row: CaseRow, at: Date, reason: 'first_response' | 'resolution'): Promise<{ escalated: boolean; ids: string[] }> {
  const [branch] = row.branchId ? await tx.select({ region: branches.region }).from(branches).where(eq(branches.id, row.branchId)) : [];
  const next = await nextEscalation(tx, row.escalationLevel, branch?.region ?? null);
  if (!next) {
    await tx.insert(caseEvents).values({ caseId: row.id, at, kind: 'escalated', actor: 'system', data: { reason, level: row.escalationLevel, to: null } });
    return { escalated: false, ids: [] };
  }
  const [updated] = await tx
    .update(cases)
    .set({ escalationLevel: next.level, escalatedToName: next.name, escalatedToEmail: next.email, version: sql`${cases.version} + 1`, updatedAt: at })
    .where(eq(cases.id, row.id))
    .returning();
  await tx.insert(caseEvents).values({
    caseId: row.id,
    at,
    kind: 'escalated',
    actor: 'system',
    data: { reason, from: row.escalationLevel, level: next.level, to: { name: next.name, email: next.email } },
  });
  await emitCaseEvent(tx, 'case.escalated', row.id, at);
  const id = await queueCaseEmail(tx, updated, 'escalated', next.email, deps.publicUrl, at, reason === 'first_response' ? row.firstResponseDueAt : row.resolutionDueAt);
  return { escalated: true, ids: id ? [id] : [] };
}

/** One SLA step (a reminder or a breach of one time limit): claims the cases it applies to, stamps them, records and notifies. */
async function step(
  deps: AppDeps,
  at: Date,
  kind: 'reminder' | 'breach',
  sla: 'first_response' | 'resolution',
): Promise<{ count: number; escalations: number; notifications: string[] }> {
  const first = sla === 'first_response';
  const stampColumn = kind === 'reminder' ? (first ? cases.firstResponseRemindedAt : cases.resolutionRemindedAt) : first ? cases.firstResponseBreachedAt : cases.resolutionBreachedAt;
  const timeColumn = kind === 'reminder' ? (first ? cases.firstResponseWarnAt : cases.resolutionWarnAt) : first ? cases.firstResponseDueAt : cases.resolutionDueAt;
  const dueColumn = first ? cases.firstResponseDueAt : cases.resolutionDueAt;
  const stampKey = kind === 'reminder' ? (first ? 'firstResponseRemindedAt' : 'resolutionRemindedAt') : first ? 'firstResponseBreachedAt' : 'resolutionBreachedAt';

  return deps.db.transaction(async (tx) => {
    const claimed = await tx
      .update(cases)
      .set({ [stampKey]: at, updatedAt: at })
      .where(
        and(
          inArray(cases.status, [...ACTIVE]),
          first ? isNull(cases.firstRespondedAt) : undefined,
          lte(timeColumn, at),
          // A reminder is pointless once the time is up: the breach takes over.
          kind === 'reminder' ? gt(dueColumn, at) : undefined,
          // Not yet done for this due time (a reopened case has a new resolution due time).
          or(isNull(stampColumn), first ? sql`false` : lt(stampColumn, cases.reopenedAt)),
        ),
      )
      .returning();
    const notifications: string[] = [];
    let escalations = 0;
    for (const row of claimed) {
      const due = first ? row.firstResponseDueAt : row.resolutionDueAt;
      await tx.insert(caseEvents).values({ caseId: row.id, at, kind, actor: 'system', data: { sla, dueAt: due.toISOString() } });
      const mailKind = `${sla}_${kind === 'reminder' ? 'due_soon' : 'breached'}` as NotificationKind;
      const id = await queueCaseEmail(tx, row, mailKind, row.ownerEmail, deps.publicUrl, at, due);
      if (id) notifications.push(id);
      if (kind === 'breach') {
        const escalated = await escalate(tx, deps, row, at, sla);
        notifications.push(...escalated.ids);
        if (escalated.escalated) escalations++;
      }
    }
    return { count: claimed.length, escalations, notifications };
  });
}

/** The job: everything due at `deps.now()`. Breaches run before reminders so a late run does not remind about a passed time. */
export async function sweepCaseTimers(deps: AppDeps): Promise<SweepResult> {
  const at = deps.now();
  const result: SweepResult = { reminders: 0, breaches: 0, escalations: 0 };
  const notifications: string[] = [];
  for (const sla of ['first_response', 'resolution'] as const) {
    const breach = await step(deps, at, 'breach', sla);
    result.breaches += breach.count;
    result.escalations += breach.escalations;
    notifications.push(...breach.notifications);
  }
  for (const sla of ['first_response', 'resolution'] as const) {
    const reminder = await step(deps, at, 'reminder', sla);
    result.reminders += reminder.count;
    notifications.push(...reminder.notifications);
  }
  await deliverCaseNotifications(deps, notifications);
  return result;
}
