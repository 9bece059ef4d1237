// Sending one staff e-mail about a case, over the distribution domain's SMTP transport (SMTP_URL).
import { createEmailTransport, type Transport } from '../distribution/transports.ts';
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

/** Closes the SMTP connections (shutdown, tests). */
export async function closeCaseMail() {
  const open = [...transports.values()];
  transports.clear();
  await Promise.all(open.map((t) => t.close()));
}
