// The SQL of case e-mails (notifications.ts): what an e-mail about a case shows, and the notification rows
// queued, claimed and marked as they are sent.
import { and, eq, inArray, lt } from 'drizzle-orm';
import { branches, caseNotifications, cases, responses, surveyVersions } from '../db/schema.ts';
import type { Executor } from './assignment.ts';

/** The case's branch names and the definition of the survey its response answered (none for a complaint opened by staff). */
export async function caseEmailContext(db: Executor, caseId: string) {
  const [extra] = await db
    .select({ branchName: branches.name, branchNameEn: branches.nameEn, definition: surveyVersions.definition })
    .from(cases)
    // A complaint opened by staff has no response: its branch is the case's.
    .leftJoin(responses, eq(responses.id, cases.responseId))
    .leftJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .leftJoin(branches, eq(branches.id, cases.branchId))
    .where(eq(cases.id, caseId));
  return extra;
}

/** Queues a notification unless one with its idempotency key exists; its id when queued now. */
export async function insertNotificationOnce(db: Executor, values: typeof caseNotifications.$inferInsert): Promise<string | null> {
  const [inserted] = await db
    .insert(caseNotifications)
    .values(values)
    .onConflictDoNothing({ target: caseNotifications.idempotencyKey })
    .returning({ id: caseNotifications.id });
  return inserted?.id ?? null;
}

/** Pending notifications with attempts left (all, or these ids), oldest first, at most 500. */
export async function pendingNotifications(db: Executor, maxAttempts: number, ids?: string[]) {
  return db
    .select({ id: caseNotifications.id })
    .from(caseNotifications)
    .where(and(eq(caseNotifications.status, 'pending'), lt(caseNotifications.attempts, maxAttempts), ids ? inArray(caseNotifications.id, ids) : undefined))
    .orderBy(caseNotifications.createdAt)
    .limit(500);
}

/** Locks the notification when it is still pending and no other worker holds it. */
export async function claimNotification(db: Executor, id: string) {
  const [row] = await db
    .select()
    .from(caseNotifications)
    .where(and(eq(caseNotifications.id, id), eq(caseNotifications.status, 'pending')))
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function setNotification(db: Executor, id: string, set: Partial<typeof caseNotifications.$inferInsert>) {
  await db.update(caseNotifications).set(set).where(eq(caseNotifications.id, id));
}
