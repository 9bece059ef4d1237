// Sending one staff e-mail about a case, over the distribution domain's SMTP transport (SMTP_URL).
import { createHash } from 'node:crypto';
import { createEmailTransport, type Transport } from '../distribution/transports.ts';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';

const transports = new Map<string, Transport>();

/** Whether e-mail can be sent at all; without SMTP_URL notifications wait in case_notifications. */
export const canSendCaseEmail = (deps: AppDeps) => !!deps.env.SMTP_URL;

export async function sendCaseEmail(deps: AppDeps, message: { to: string; subject: string; text: string; key: string }) {
  const key = `${deps.env.SMTP_URL}|${deps.env.MAIL_FROM}`;
  let transport = transports.get(key);
  if (!transport) {
    transport = createEmailTransport(deps.env) ?? undefined;
    if (!transport) throw new Error('SMTP_URL is not set');
    transports.set(key, transport);
  }
  await transport.send(
    { channel: 'email', to: message.to, subject: message.subject, text: message.text, idempotencyKey: message.key },
    // Nothing to commit first: a notification is marked sent after the hand-over.
    { commitPoint: async () => {} },
  );
}

/** A queued staff e-mail as its outbox table holds it (case_notifications, action_plan_notifications). */
export interface QueuedEmail {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  idempotencyKey: string;
  attempts: number;
}

/** What a delivery attempt writes back to the outbox row. */
export interface DeliveryUpdate {
  status: 'sent' | 'failed' | 'pending';
  sentAt?: Date;
  attempts: number;
  lastError: string | null;
}

/**
 * Sends one claimed outbox row and records the outcome with `mark` (in the caller's transaction):
 * sent, or back to pending with the error until the attempt count reaches `maxAttempts`, then failed.
 */
export async function deliverQueuedEmail(
  deps: AppDeps,
  row: QueuedEmail,
  mark: (update: DeliveryUpdate) => Promise<unknown>,
  opts: { maxAttempts: number; warning: string },
): Promise<'sent' | 'failed'> {
  try {
    await sendCaseEmail(deps, {
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      key: createHash('sha256').update(row.idempotencyKey).digest('hex'),
    });
    await mark({ status: 'sent', sentAt: deps.now(), attempts: row.attempts + 1, lastError: null });
    return 'sent';
  } catch (error) {
    const attempts = row.attempts + 1;
    log.warn(opts.warning, { notification: row.id, attempt: attempts });
    await mark({
      status: attempts >= opts.maxAttempts ? 'failed' : 'pending',
      attempts,
      lastError: String((error as Error)?.message ?? error).slice(0, 500),
    });
    return 'failed';
  }
}

/** Closes the SMTP connections (shutdown, tests). */
export async function closeCaseMail() {
  const open = [...transports.values()];
  transports.clear();
  await Promise.all(open.map((t) => t.close()));
}
