// All SQL of the reports domain: subscriptions, the claim of a digest period, and what a digest reads
// besides the analytics engine (the branches of a scope, cases past their SLA).
import { and, asc, eq, inArray, isNull, lt, ne, sql as dsql } from 'drizzle-orm';
import type { Database, Sql } from '../db/client.ts';
import { branches, brands, regions, reportDeliveries, reportSubscriptions, surveys, users } from '../db/schema.ts';
import type { SubscriptionInput } from './reports.schemas.ts';

export type SubscriptionRow = typeof reportSubscriptions.$inferSelect;

export async function findSubscription(db: Database, userId: string): Promise<SubscriptionRow | null> {
  const [row] = await db.select().from(reportSubscriptions).where(eq(reportSubscriptions.userId, userId));
  return row ?? null;
}

/** Creates or replaces the user's one subscription. */
export async function saveSubscription(db: Database, userId: string, input: SubscriptionInput, now: Date): Promise<SubscriptionRow> {
  const values = {
    surveyId: input.survey,
    frequency: input.frequency,
    weekday: input.weekday,
    sendHour: input.sendHour,
    locale: input.locale,
    scopeKind: input.scope.kind,
    scopeCodes: input.scope.kind === 'all' ? [] : [...new Set(input.scope.codes)],
    attachPdf: input.attachPdf,
    active: input.active,
    updatedAt: now,
  };
  const [row] = await db
    .insert(reportSubscriptions)
    .values({ userId, ...values, createdAt: now })
    .onConflictDoUpdate({ target: reportSubscriptions.userId, set: values })
    .returning();
  return row;
}

export async function removeSubscription(db: Database, userId: string): Promise<boolean> {
  const rows = await db.delete(reportSubscriptions).where(eq(reportSubscriptions.userId, userId)).returning({ id: reportSubscriptions.id });
  return rows.length > 0;
}

/** Active subscriptions of enabled users, with who they go to. */
export async function activeSubscriptions(db: Database) {
  return db
    .select({ subscription: reportSubscriptions, user: { id: users.id, email: users.email, name: users.name, role: users.role } })
    .from(reportSubscriptions)
    .innerJoin(users, eq(users.id, reportSubscriptions.userId))
    .where(and(eq(reportSubscriptions.active, true), isNull(users.disabledAt)))
    .orderBy(asc(reportSubscriptions.createdAt));
}

export async function userById(db: Database, userId: string) {
  const [row] = await db.select({ id: users.id, email: users.email, name: users.name, role: users.role }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

export async function surveyExists(db: Database, surveyId: string): Promise<{ id: string; name: string } | null> {
  const [row] = await db.select({ id: surveys.id, name: surveys.name }).from(surveys).where(eq(surveys.id, surveyId));
  return row ?? null;
}

/** Surveys a digest can be about (not drafts), the active post-rental one first. */
export async function reportableSurveys(db: Database) {
  return db
    .select({ id: surveys.id, name: surveys.name, kind: surveys.kind, status: surveys.status })
    .from(surveys)
    .where(ne(surveys.status, 'draft'))
    .orderBy(dsql`(${surveys.kind} = 'post_rental' and ${surveys.status} = 'active') desc`, asc(surveys.createdAt));
}

/** Branches in a branch scope (null = all), in code order, with their region. */
export async function branchesInScope(db: Database, scope: string[] | null) {
  if (scope !== null && scope.length === 0) return [];
  return db
    .select({ id: branches.id, code: branches.code, name: branches.name, nameEn: branches.nameEn, region: branches.region, brand: brands.code })
    .from(branches)
    .leftJoin(brands, eq(brands.id, branches.brandId))
    .where(scope === null ? undefined : inArray(branches.id, scope))
    .orderBy(asc(branches.code));
}

/** Brands by code with their names. */
export async function brandNames(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  return db.select({ code: brands.code, name: brands.name, nameEn: brands.nameEn }).from(brands).where(inArray(brands.code, codes));
}

/** Regions by code with their names. */
export async function regionNames(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  return db.select({ code: regions.code, name: regions.name, nameEn: regions.nameEn }).from(regions).where(inArray(regions.code, codes));
}

// ── Deliveries ─────────────────────────────────────────────────────────────────────────────────────────

export const MAX_DIGEST_ATTEMPTS = 3;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Claims one period of a subscription for sending, inside `tx`: the period's row is created once (a unique
 * key), then locked (SKIP LOCKED: a second worker gets nothing while the first sends). Null when the
 * period was sent already, is being sent, or failed too often.
 */
export async function claimPeriod(tx: Tx, subscriptionId: string, periodKey: string, recipient: string, kind: 'scheduled' | 'test', now: Date) {
  await tx
    .insert(reportDeliveries)
    .values({ subscriptionId, periodKey, kind, recipient, createdAt: now })
    .onConflictDoNothing({ target: [reportDeliveries.subscriptionId, reportDeliveries.periodKey] });
  const [row] = await tx
    .select()
    .from(reportDeliveries)
    .where(
      and(
        eq(reportDeliveries.subscriptionId, subscriptionId),
        eq(reportDeliveries.periodKey, periodKey),
        ne(reportDeliveries.status, 'sent'),
        lt(reportDeliveries.attempts, MAX_DIGEST_ATTEMPTS),
      ),
    )
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function markDelivery(tx: Tx, id: string, outcome: { sent: true; at: Date; attempts: number } | { sent: false; error: string; attempts: number }) {
  await tx
    .update(reportDeliveries)
    .set(
      outcome.sent
        ? { status: 'sent', sentAt: outcome.at, attempts: outcome.attempts, lastError: null }
        : { status: outcome.attempts >= MAX_DIGEST_ATTEMPTS ? 'failed' : 'pending', attempts: outcome.attempts, lastError: outcome.error.slice(0, 500) },
    )
    .where(eq(reportDeliveries.id, id));
}

export async function deliveriesOf(db: Database, subscriptionId: string, limit = 10) {
  return db
    .select({
      periodKey: reportDeliveries.periodKey,
      kind: reportDeliveries.kind,
      status: reportDeliveries.status,
      sentAt: reportDeliveries.sentAt,
      createdAt: reportDeliveries.createdAt,
    })
    .from(reportDeliveries)
    .where(eq(reportDeliveries.subscriptionId, subscriptionId))
    .orderBy(dsql`${reportDeliveries.createdAt} desc`)
    .limit(limit);
}

// ── Cases past their SLA ──────────────────────────────────────────────────────────────────────────────

export interface BreachRow {
  number: number;
  priority: string;
  status: string;
  branch_code: string | null;
  branch_name: string | null;
  branch_name_en: string | null;
  kind: 'first_response' | 'resolution';
  due_at: Date;
}

/**
 * Cases of these branches (null = all) still open past a time limit at `now`: no first response by its
 * due time, or not resolved by its due time. Most overdue first; `total` counts them all.
 */
export async function breachingCases(sql: Sql, branchIds: string[] | null, now: Date, limit = 10): Promise<{ total: number; rows: BreachRow[] }> {
  if (branchIds !== null && branchIds.length === 0) return { total: 0, rows: [] };
  const inScope = branchIds === null ? sql`true` : sql`c.branch_id = any(${branchIds}::uuid[])`;
  const at = now.toISOString();
  const late = sql`
    c.status not in ('resolved', 'closed')
    and ((c.first_responded_at is null and c.first_response_due_at < ${at}::timestamptz) or c.resolution_due_at < ${at}::timestamptz)`;
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from cases c where ${inScope} and ${late}`;
  const rows = await sql<BreachRow[]>`
    select c.number::int as number, c.priority, c.status, b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en,
           case when c.first_responded_at is null and c.first_response_due_at < ${at}::timestamptz then 'first_response' else 'resolution' end as kind,
           case when c.first_responded_at is null and c.first_response_due_at < ${at}::timestamptz then c.first_response_due_at else c.resolution_due_at end as due_at
    from cases c left join branches b on b.id = c.branch_id
    where ${inScope} and ${late}
    order by due_at asc, c.number asc
    limit ${limit}`;
  return { total, rows };
}

/** Whether these codes are all known branches / regions (the unknown ones). */
export async function unknownCodes(db: Database, kind: 'region' | 'branches', codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows =
    kind === 'branches'
      ? await db.select({ code: branches.code }).from(branches).where(inArray(branches.code, codes))
      : await db.select({ code: branches.region }).from(branches).where(inArray(branches.region, codes));
  const known = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}
