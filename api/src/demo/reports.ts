// Demo report subscriptions: the executive gets the company's weekly digest in Chinese with the PDF, the
// SH01/SH02 branch manager the weekly digest of their own branches. Added once; a user who changed or
// cancelled theirs keeps what they chose.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { reportSubscriptions, surveys, users } from '../db/schema.ts';

export const DEMO_REPORT_SUBSCRIPTIONS = [
  { email: 'executive@example.com', frequency: 'weekly', locale: 'zh-CN', attachPdf: true },
  { email: 'manager.sh01@example.com', frequency: 'weekly', locale: 'zh-CN', attachPdf: false },
] as const;

export async function seedDemoReportSubscriptions(db: Database, now: Date): Promise<number> {
  const [survey] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.kind, 'post_rental'), eq(surveys.status, 'active')))
    .orderBy(surveys.createdAt)
    .limit(1);
  if (!survey) return 0;
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        DEMO_REPORT_SUBSCRIPTIONS.map((s) => s.email),
      ),
    );
  if (people.length === 0) return 0;
  const rows = await db
    .insert(reportSubscriptions)
    .values(
      people.map((person) => {
        const demo = DEMO_REPORT_SUBSCRIPTIONS.find((s) => s.email === person.email)!;
        return {
          userId: person.id,
          surveyId: survey.id,
          frequency: demo.frequency,
          weekday: 1,
          sendHour: 8,
          locale: demo.locale,
          scopeKind: 'all' as const,
          attachPdf: demo.attachPdf,
          createdAt: now,
          updatedAt: now,
        };
      }),
    )
    .onConflictDoNothing({ target: reportSubscriptions.userId })
    .returning({ id: reportSubscriptions.id });
  return rows.length;
}
