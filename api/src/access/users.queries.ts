import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { apiKeys, branches, regions, userBranches, userRegions, users } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import { conflict, notFound, ProblemError, unprocessable } from '../lib/problem.ts';
import { activeAdminCount, createAccountToken, endSessions } from './auth.queries.ts';
import { API_KEY_PREFIX, newSecret } from './authenticate.ts';
import { ROLES, type ApiKeyScope, type Role } from './permissions.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type UserRow = typeof users.$inferSelect;

function userStatus(u: UserRow, now: Date) {
  if (u.disabledAt) return 'disabled' as const;
  if (!u.passwordHash) return 'invited' as const;
  if (u.lockedUntil && u.lockedUntil > now) return 'locked' as const;
  return 'active' as const;
}

export async function listUsers(db: Database | Tx, now: Date, onlyId?: string) {
  const rows = await db
    .select()
    .from(users)
    .where(onlyId ? eq(users.id, onlyId) : undefined)
    .orderBy(asc(users.createdAt), asc(users.email));
  const assigned = rows.length
    ? await db
        .select({ userId: userBranches.userId, id: branches.id, code: branches.code, name: branches.name })
        .from(userBranches)
        .innerJoin(branches, eq(branches.id, userBranches.branchId))
        .where(
          inArray(
            userBranches.userId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(branches.code))
    : [];
  const assignedRegions = rows.length
    ? await db
        .select({ userId: userRegions.userId, id: regions.id, code: regions.code, name: regions.name, nameEn: regions.nameEn })
        .from(userRegions)
        .innerJoin(regions, eq(regions.id, userRegions.regionId))
        .where(
          inArray(
            userRegions.userId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(regions.code))
    : [];
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    branches: assigned.filter((b) => b.userId === u.id).map(({ id, code, name }) => ({ id, code, name })),
    regions: assignedRegions.filter((r) => r.userId === u.id).map(({ id, code, name, nameEn }) => ({ id, code, name, nameEn })),
    status: userStatus(u, now),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  }));
}

export async function userOptions(db: Database) {
  const rows = await db
    .select({ id: branches.id, code: branches.code, name: branches.name, region: branches.region, city: branches.city })
    .from(branches)
    .orderBy(asc(branches.code));
  const regionRows = await db
    .select({ id: regions.id, code: regions.code, name: regions.name, nameEn: regions.nameEn, active: regions.active })
    .from(regions)
    .orderBy(asc(regions.code));
  return { roles: [...ROLES], branches: rows, regions: regionRows };
}

async function assertBranchesExist(db: Database | Tx, branchIds: string[]) {
  if (branchIds.length === 0) return;
  const found = await db.select({ id: branches.id }).from(branches).where(inArray(branches.id, branchIds));
  const known = new Set(found.map((b) => b.id));
  const missing = branchIds.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw unprocessable(
      'Unknown branches',
      missing.map((id) => ({ path: 'branchIds', message: `No branch ${id}` })),
    );
}

function assertBranchesForRole(role: Role, branchIds: string[]) {
  if (role === 'branch_manager' && branchIds.length === 0) {
    throw new ProblemError(400, 'Bad Request', 'A branch manager needs at least one branch', [{ path: 'branchIds', message: 'Choose at least one branch' }]);
  }
}

async function assertRegionsExist(db: Database | Tx, regionIds: string[]) {
  if (regionIds.length === 0) return;
  const found = await db.select({ id: regions.id }).from(regions).where(inArray(regions.id, regionIds));
  const known = new Set(found.map((r) => r.id));
  const missing = regionIds.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw unprocessable(
      'Unknown regions',
      missing.map((id) => ({ path: 'regionIds', message: `No region ${id}` })),
    );
}

function assertRegionsForRole(role: Role, regionIds: string[]) {
  if (role === 'regional_manager' && regionIds.length === 0) {
    throw new ProblemError(400, 'Bad Request', 'A regional manager needs at least one region', [{ path: 'regionIds', message: 'Choose at least one region' }]);
  }
}

async function setRegions(db: Database | Tx, userId: string, role: Role, regionIds: string[]) {
  await db.delete(userRegions).where(eq(userRegions.userId, userId));
  const keep = role === 'regional_manager' ? [...new Set(regionIds)] : [];
  if (keep.length) await db.insert(userRegions).values(keep.map((regionId) => ({ userId, regionId })));
}

async function setBranches(db: Database | Tx, userId: string, role: Role, branchIds: string[]) {
  await db.delete(userBranches).where(eq(userBranches.userId, userId));
  const keep = role === 'branch_manager' ? [...new Set(branchIds)] : [];
  if (keep.length) await db.insert(userBranches).values(keep.map((branchId) => ({ userId, branchId })));
}

export async function createUser(db: Database, input: { email: string; name: string; role: Role; branchIds: string[]; regionIds: string[] }, now: Date) {
  assertBranchesForRole(input.role, input.branchIds);
  assertRegionsForRole(input.role, input.regionIds);
  return db.transaction(async (tx) => {
    await assertBranchesExist(tx, input.branchIds);
    await assertRegionsExist(tx, input.regionIds);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (existing) throw new ProblemError(409, 'Conflict', 'A user with this email exists already', [{ path: 'email', message: 'Taken' }]);
    const [created] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, role: input.role, createdAt: now, updatedAt: now })
      .returning({ id: users.id });
    await setBranches(tx, created.id, input.role, input.branchIds);
    await setRegions(tx, created.id, input.role, input.regionIds);
    const link = await createAccountToken(tx, 'password', created.id, now);
    const [user] = await listUsers(tx, now, created.id);
    return { user, token: link.token, expiresAt: link.expiresAt };
  });
}

export interface UserUpdate {
  name?: string;
  role?: Role;
  branchIds?: string[];
  regionIds?: string[];
  disabled?: boolean;
  unlock?: true;
}

/** Applies an update; returns the user and which fields changed (for the audit log). */
export async function updateUser(db: Database, id: string, input: UserUpdate, actorId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) throw notFound('No such user');
    const role = input.role ?? before.role;
    const losesAdmin = before.role === 'admin' && !before.disabledAt && (role !== 'admin' || input.disabled === true);
    if (losesAdmin && id === actorId) throw conflict('You cannot remove your own administrator access.');
    if (losesAdmin && (await activeAdminCount(tx, id)) === 0) throw conflict('At least one active administrator must remain.');
    const currentBranches = (await tx.select({ id: userBranches.branchId }).from(userBranches).where(eq(userBranches.userId, id))).map((b) => b.id);
    const branchIds = input.branchIds ?? currentBranches;
    assertBranchesForRole(role, branchIds);
    if (input.branchIds) await assertBranchesExist(tx, input.branchIds);
    const currentRegions = (await tx.select({ id: userRegions.regionId }).from(userRegions).where(eq(userRegions.userId, id))).map((r) => r.id);
    const regionIds = input.regionIds ?? currentRegions;
    assertRegionsForRole(role, regionIds);
    if (input.regionIds) await assertRegionsExist(tx, input.regionIds);

    const changed: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== before.name) changed.name = true;
    if (role !== before.role) changed.role = { from: before.role, to: role };
    const sameBranches = [...branchIds].sort().join() === [...currentBranches].sort().join();
    if (!sameBranches || role !== before.role) changed.branches = role === 'branch_manager' ? branchIds.length : 0;
    const sameRegions = [...regionIds].sort().join() === [...currentRegions].sort().join();
    if (!sameRegions || role !== before.role) changed.regions = role === 'regional_manager' ? regionIds.length : 0;
    if (input.disabled !== undefined && input.disabled !== !!before.disabledAt) changed.disabled = input.disabled;
    if (input.unlock && before.lockedUntil) changed.unlocked = true;

    await tx
      .update(users)
      .set({
        name: input.name ?? before.name,
        role,
        disabledAt: input.disabled === undefined ? before.disabledAt : input.disabled ? (before.disabledAt ?? now) : null,
        ...(input.unlock ? { lockedUntil: null, failedLogins: 0 } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, id));
    if (!sameBranches || role !== before.role) await setBranches(tx, id, role, branchIds);
    if (!sameRegions || role !== before.role) await setRegions(tx, id, role, regionIds);
    if (input.disabled) await endSessions(tx, id);
    const [user] = await listUsers(tx, now, id);
    return { user, changed };
  });
}

export async function newPasswordLink(db: Database, id: string, now: Date) {
  const [user] = await db.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.id, id));
  if (!user) throw notFound('No such user');
  if (user.disabledAt) throw conflict('Enable the user first.');
  return createAccountToken(db, 'password', id, now);
}

function apiKeyView(row: typeof apiKeys.$inferSelect & { createdByEmail: string | null }) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    createdBy: row.createdByEmail,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiKeys(db: Database, onlyId?: string) {
  const rows = await db
    .select({ key: apiKeys, createdByEmail: users.email })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(onlyId ? eq(apiKeys.id, onlyId) : undefined)
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((r) => apiKeyView({ ...r.key, createdByEmail: r.createdByEmail }));
}

/** A new key `rsk_…`; only its SHA-256 hash is stored. */
export async function createApiKey(db: Database, input: { name: string; scopes: ApiKeyScope[]; expiresAt?: string }, createdBy: string | null, now: Date) {
  const key = `${API_KEY_PREFIX}${newSecret()}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: hashToken(key),
      scopes: [...new Set(input.scopes)],
      createdBy,
      createdAt: now,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    })
    .returning({ id: apiKeys.id });
  const [apiKey] = await listApiKeys(db, row.id);
  return { apiKey, key };
}

export async function revokeApiKey(db: Database, id: string, now: Date) {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name });
  if (rows.length === 0) {
    const [exists] = await db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, id));
    if (!exists) throw notFound('No such API key');
    return { ...exists, alreadyRevoked: true };
  }
  return { ...rows[0], alreadyRevoked: false };
}
