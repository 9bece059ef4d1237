// The SQL of the SLA timers (sla.ts): claiming the cases a timer step applies to, escalating a case, and the
// events the system writes on a case.
import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { branches, caseEvents, cases } from '../db/schema.ts';
import type { Executor } from './assignment.ts';

const ACTIVE = ['open', 'in_progress', 'reopened'] as const;

type EventKind = (typeof caseEvents.$inferInsert)['kind'];

/** An event written by the system (actor `system`) on a case. */
export async function systemEvent(db: Executor, caseId: string, at: Date, kind: EventKind, data: Record<string, unknown>) {
  await db.insert(caseEvents).values({ caseId, at, kind, actor: 'system', data });
}

export async function regionOfBranch(db: Executor, branchId: string): Promise<string | null> {
  const [branch] = await db.select({ region: branches.region }).from(branches).where(eq(branches.id, branchId));
  return branch?.region ?? null;
}

/** Hands the case to the next escalation level (a new version of the case). */
export async function setEscalation(db: Executor, caseId: string, next: { level: number; name: string | null; email: string }, at: Date) {
  const [updated] = await db
    .update(cases)
    .set({ escalationLevel: next.level, escalatedToName: next.name, escalatedToEmail: next.email, version: sql`${cases.version} + 1`, updatedAt: at })
    .where(eq(cases.id, caseId))
    .returning();
  return updated;
}

/**
 * Claims the active cases one SLA step (a reminder or a breach of one time limit) applies to at `at`, stamping
 * them so a repeated or concurrent run claims each once; returns the claimed cases.
 */
export async function claimDueCases(db: Executor, at: Date, kind: 'reminder' | 'breach', sla: 'first_response' | 'resolution') {
  const first = sla === 'first_response';
  const stampColumn =
    kind === 'reminder'
      ? first
        ? cases.firstResponseRemindedAt
        : cases.resolutionRemindedAt
      : first
        ? cases.firstResponseBreachedAt
        : cases.resolutionBreachedAt;
  const timeColumn =
    kind === 'reminder' ? (first ? cases.firstResponseWarnAt : cases.resolutionWarnAt) : first ? cases.firstResponseDueAt : cases.resolutionDueAt;
  const dueColumn = first ? cases.firstResponseDueAt : cases.resolutionDueAt;
  const stampKey =
    kind === 'reminder' ? (first ? 'firstResponseRemindedAt' : 'resolutionRemindedAt') : first ? 'firstResponseBreachedAt' : 'resolutionBreachedAt';
  return db
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
}
