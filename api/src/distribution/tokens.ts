import { createHash, randomBytes } from 'node:crypto';

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
