import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Env } from '../env.ts';
import { log } from '../lib/logger.ts';

/** 128 random bits, URL-safe. Only the SHA-256 hash is stored; the raw token lives only in the link. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(16).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens are exactly 22 base64url characters; anything else is rejected before touching the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function surveyLink(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}`;
}

export function optOutLink(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}/opt-out`;
}

/** The one-click unsubscribe address of RFC 8058 (List-Unsubscribe-Post). */
export function optOutApiLink(publicUrl: string, token: string): string {
  return `${publicUrl}/api/respond/${token}/opt-out`;
}

/**
 * An invitation's token: the first 128 bits of HMAC-SHA-256(TOKEN_SECRET, invitation id). Without the
 * secret it cannot be told from a random token; with it the sender can put the same link into the
 * invitation and its reminders days later, while the database still holds only the token's SHA-256 hash.
 */
export function invitationToken(secret: string, invitationId: string): { token: string; tokenHash: string } {
  const token = createHmac('sha256', secret).update(`invitation:${invitationId}`, 'utf8').digest().subarray(0, 16).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

let processSecret: string | undefined;

/**
 * TOKEN_SECRET from the environment (`npm start` creates one in the data directory when none is set).
 * Without one, a random secret for this process: links keep working only until it restarts.
 */
export function tokenSecret(env: Env): string {
  if (env.TOKEN_SECRET) return env.TOKEN_SECRET;
  if (!processSecret) {
    processSecret = randomBytes(32).toString('base64url');
    if (env.NODE_ENV === 'production') log.warn('TOKEN_SECRET is not set: survey links sent by this process stop working after a restart');
  }
  return processSecret;
}

/** The secret kept in a file beside the data (created on first start, readable by the owner only). */
export async function secretFromFile(file: string): Promise<string> {
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const path = await import('node:path');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    /* not there yet */
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => {
    // Another process wrote it first: use theirs.
  });
  return (await readFile(file, 'utf8')).trim();
}
