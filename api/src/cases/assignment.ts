// Who owns a case, and who it escalates to: branch manager (or the rule's team) → regional manager →
// quality manager. A level without anyone configured is skipped.
import type { Database } from '../db/client.ts';
import * as q from './assignment.queries.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export const ESCALATION_LEVELS = ['owner', 'regional_manager', 'quality_manager'] as const;
export const MAX_ESCALATION_LEVEL = ESCALATION_LEVELS.length - 1;

export interface Contact {
  name: string | null;
  email: string;
  userId: string | null;
  /** Others at the same level who are told too (the region's other regional managers). */
  alsoNotify?: Contact[];
}

export interface Owner extends Contact {
  kind: 'branch_manager' | 'team' | 'user';
  teamId: string | null;
  /** 0 normally; higher when nobody was found at the lower levels. */
  level: number;
}

/** A new case's owner columns; nobody found leaves it with the branch's manager at level 0. */
export function caseOwnerColumns(owner: Owner | null) {
  return {
    assigneeKind: owner?.kind ?? ('branch_manager' as const),
    teamId: owner?.teamId ?? null,
    ownerUserId: owner?.userId ?? null,
    ownerName: owner?.name ?? null,
    ownerEmail: owner?.email ?? null,
    escalationLevel: owner?.level ?? 0,
  };
}

/** The branch's manager: a branch-manager account assigned to the branch, else the branch's manager e-mail. */
export async function branchManager(db: Executor, branchId: string): Promise<Contact | null> {
  const user = await q.branchManagerAccount(db, branchId);
  if (user) return { name: user.name, email: user.email, userId: user.id };
  const email = await q.branchManagerEmail(db, branchId);
  if (!email) return null;
  const account = await q.userByEmail(db, email);
  return { name: account?.name ?? null, email, userId: account?.id ?? null };
}

/**
 * The contact at one escalation level (1 = regional manager of the region, 2 = quality manager). Level 1 is
 * the region's regional-manager accounts when it has any (the first owns the escalation, the others are told
 * too), else the escalation contact of the region, else one covering every region.
 */
export async function escalationContact(db: Executor, level: number, region: string | null): Promise<Contact | null> {
  if (level === 1) {
    const managers = region === null ? [] : await q.regionalManagers(db, region);
    if (managers.length > 0) return { ...managers[0], alsoNotify: managers.slice(1) };
    const row = await q.regionalEscalationContact(db, region);
    if (!row) return null;
    const account = await q.userByEmail(db, row.email);
    return { name: row.name, email: row.email, userId: account?.id ?? null };
  }
  if (level === 2) {
    const row = await q.qualityEscalationContact(db);
    if (row) {
      const account = await q.userByEmail(db, row.email);
      return { name: row.name, email: row.email, userId: account?.id ?? null };
    }
    const user = await q.firstQualityManager(db);
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
    const team = await q.caseTeam(db, rule.teamId);
    if (team) {
      const account = await q.userByEmail(db, team.email);
      return { kind: 'team', teamId: team.id, name: team.name, email: team.email, userId: account?.id ?? null, level: 0 };
    }
  }
  const manager = branch ? await branchManager(db, branch.id) : null;
  if (manager) return { ...manager, kind: 'branch_manager', teamId: null, level: 0 };
  const fallback = await nextEscalation(db, 0, branch?.region ?? null);
  return fallback ? { ...fallback, kind: 'user', teamId: null } : null;
}
