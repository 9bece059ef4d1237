import { and, asc, count, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accountTokens, apiKeys, branches, loginAttempts, regions, sessions, userBranches, userRegions, users } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import { newSecret } from './authenticate.ts';
import { writeAudit, type Executor } from './audit.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { BRANCH_SCOPED_ROLES, MASKED_CONTACT_ROLES, ROLE_PERMISSIONS, type Role } from './permissions.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** How many failed sign-ins are allowed before a wait, and how long it is (env LOGIN_*). */
export interface LoginLimits {
  /** wrong passwords for one account from one client address */
  perAccountAddress: number;
  /** failed sign-ins from one client address, any account (accounts that signed in from there before are exempt) */
  perAddress: number;
  /** wrong passwords for one account from anywhere: then the account itself is locked */
  perAccount: number;
  lockMs: number;
}

export function loginLimitsFrom(env: {
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: number;
  LOGIN_MAX_FAILURES_PER_ADDRESS: number;
  LOGIN_MAX_FAILURES_PER_ACCOUNT: number;
  LOGIN_LOCK_MINUTES: number;
}): LoginLimits {
  return {
    perAccountAddress: env.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
    perAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    perAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    lockMs: env.LOGIN_LOCK_MINUTES * 60_000,
  };
}

/** An address counts as known for an account this long after a successful sign-in from it. */
const KNOWN_ADDRESS_MS = 30 * 86_400_000;

export const SETUP_LINK_HOURS = 24;
export const PASSWORD_LINK_DAYS = 7;

const tooMany = (retryAfterMs: number, detail: string) =>
  new ProblemError(429, 'Too Many Requests', detail, undefined, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

const wrongCredentials = () => new ProblemError(401, 'Unauthorized', 'Email or password is wrong.');

/**
 * The branches a user sees, in code order; null = all. Branch managers: the branches assigned to them;
 * regional managers: every branch whose region is assigned to them, read at each request, so a branch
 * added to a region is in the scope from its first moment. The one source of every principal's scope.
 */
export async function scopedBranches(db: Database | Tx, user: { id: string; role: Role }) {
  if (!BRANCH_SCOPED_ROLES.includes(user.role)) return null;
  return db
    .select({ id: branches.id, code: branches.code, name: branches.name })
    .from(branches)
    .where(
      user.role === 'regional_manager'
        ? sql`${branches.regionId} in (select ${userRegions.regionId} from ${userRegions} where ${userRegions.userId} = ${user.id})`
        : sql`${branches.id} in (select ${userBranches.branchId} from ${userBranches} where ${userBranches.userId} = ${user.id})`,
    )
    .orderBy(asc(branches.code));
}

/** The regions assigned to a regional manager, in code order; null for every other role. */
export async function assignedRegions(db: Database | Tx, user: { id: string; role: Role }) {
  if (user.role !== 'regional_manager') return null;
  return db
    .select({ id: regions.id, code: regions.code, name: regions.name, nameEn: regions.nameEn })
    .from(userRegions)
    .innerJoin(regions, eq(regions.id, userRegions.regionId))
    .where(eq(userRegions.userId, user.id))
    .orderBy(asc(regions.code));
}

export async function me(db: Database | Tx, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new ProblemError(401, 'Unauthorized', 'No such user');
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    permissions: [...ROLE_PERMISSIONS[user.role]],
    branches: await scopedBranches(db, user),
    regions: await assignedRegions(db, user),
    maskContacts: MASKED_CONTACT_ROLES.includes(user.role),
  };
}

/**
 * Checks a sign-in. Keys are hashes: `clientKey` of the client address, `accountKey` of the email as typed
 * (unknown emails count alike). Each refusal is 429 with the time to wait:
 *   - one account from one address: `perAccountAddress` wrong passwords since its last success within the
 *     window lock that pair only: the same people elsewhere, and the rest of an office, still sign in;
 *   - one address: `perAddress` failures within the window stop it, except for accounts that signed in
 *     successfully from there within 30 days (so one attacker behind an office's address locks out nobody);
 *   - one account from anywhere: `perAccount` wrong passwords within the window lock the account (shown to
 *     administrators, who can unlock it), against guessing spread over many addresses.
 * Refused attempts are not recorded, so hammering does not lengthen a wait.
 */
export async function checkLogin(
  db: Database,
  input: { email: string; password: string; clientKey: string; accountKey: string },
  now: Date,
  limits: LoginLimits,
) {
  const windowStart = new Date(now.getTime() - limits.lockMs);
  const failures = (where: ReturnType<typeof and>, limit: number) =>
    db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(and(where, eq(loginAttempts.succeeded, false), gt(loginAttempts.at, windowStart)))
      .orderBy(desc(loginAttempts.at))
      .limit(limit);
  /** Until the oldest of the newest `limit` failures leaves the window. */
  const waitFor = (recent: { at: Date }[], limit: number) => recent[limit - 1].at.getTime() + limits.lockMs - now.getTime();
  const record = (succeeded: boolean) => db.insert(loginAttempts).values({ clientKey: input.clientKey, accountKey: input.accountKey, succeeded, at: now });

  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  if (user?.lockedUntil && user.lockedUntil > now) {
    throw tooMany(user.lockedUntil.getTime() - now.getTime(), 'This account is locked after too many wrong passwords. Try again later.');
  }
  const pair = and(eq(loginAttempts.clientKey, input.clientKey), eq(loginAttempts.accountKey, input.accountKey));
  const [lastSuccess] = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(pair, eq(loginAttempts.succeeded, true), gt(loginAttempts.at, new Date(now.getTime() - KNOWN_ADDRESS_MS))))
    .orderBy(desc(loginAttempts.at))
    .limit(1);
  const pairFailures = await failures(and(pair, lastSuccess ? gt(loginAttempts.at, lastSuccess.at) : undefined), limits.perAccountAddress);
  if (pairFailures.length >= limits.perAccountAddress) {
    throw tooMany(waitFor(pairFailures, limits.perAccountAddress), 'Too many wrong passwords for this account from here. Try again later.');
  }
  if (!lastSuccess) {
    const addressFailures = await failures(eq(loginAttempts.clientKey, input.clientKey), limits.perAddress);
    if (addressFailures.length >= limits.perAddress) {
      throw tooMany(waitFor(addressFailures, limits.perAddress), 'Too many failed sign-ins from here. Try again later.');
    }
  }

  const ok = (await verifyPassword(user?.passwordHash ?? null, input.password)) && !!user && !user.disabledAt;
  if (!ok) {
    await record(false);
    if (user) {
      const lockPair = pairFailures.length + 1 >= limits.perAccountAddress;
      const accountFailures = await failures(eq(loginAttempts.accountKey, input.accountKey), limits.perAccount);
      const lockAccount = accountFailures.length >= limits.perAccount;
      await db
        .update(users)
        .set({ failedLogins: user.failedLogins + 1, ...(lockAccount ? { lockedUntil: new Date(now.getTime() + limits.lockMs) } : {}) })
        .where(eq(users.id, user.id));
      if (lockPair || lockAccount) {
        await writeAudit(db, {
          at: now,
          actorType: 'system',
          actorId: null,
          actorLabel: 'system',
          action: 'user.lock',
          target: { type: 'user', id: user.id },
          details: { reason: 'failed_logins', scope: lockAccount ? 'account' : 'account_and_address', minutes: limits.lockMs / 60_000 },
        });
      }
    }
    throw wrongCredentials();
  }
  await record(true);
  await db.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, user.id));
  return user;
}

export async function changePassword(db: Database, userId: string, input: { currentPassword: string; newPassword: string }, now: Date) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ProblemError(400, 'Bad Request', 'The current password is wrong', [
      { path: 'currentPassword', message: 'Wrong password', code: 'wrong_password' },
    ]);
  }
  assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new ProblemError(400, 'Bad Request', 'The new password must differ', [
      { path: 'newPassword', message: 'Same as the current password', code: 'password_policy' },
    ]);
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), passwordChangedAt: now, updatedAt: now })
    .where(eq(users.id, userId));
}

/** A one-time link token; older unused tokens of the same purpose (and user) stop working. */
export async function createAccountToken(db: Database | Tx, purpose: 'setup' | 'password', userId: string | null, now: Date) {
  const token = newSecret();
  const ttl = purpose === 'setup' ? SETUP_LINK_HOURS * 3_600_000 : PASSWORD_LINK_DAYS * 86_400_000;
  await db
    .delete(accountTokens)
    .where(and(eq(accountTokens.purpose, purpose), userId ? eq(accountTokens.userId, userId) : isNull(accountTokens.userId), isNull(accountTokens.usedAt)));
  await db.insert(accountTokens).values({ tokenHash: hashToken(token), purpose, userId, expiresAt: new Date(now.getTime() + ttl), createdAt: now });
  return { token, expiresAt: new Date(now.getTime() + ttl) };
}

export function accountLink(publicUrl: string, token: string) {
  return `${publicUrl}/login/setup/${token}`;
}

const linkUnavailable = () => new ProblemError(404, 'Link not available', 'This link is not valid any more. Ask an administrator for a new one.');

async function findAccountToken(db: Database | Tx, token: string, now: Date, lock = false) {
  const query = db
    .select({ token: accountTokens, email: users.email, name: users.name, disabledAt: users.disabledAt })
    .from(accountTokens)
    .leftJoin(users, eq(users.id, accountTokens.userId))
    .where(and(eq(accountTokens.tokenHash, hashToken(token)), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)));
  const [row] = lock ? await query.for('update', { of: accountTokens }) : await query;
  if (!row || row.disabledAt) return null;
  if (row.token.purpose === 'password' && !row.token.userId) return null;
  return row;
}

export async function activeAdminCount(db: Database | Tx, exceptUserId?: string) {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), exceptUserId ? sql`${users.id} <> ${exceptUserId}` : undefined));
  return row.n;
}

export async function setupInfo(db: Database, token: string, now: Date) {
  const row = await findAccountToken(db, token, now);
  if (!row) throw linkUnavailable();
  if (row.token.purpose === 'setup' && (await activeAdminCount(db)) > 0) throw linkUnavailable();
  return { purpose: row.token.purpose, email: row.email, name: row.name };
}

/** Uses a one-time link: creates the first administrator, or sets a user's password. Returns the user id. */
export async function completeSetup(db: Database, token: string, input: { email?: string; name?: string; password: string }, now: Date) {
  return db.transaction(async (tx) => {
    const row = await findAccountToken(tx, token, now, true);
    if (!row) throw linkUnavailable();
    let userId: string;
    if (row.token.purpose === 'setup') {
      // Serialises two people using the link at once.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('first-admin'))`);
      if ((await activeAdminCount(tx)) > 0) throw linkUnavailable();
      const missing = [!input.email && 'email', !input.name && 'name'].filter(Boolean) as string[];
      if (missing.length > 0)
        throw new ProblemError(
          400,
          'Bad Request',
          'Missing fields',
          missing.map((path) => ({ path, message: 'Required' })),
        );
      assertPasswordPolicy(input.password, input.email!);
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email!));
      if (existing) throw new ProblemError(409, 'Conflict', 'A user with this email exists already', [{ path: 'email', message: 'Taken' }]);
      const [created] = await tx
        .insert(users)
        .values({
          email: input.email!,
          name: input.name!,
          role: 'admin',
          passwordHash: await hashPassword(input.password),
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: users.id });
      userId = created.id;
    } else {
      userId = row.token.userId!;
      assertPasswordPolicy(input.password, row.email ?? '');
      await tx
        .update(users)
        .set({
          passwordHash: await hashPassword(input.password),
          passwordChangedAt: now,
          failedLogins: 0,
          lockedUntil: null,
          updatedAt: now,
          ...(input.name ? { name: input.name } : {}),
        })
        .where(eq(users.id, userId));
    }
    await tx.update(accountTokens).set({ usedAt: now }).where(eq(accountTokens.id, row.token.id));
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    await writeAudit(tx, {
      at: now,
      actorType: 'user',
      actorId: userId,
      actorLabel: user.email,
      action: row.token.purpose === 'setup' ? 'user.create_first_admin' : 'user.set_password',
      target: { type: 'user', id: userId },
    });
    return userId;
  });
}

/** Creates a user with a known password (first administrator from the environment, demo users, tests). */
export async function createUserWithPassword(
  db: Database | Tx,
  input: { email: string; name: string; role: Role; password: string; branchIds?: string[]; regionIds?: string[] },
  now: Date,
) {
  const [created] = await db
    .insert(users)
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: users.id });
  if (input.branchIds?.length) await db.insert(userBranches).values(input.branchIds.map((branchId) => ({ userId: created.id, branchId })));
  if (input.regionIds?.length) await db.insert(userRegions).values(input.regionIds.map((regionId) => ({ userId: created.id, regionId })));
  return created.id;
}

/**
 * At start: when no active administrator exists, creates one from ADMIN_EMAIL/ADMIN_PASSWORD, or returns
 * a one-time setup link to print.
 */
export async function ensureFirstAdmin(db: Database, env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string }, publicUrl: string, now: Date) {
  if ((await activeAdminCount(db)) > 0) return { kind: 'exists' as const };
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    const email = env.ADMIN_EMAIL.trim().toLowerCase();
    assertPasswordPolicy(env.ADMIN_PASSWORD, email, 'ADMIN_PASSWORD');
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) {
      await db
        .update(users)
        .set({ role: 'admin', disabledAt: null, passwordHash: await hashPassword(env.ADMIN_PASSWORD), passwordChangedAt: now, updatedAt: now })
        .where(eq(users.id, existing.id));
    } else {
      await createUserWithPassword(db, { email, name: 'Administrator', role: 'admin', password: env.ADMIN_PASSWORD }, now);
    }
    await writeAudit(db, {
      at: now,
      actorType: 'system',
      actorId: null,
      actorLabel: 'system',
      action: 'user.create_first_admin',
      target: { type: 'user' },
      details: { from: 'environment' },
    });
    return { kind: 'created' as const, email };
  }
  const { token, expiresAt } = await createAccountToken(db, 'setup', null, now);
  return { kind: 'link' as const, link: accountLink(publicUrl, token), expiresAt };
}

/** Removes sign-in bookkeeping that is no longer needed. */
export async function purgeExpiredAccountData(db: Database, now: Date) {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const attempts = await db.delete(loginAttempts).where(lt(loginAttempts.at, monthAgo)).returning({ id: loginAttempts.id });
  const tokens = await db
    .delete(accountTokens)
    .where(or(lt(accountTokens.expiresAt, monthAgo), lt(accountTokens.usedAt, monthAgo)))
    .returning({ id: accountTokens.id });
  const ended = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return { loginAttempts: attempts.length, accountTokens: tokens.length, sessions: ended.length };
}

/** Signs out one session (logout). */
export async function endSession(db: Database, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

// ── Sessions and API keys as authenticate.ts resolves them ────────────────────────────────────────

export async function createSession(db: Database, userId: string, now: Date, idleHours: number) {
  const token = newSecret();
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + idleHours * 3_600_000) })
    .returning({ id: sessions.id });
  return { id: row.id, token };
}

/** Ends every session of a user, except optionally one. */
export async function endSessions(db: Executor, userId: string, exceptSessionId?: string) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), exceptSessionId ? sql`${sessions.id} <> ${exceptSessionId}` : undefined));
}

/** The session with this token hash and its enabled user, when it has neither idled out nor passed `oldest`. */
export async function liveSession(db: Database, tokenHash: string, at: Date, oldest: Date) {
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name, role: users.role } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, at), gt(sessions.createdAt, oldest), isNull(users.disabledAt)));
  return row ?? null;
}

export async function touchSession(db: Database, id: string, at: Date, expiresAt: Date) {
  await db.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.id, id));
}

/** The API key with this hash when it is neither revoked nor expired. */
export async function liveApiKey(db: Database, keyHash: string, at: Date) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, at))));
  return row ?? null;
}

export async function touchApiKey(db: Database, id: string, at: Date) {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}
