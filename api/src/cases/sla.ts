// The SLA timers: reminders when a time limit is close, breaches and escalation when it has passed.
// Runs every minute; every step claims its cases with an UPDATE … WHERE so a repeated or concurrent
// run does each thing once.
import type { cases } from '../db/schema.ts';
import type { AppDeps } from '../lib/types.ts';
import type { Database } from '../db/client.ts';
import { emitCaseEvent } from '../access/webhooks.delivery.ts';
import { nextEscalation } from './assignment.ts';
import { claimDueCases, regionOfBranch, setEscalation, systemEvent } from './sla.queries.ts';
import { deliverCaseNotifications, queueCaseEmail, type NotificationKind } from './notifications.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type CaseRow = typeof cases.$inferSelect;

export interface SweepResult {
  reminders: number;
  breaches: number;
  escalations: number;
}

async function escalate(
  tx: Tx,
  deps: AppDeps,
  row: CaseRow,
  at: Date,
  reason: 'first_response' | 'resolution',
): Promise<{ escalated: boolean; ids: string[] }> {
  const region = row.branchId ? await regionOfBranch(tx, row.branchId) : null;
  const next = await nextEscalation(tx, row.escalationLevel, region);
  if (!next) {
    await systemEvent(tx, row.id, at, 'escalated', { reason, level: row.escalationLevel, to: null });
    return { escalated: false, ids: [] };
  }
  const updated = await setEscalation(tx, row.id, next, at);
  await systemEvent(tx, row.id, at, 'escalated', { reason, from: row.escalationLevel, level: next.level, to: { name: next.name, email: next.email } });
  await emitCaseEvent(tx, 'case.escalated', row.id, at);
  const dueAt = reason === 'first_response' ? row.firstResponseDueAt : row.resolutionDueAt;
  const ids: string[] = [];
  for (const recipient of [next, ...(next.alsoNotify ?? [])]) {
    const id = await queueCaseEmail(tx, updated, 'escalated', recipient.email, deps.publicUrl, at, dueAt);
    if (id) ids.push(id);
  }
  return { escalated: true, ids };
}

/** One SLA step (a reminder or a breach of one time limit): claims the cases it applies to, stamps them, records and notifies. */
async function step(
  deps: AppDeps,
  at: Date,
  kind: 'reminder' | 'breach',
  sla: 'first_response' | 'resolution',
): Promise<{ count: number; escalations: number; notifications: string[] }> {
  const first = sla === 'first_response';
  return deps.db.transaction(async (tx) => {
    const claimed = await claimDueCases(tx, at, kind, sla);
    const notifications: string[] = [];
    let escalations = 0;
    for (const row of claimed) {
      const due = first ? row.firstResponseDueAt : row.resolutionDueAt;
      await systemEvent(tx, row.id, at, kind, { sla, dueAt: due.toISOString() });
      const mailKind = `${sla}_${kind === 'reminder' ? 'due_soon' : 'breached'}` as NotificationKind;
      const id = await queueCaseEmail(tx, row, mailKind, row.ownerEmail, deps.publicUrl, at, due);
      if (id) notifications.push(id);
      if (kind === 'breach') {
        const escalated = await escalate(tx, deps, row, at, sla);
        notifications.push(...escalated.ids);
        if (escalated.escalated) escalations++;
      }
    }
    return { count: claimed.length, escalations, notifications };
  });
}

/** The job: everything due at `deps.now()`. Breaches run before reminders so a late run does not remind about a passed time. */
export async function sweepCaseTimers(deps: AppDeps): Promise<SweepResult> {
  const at = deps.now();
  const result: SweepResult = { reminders: 0, breaches: 0, escalations: 0 };
  const notifications: string[] = [];
  for (const sla of ['first_response', 'resolution'] as const) {
    const breach = await step(deps, at, 'breach', sla);
    result.breaches += breach.count;
    result.escalations += breach.escalations;
    notifications.push(...breach.notifications);
  }
  for (const sla of ['first_response', 'resolution'] as const) {
    const reminder = await step(deps, at, 'reminder', sla);
    result.reminders += reminder.count;
    notifications.push(...reminder.notifications);
  }
  await deliverCaseNotifications(deps, notifications);
  return result;
}
