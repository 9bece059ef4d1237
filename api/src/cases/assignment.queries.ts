// The look-ups of case assignment and escalation (assignment.ts): accounts, a branch's manager, a region's
// regional managers, the escalation contacts and the case teams.
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { branches, caseTeams, escalationContacts, regions, userBranches, userRegions, users } from '../db/schema.ts';
import type { Executor } from './assignment.ts';

/** The enabled account with this e-mail (any case). */
export async function userByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), isNull(users.disabledAt)));
  return row ?? null;
}

/** The longest-serving enabled branch-manager account assigned to the branch. */
export async function branchManagerAccount(db: Executor, branchId: string) {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(userBranches)
    .innerJoin(users, eq(users.id, userBranches.userId))
    .where(and(eq(userBranches.branchId, branchId), eq(users.role, 'branch_manager'), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt), asc(users.email))
    .limit(1);
  return user ?? null;
}

/** The manager e-mail stored on the branch, if any. */
export async function branchManagerEmail(db: Executor, branchId: string): Promise<string | null> {
  const [branch] = await db.select({ email: branches.managerEmail }).from(branches).where(eq(branches.id, branchId));
  return branch?.email ?? null;
}

/** The active regional-manager accounts of a region (by its code), longest-serving first. */
export async function regionalManagers(db: Executor, region: string) {
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(userRegions)
    .innerJoin(regions, eq(regions.id, userRegions.regionId))
    .innerJoin(users, eq(users.id, userRegions.userId))
    .where(and(eq(regions.code, region), eq(users.role, 'regional_manager'), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt), asc(users.email));
  return rows.map((u) => ({ name: u.name, email: u.email, userId: u.id }));
}

/** The regional-manager escalation contact of the region, before one covering every region. */
export async function regionalEscalationContact(db: Executor, region: string | null) {
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
  return row ?? null;
}

/** The first quality-manager escalation contact. */
export async function qualityEscalationContact(db: Executor) {
  const [row] = await db
    .select({ name: escalationContacts.name, email: escalationContacts.email })
    .from(escalationContacts)
    .where(eq(escalationContacts.level, 'quality_manager'))
    .orderBy(asc(escalationContacts.createdAt))
    .limit(1);
  return row ?? null;
}

/** The longest-serving enabled quality-manager account. */
export async function firstQualityManager(db: Executor) {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'quality_manager'), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return user ?? null;
}

export async function caseTeam(db: Executor, teamId: string) {
  const [team] = await db.select().from(caseTeams).where(eq(caseTeams.id, teamId));
  return team ?? null;
}
