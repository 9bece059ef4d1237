// The scheduled privacy and housekeeping job: erases customers past the retention period and removes
// expired sign-in data and old webhook deliveries. One function, run by startAccessJobs() in the server.
import type { AppDeps } from '../lib/types.ts';
import { log } from '../lib/logger.ts';
import { auditSystem } from './audit.ts';
import { purgeExpiredAccountData } from './auth.queries.ts';
import { customersDueForErasure, eraseCustomers } from './privacy.queries.ts';
import { deliverDueWebhooks } from './webhooks.delivery.ts';

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
    await auditSystem(db, now, 'customer.erase_retention', { type: 'customer' }, { customers: customersErased, retentionDays: env.PERSONAL_DATA_RETENTION_DAYS });
  }
  const account = await purgeExpiredAccountData(db, now);
  const deliveries = await sql`
    delete from webhook_deliveries where status <> 'pending'
      and created_at < ${new Date(now.getTime() - DELIVERY_HISTORY_DAYS * 86_400_000).toISOString()}`;
  return { customersErased, ...account, webhookDeliveries: deliveries.count };
}

/**
 * Background work of the access domain in the server process: webhook deliveries every few seconds,
 * the retention job at start and every six hours. Returns a stop function.
 */
export function startAccessJobs(deps: AppDeps, options: { webhookEveryMs?: number; retentionEveryMs?: number } = {}) {
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
    try {
      const result = await applyRetention(deps);
      if (result.customersErased > 0) log.info(`retention: erased personal data of ${result.customersErased} customers`);
    } catch (error) {
      log.warn(`retention run failed: ${(error as Error).message}`);
    }
  };
  const webhookTimer = setInterval(deliver, options.webhookEveryMs ?? 5_000);
  const retentionTimer = setInterval(retain, options.retentionEveryMs ?? 6 * 3_600_000);
  void retain();
  return async () => {
    stopped = true;
    clearInterval(webhookTimer);
    clearInterval(retentionTimer);
  };
}
