// Survey links are bearer secrets: whoever has one can answer as the customer. Outside an audited
// reveal, the token in an outbox message is shown by its first characters only, in the link, the text
// and the HTML alike (the opt-out link carries the same token).
import type { OutboxMessage } from './outbox.queries.ts';

const VISIBLE = 4;

/** The token of a survey link (`…/s/<token>`), or null. */
export function linkToken(link: string): string | null {
  return /\/s\/([A-Za-z0-9_-]{16,})(?:[/?#]|$)/.exec(link)?.[1] ?? null;
}

export function maskToken(token: string): string {
  return `${token.slice(0, VISIBLE)}${'•'.repeat(8)}`;
}

export function maskOutboxMessage(message: OutboxMessage): OutboxMessage & { masked: true } {
  const token = linkToken(message.link);
  const hide = (value: string) => (token ? value.split(token).join(maskToken(token)) : value);
  return {
    ...message,
    subject: message.subject === null ? null : hide(message.subject),
    text: hide(message.text),
    html: message.html === null ? null : hide(message.html),
    link: token ? hide(message.link) : '•'.repeat(8),
    masked: true,
  };
}
