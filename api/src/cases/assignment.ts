// Who owns a case, and who it escalates to: branch manager (or the rule's team) → regional manager →
// quality manager. A level without anyone configured is skipped.
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { branches, caseTeams, escalationContacts, userBranches, users } from '../db/schema.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export const ESCALATION_LEVELS = ['owner', 'regional_manager', 'quality_manager'] as const;
export const MAX_ESCALATION_LEVEL = ESCALATION_LEVELS.length - 1;

export interface Contact {
  name: string | null;
  email: string;
  userId: string | null;
}

export interface Owner extends Contact {
  kind: 'branch_manager' | 'team' | 'user';
  teamId: string | null;
  /** 0 normally; higher when nobody was found at the lower levels. */
  level: number;
}

async function userByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), isNull(users.disabledAt)));
  return row ?? null;
}

/** The branch's manager: a branch-manager account assigned to the branch, else the branch's manager e-mail. */
export async function branchManager(db: Executor, branchId: string): Promise<Contact | null> {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(userBranches)
    .innerJoin(users, eq(users.id, userBranches.userId))
    .where(and(eq(userBranches.branchId, branchId), eq(users.role, 'branch_manager'), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt), asc(users.email))
    .limit(1);
  if (user) return { name: user.name, email: user.email, userId: user.id };
  const [branch] = await db.select({ email: branches.managerEmail }).from(branches).where(eq(branches.id, branchId));
  if (!branch?.email) return null;
  const account = await userByEmail(db, branch.email);
  return { name: account?.name ?? null, email: branch.email, userId: account?.id ?? null };
}

/** The contact at one escalation level (1 = regional manager of the region, 2 = quality manager). */
export async function escalationContact(db: Executor, level: number, region: string | null): Promise<Contact | null> {
  if (level === 1) {
    const [row] = await db
      .select({ name: escalationContacts.name, email: escalationContacts.email })
      .from(escalationContacts)
      .where(
        and(
          eq(escalationContacts.level, 'regional_manager'),
          region === null ? isNull(escalationContacts.region) : or(eq(escalationContacts.region, region), isNull(escalationContacts.region)),
        ),
      )
      // The region's own manager before one covering every region.
      .orderBy(sql`${escalationContacts.region} is null`, asc(escalationContacts.createdAt))
      .limit(1);
    if (!row) return null;
    const account = await userByEmail(db, row.email);
    return { name: row.name, email: row.email, userId: account?.id ?? null };
  }
  if (level === 2) {
    const [row] = await db
      .select({ name: escalationContacts.name, email: escalationContacts.email })
      .from(escalationContacts)
      .where(eq(escalationContacts.level, 'quality_manager'))
      .orderBy(asc(escalationContacts.createdAt))
      .limit(1);
    if (row) {
      const account = await userByEmail(db, row.email);
      return { name: row.name, email: row.email, userId: account?.id ?? null };
    }
    const [user] = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(and(eq(users.role, 'quality_manager'), isNull(users.disabledAt)))
      .orderBy(asc(users.createdAt))
      .limit(1);
    return user ? { name: user.name, email: user.email, userId: user.id } : null;
  }
  return null;
}

/** The next level above `current` that has someone, or null at the top. */
export async function nextEscalation(db: Executor, current: number, region: string | null): Promise<(Contact & { level: number }) | null> {
  for (let level = current + 1; level <= MAX_ESCALATION_LEVEL; level++) {
    const contact = await escalationContact(db, level, region);
    if (contact) return { ...contact, level };
  }
  return null;
}

/** The owner of a new case from the rule's assignment. */
export async function resolveOwner(
  db: Executor,
  rule: { assignTo: 'branch_manager' | 'team'; teamId: string | null },
  branch: { id: string; region: string } | null,
): Promise<Owner | null> {
  if (rule.assignTo === 'team' && rule.teamId) {
    const [team] = await db.select().from(caseTeams).where(eq(caseTeams.id, rule.teamId));
    if (team) {
      const account = await userByEmail(db, team.email);
      return { kind: 'team', teamId: team.id, name: team.name, email: team.email, userId: account?.id ?? null, level: 0 };
    }
  }
  const manager = branch ? await branchManager(db, branch.id) : null;
  if (manager) return { ...manager, kind: 'branch_manager', teamId: null, level: 0 };
  const fallback = await nextEscalation(db, 0, branch?.region ?? null);
  return fallback ? { ...fallback, kind: 'user', teamId: null } : null;
}
