import { hash, verify, type Options } from '@node-rs/argon2';
import { ProblemError } from '../lib/problem.ts';

// argon2id with the OWASP-recommended cost (19 MiB, 2 passes).
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
const options: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verified against when the email is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  const target = passwordHash ?? (await (dummyHash ??= hash('not-a-real-password-0000', options)));
  try {
    const ok = await verify(target, password);
    return ok && passwordHash !== null;
  } catch {
    return false;
  }
}

/** Rejects passwords that are too short, too long or the same as the email; problem+json on `field`. */
export function assertPasswordPolicy(password: string, email: string, field = 'password') {
  const fail = (message: string) =>
    new ProblemError(400, 'Bad Request', 'The password does not meet the policy', [{ path: field, message, code: 'password_policy' }]);
  if (password.length < PASSWORD_MIN_LENGTH) throw fail(`At least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) throw fail(`At most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) throw fail('Must differ from the email address');
  if (new Set(password).size < 4) throw fail('Too few different characters');
}
