// The rewards domain's background work: for every issued code (queue rewards.send), the low-stock check of
// its programme (one alert per time the pool runs low, e-mailed to the quality managers through the case
// notifications' SMTP path) and the reward message to the customer over the distribution transports.
import { createHash, randomUUID } from 'node:crypto';
import { canSendCaseEmail, sendCaseEmail } from '../cases/mail.ts';
import { createEmailTransport, createSmsTransport, type Transport } from '../distribution/transports.ts';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { consume, type Consumer, type PgBoss } from '../queue/queue.ts';
import { REWARD_SEND_QUEUE, type RewardSendJob } from './rewards.issue.ts';
import { composeRewardMessage, composeStockAlert } from './rewards.messages.ts';
import * as q from './rewards.queries.ts';

export const MAX_ATTEMPTS = 5;
const transports = new Map<string, Transport>();

function transportFor(deps: AppDeps, channel: 'email' | 'sms'): Transport | null {
  const key = channel === 'email' ? `email|${deps.env.SMTP_URL}|${deps.env.MAIL_FROM}` : `sms|${deps.env.SMS_PROVIDER_URL}`;
  let transport = transports.get(key);
  if (!transport) {
    transport = (channel === 'email' ? createEmailTransport(deps.env) : createSmsTransport(deps.env)) ?? undefined;
    if (!transport) return null;
    transports.set(key, transport);
  }
  return transport;
}

/** Closes the reward message connections (shutdown, tests). */
export async function closeRewardTransports() {
  const open = [...transports.values()];
  transports.clear();
  await Promise.all(open.map((t) => t.close()));
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Alerts the quality managers once when the programme's pool is at or under its threshold. */
export async function checkStock(deps: AppDeps, programmeId: string): Promise<boolean> {
  const now = deps.now();
  const queued = await deps.sql.begin(async (tx) => {
    const claimed = await q.claimLowStockAlert(tx, programmeId, now);
    if (!claimed) return false;
    const { subject, body } = composeStockAlert({
      name: claimed.name,
      nameEn: claimed.name_en,
      remaining: claimed.remaining,
      threshold: claimed.threshold,
      link: `${deps.publicUrl}/distribution/rewards/${programmeId}`,
    });
    const recipients = await q.qualityManagerEmails(tx);
    // One key per claim: the pool may run low again (after a refill) within the same second.
    const claim = randomUUID();
    await q.insertAlerts(
      tx,
      recipients.map((recipient) => ({
        programmeId,
        recipient,
        remaining: claimed.remaining,
        key: `reward-stock:${programmeId}:${claim}:${recipient}`,
        subject,
        body,
      })),
      now,
    );
    return true;
  });
  await deliverStockAlerts(deps);
  return queued;
}

/** Sends the stock alerts still waiting (each claimed with a row lock, so two workers never send one twice). */
export async function deliverStockAlerts(deps: AppDeps): Promise<number> {
  if (!canSendCaseEmail(deps)) return 0;
  let sent = 0;
  for (const id of await q.pendingAlertIds(deps.sql, MAX_ATTEMPTS)) {
    await deps.sql.begin(async (tx) => {
      const alert = await q.lockAlert(tx, id);
      if (!alert) return;
      try {
        await sendCaseEmail(deps, { to: alert.recipient, subject: alert.subject, text: alert.body, key: hashKey(alert.idempotency_key) });
        await q.recordAlert(tx, id, { status: 'sent', at: deps.now() });
        sent++;
      } catch (error) {
        const attempts = alert.attempts + 1;
        log.warn('reward stock alert not sent', { alert: id, attempt: attempts });
        await q.recordAlert(tx, id, {
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          error: String((error as Error)?.message ?? error).slice(0, 500),
          at: deps.now(),
        });
      }
    });
  }
  return sent;
}

/**
 * Sends the code to the customer by the channel chosen when it was issued. Throws when the provider did
 * not take it (the queue tries again with backoff); after MAX_ATTEMPTS it stays failed.
 */
export async function sendRewardMessage(deps: AppDeps, codeId: string): Promise<'sent' | 'skipped' | 'done'> {
  return deps.sql
    .begin(async (tx) => {
      const row = await q.lockCodeForMessage(tx, codeId);
      if (row?.message_status !== 'pending') return 'done' as const;
      const channel = row.message_channel;
      const to = channel === 'email' ? row.email : channel === 'sms' ? row.phone : null;
      const transport = channel && to ? transportFor(deps, channel) : null;
      if (!channel || !to || !transport) {
        await q.recordMessage(tx, codeId, { status: 'skipped', error: !to ? 'no contact' : 'no transport configured', at: deps.now() });
        return 'skipped' as const;
      }
      const text = composeRewardMessage({
        code: row.code,
        name: row.name,
        nameEn: row.name_en,
        customerName: row.customer_name,
        branchName: row.branch_name,
        branchNameEn: row.branch_name_en,
        locale: row.locale,
      });
      try {
        await transport.send(
          {
            channel,
            to,
            subject: text.subject,
            text: channel === 'email' ? text.body : text.sms,
            idempotencyKey: hashKey(`reward:${codeId}`),
          },
          { commitPoint: async () => {} },
        );
      } catch (error) {
        const attempts = row.message_attempts + 1;
        const message = String((error as Error)?.message ?? error).slice(0, 500);
        await q.recordMessage(tx, codeId, { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', error: message, at: deps.now() });
        if (attempts >= MAX_ATTEMPTS) return 'done' as const;
        throw Object.assign(new Error(`reward message not sent: ${message}`), { recorded: true });
      }
      await q.recordMessage(tx, codeId, { status: 'sent', at: deps.now() });
      return 'sent' as const;
    })
    .catch(async (error: unknown) => {
      // The failed attempt was rolled back with the transaction: count it outside, then let the queue retry.
      if ((error as { recorded?: boolean })?.recorded) {
        await q.recordMessage(deps.sql, codeId, { status: 'pending', error: (error as Error).message.slice(0, 500), at: deps.now() });
      }
      throw error;
    });
}

/** One rewards.send job: the stock check first (it must happen even when the message cannot go), then the message. */
export async function handleRewardJob(deps: AppDeps, data: RewardSendJob) {
  const programmeId = await q.programmeOfCode(deps.sql, data.codeId);
  if (!programmeId) return;
  await checkStock(deps, programmeId);
  await sendRewardMessage(deps, data.codeId);
}

export interface RewardWorker {
  /** Every due job, until none is left (tests). */
  runOnce(): Promise<{ handled: number }>;
  stop(): Promise<void>;
}

export function startRewardWorker(deps: AppDeps, boss: PgBoss, options: { autoStart?: boolean; pollMs?: number } = {}): RewardWorker {
  const consumer: Consumer = consume<RewardSendJob>(
    boss,
    REWARD_SEND_QUEUE,
    { batchSize: 10, concurrency: 2, pollMs: options.pollMs ?? deps.env.QUEUE_POLL_MS },
    (job) => handleRewardJob(deps, job.data),
    { autoStart: options.autoStart ?? true },
  );
  return {
    async runOnce() {
      return { handled: await consumer.drain() };
    },
    async stop() {
      await consumer.stop();
      await closeRewardTransports();
    },
  };
}
