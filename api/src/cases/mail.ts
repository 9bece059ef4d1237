// Sending one staff e-mail about a case.
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppDeps } from '../lib/types.ts';

const transports = new Map<string, Transporter>();

export async function sendCaseEmail(deps: AppDeps, message: { to: string; subject: string; text: string }) {
  const url = deps.env.SMTP_URL;
  if (!url) throw new Error('SMTP_URL is not set');
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  await transport.sendMail({ from: deps.env.MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
}
