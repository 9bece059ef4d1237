import { and, asc, count, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accountTokens, branches, loginAttempts, sessions, userBranches, users } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import { newSecret } from './authenticate.ts';
import { writeAudit } from './audit.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { ROLE_PERMISSIONS, type Role } from './permissions.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Failed sign-ins from one client within the window before it must wait. */
export const CLIENT_MAX_FAILURES = 20;
export const CLIENT_WINDOW_MS = 15 * 60_000;
/** Consecutive failed sign-ins that lock an account, and for how long. */
export const ACCOUNT_MAX_FAILURES = 5;
export const ACCOUNT_LOCK_MS = 15 * 60_000;

export const SETUP_LINK_HOURS = 24;
export const PASSWORD_LINK_DAYS = 7;

const tooMany = (retryAfterMs: number, detail: string) =>
  new ProblemError(429, 'Too Many Requests', detail, undefined, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

const wrongCredentials = () => new ProblemError(401, 'Unauthorized', 'Email or password is wrong.');

export async function me(db: Database | Tx, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new ProblemError(401, 'Unauthorized', 'No such user');
  const scoped = user.role === 'branch_manager';
  const assigned = scoped
    ? await db
        .select({ id: branches.id, code: branches.code, name: branches.name })
        .from(userBranches)
        .innerJoin(branches, eq(branches.id, userBranches.branchId))
        .where(eq(userBranches.userId, user.id))
        .orderBy(asc(branches.code))
    : null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    permissions: [...ROLE_PERMISSIONS[user.role]],
    branches: assigned,
    maskContacts: scoped,
  };
}

/**
 * Checks a sign-in. Per client address: at most CLIENT_MAX_FAILURES failures per window (429). Per
 * account: ACCOUNT_MAX_FAILURES wrong passwords in a row lock it for ACCOUNT_LOCK_MS (429).
 */
export async function checkLogin(db: Database, input: { email: string; password: string; clientKey: string }, now: Date) {
  const windowStart = new Date(now.getTime() - CLIENT_WINDOW_MS);
  const recent = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.clientKey, input.clientKey), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, windowStart)))
    .orderBy(asc(loginAttempts.at))
    .limit(CLIENT_MAX_FAILURES);
  if (recent.length >= CLIENT_MAX_FAILURES) {
    throw tooMany(recent[0].at.getTime() + CLIENT_WINDOW_MS - now.getTime(), 'Too many failed sign-ins from here. Try again later.');
  }
  const record = (succeeded: boolean) => db.insert(loginAttempts).values({ clientKey: input.clientKey, succeeded, at: now });

  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  if (user?.lockedUntil && user.lockedUntil > now) {
    await record(false);
    throw tooMany(user.lockedUntil.getTime() - now.getTime(), 'This account is locked after too many wrong passwords. Try again later.');
  }
  const ok = (await verifyPassword(user?.passwordHash ?? null, input.password)) && !!user && !user.disabledAt;
  if (!ok) {
    await record(false);
    if (user) {
      const failures = user.failedLogins + 1;
      const lock = failures >= ACCOUNT_MAX_FAILURES;
      await db
        .update(users)
        .set({ failedLogins: lock ? 0 : failures, lockedUntil: lock ? new Date(now.getTime() + ACCOUNT_LOCK_MS) : user.lockedUntil })
        .where(eq(users.id, user.id));
      if (lock) {
        await writeAudit(db, {
          at: now,
          actorType: 'system',
          actorId: null,
          actorLabel: 'system',
          action: 'user.lock',
          target: { type: 'user', id: user.id },
          details: { reason: 'failed_logins', minutes: ACCOUNT_LOCK_MS / 60_000 },
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
    throw new ProblemError(400, 'Bad Request', 'The current password is wrong', [{ path: 'currentPassword', message: 'Wrong password', code: 'wrong_password' }]);
  }
  assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new ProblemError(400, 'Bad Request', 'The new password must differ', [{ path: 'newPassword', message: 'Same as the current password', code: 'password_policy' }]);
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
      if (missing.length > 0) throw new ProblemError(400, 'Bad Request', 'Missing fields', missing.map((path) => ({ path, message: 'Required' })));
      assertPasswordPolicy(input.password, input.email!);
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email!));
      if (existing) throw new ProblemError(409, 'Conflict', 'A user with this email exists already', [{ path: 'email', message: 'Taken' }]);
      const [created] = await tx
        .insert(users)
        .values({ email: input.email!, name: input.name!, role: 'admin', passwordHash: await hashPassword(input.password), passwordChangedAt: now, createdAt: now, updatedAt: now })
        .returning({ id: users.id });
      userId = created.id;
    } else {
      userId = row.token.userId!;
      assertPasswordPolicy(input.password, row.email ?? '');
      await tx
        .update(users)
        .set({ passwordHash: await hashPassword(input.password), passwordChangedAt: now, failedLogins: 0, lockedUntil: null, updatedAt: now, ...(input.name ? { name: input.name } : {}) })
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
  input: { email: string; name: string; role: Role; password: string; branchIds?: string[] },
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
    await writeAudit(db, { at: now, actorType: 'system', actorId: null, actorLabel: 'system', action: 'user.create_first_admin', target: { type: 'user' }, details: { from: 'environment' } });
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

