// Who changed what. Call `audit(c, action, target, details)` after a change succeeded (pass the
// transaction as the last argument to record it atomically with the change). Never put customers'
// personal data (names, emails, phones, free text) into details: ids and field names are enough.
import type { Context } from 'hono';
import type { Database } from '../db/client.ts';
import type { AppBindings } from '../lib/types.ts';
import { insertAuditEntry } from './audit.queries.ts';
import { principalLabel } from './principal.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export interface AuditTarget {
  /** What kind of thing changed: survey, rule, user, case, export, api_key, webhook, customer… */
  type: string;
  id?: string | null;
}

export interface AuditEntry {
  at: Date;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  /** dotted verb: `survey.publish`, `user.create`, `case.close`, `responses.export`… */
  action: string;
  target: AuditTarget;
  details?: Record<string, unknown> | null;
}

export async function writeAudit(db: Executor, entry: AuditEntry) {
  await insertAuditEntry(db, entry);
}

/** Records an action by the caller of this request. */
export async function audit(c: Context<AppBindings>, action: string, target: AuditTarget, details?: Record<string, unknown> | null, db?: Executor) {
  const { db: database, now } = c.get('deps');
  const principal = c.get('principal');
  await writeAudit(db ?? database, {
    at: now(),
    actorType: principal?.kind ?? 'system',
    actorId: principal?.id ?? null,
    actorLabel: principal ? principalLabel(principal) : 'anonymous',
    action,
    target,
    details,
  });
}

/** Records an action of the platform itself (scheduled jobs). */
export function auditSystem(db: Executor, at: Date, action: string, target: AuditTarget, details?: Record<string, unknown>) {
  return writeAudit(db, { at, actorType: 'system', actorId: null, actorLabel: 'system', action, target, details });
}
