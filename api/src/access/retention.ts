// The scheduled privacy and housekeeping job: erases customers past the retention period and removes
// expired sign-in data and old webhook deliveries. One function, run by startAccessJobs() in a worker process.
import type { AppDeps } from '../lib/types.ts';
import { log } from '../lib/logger.ts';
import type { PgBoss } from '../queue/queue.ts';
import { startPeriodicWork } from '../queue/periodic.ts';
import { auditSystem } from './audit.ts';
import { purgeExpiredAccountData } from './auth.queries.ts';
import { customersDueForErasure, eraseCustomers } from './privacy.queries.ts';
import { deliverDueWebhooks } from './webhooks.delivery.ts';
import { purgeDeliveryHistory } from './webhooks.queries.ts';

export const DELIVERY_HISTORY_DAYS = 90;

export async function applyRetention(deps: Pick<AppDeps, 'db' | 'sql' | 'env' | 'now'>) {
  const { db, sql, env } = deps;
  const now = deps.now();
  let customersErased = 0;
  // Batches keep each transaction short; stop when nothing more is due.
  for (;;) {
    const due = await customersDueForErasure(sql, env.PERSONAL_DATA_RETENTION_DAYS, now);
    if (due.length === 0) break;
    const result = await eraseCustomers(sql, due, now);
    customersErased += result.customers;
    if (result.customers === 0) break;
  }
  if (customersErased > 0) {
    await auditSystem(
      db,
      now,
      'customer.erase_retention',
      { type: 'customer' },
      { customers: customersErased, retentionDays: env.PERSONAL_DATA_RETENTION_DAYS },
    );
  }
  const account = await purgeExpiredAccountData(db, now);
  const deliveries = await purgeDeliveryHistory(sql, new Date(now.getTime() - DELIVERY_HISTORY_DAYS * 86_400_000));
  return { customersErased, ...account, webhookDeliveries: deliveries };
}

export const RETENTION_QUEUE = 'periodic.access-retention';

/**
 * Background work of the access domain in a worker process: webhook deliveries every few seconds (each
 * process claims its own rows), and the retention job once per six hours across all processes (a periodic
 * job, queue/periodic.ts). Returns a stop function.
 */
export async function startAccessJobs(deps: AppDeps, boss: PgBoss, options: { webhookEveryMs?: number; retentionEverySeconds?: number } = {}) {
  let stopped = false;
  let delivering = false;
  const deliver = async () => {
    if (delivering || stopped) return;
    delivering = true;
    try {
      // Keep going while full batches come back.
      for (let i = 0; i < 10 && !stopped; i++) {
        const result = await deliverDueWebhooks(deps);
        if (result.attempted < 20) break;
      }
    } catch (error) {
      log.warn(`webhook delivery run failed: ${(error as Error).message}`);
    } finally {
      delivering = false;
    }
  };
  const retain = async () => {
    const result = await applyRetention(deps);
    if (result.customersErased > 0) log.info(`retention: erased personal data of ${result.customersErased} customers`);
  };
  const webhookTimer = setInterval(deliver, options.webhookEveryMs ?? 5_000);
  const retention = await startPeriodicWork(boss, [{ queue: RETENTION_QUEUE, everySeconds: options.retentionEverySeconds ?? 6 * 3_600, run: retain }], {
    pollMs: deps.env.QUEUE_POLL_MS,
  });
  return async () => {
    stopped = true;
    clearInterval(webhookTimer);
    await retention.stop();
  };
}
