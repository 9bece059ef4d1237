// Provider health per channel, from what the sender saw: the last accepted hand-over, the last provider
// failure (a short reason without personal data) and the failures since the last success. Pure functions.

export type ProviderState = 'ok' | 'degraded' | 'down';

/** A success within this long before the latest failure makes it "degraded" rather than "down". */
export const DEGRADED_WINDOW_MS = 15 * 60_000;

export interface ProviderHealthFacts {
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  failuresSinceSuccess: number;
}

/**
 * ok: the last hand-over was accepted (or none failed yet). degraded: failing now, but a message went
 * through shortly before. down: failing, with no success in the window before the latest failure.
 */
export function providerState(facts: ProviderHealthFacts): ProviderState {
  if (facts.failuresSinceSuccess <= 0 || !facts.lastErrorAt) return 'ok';
  if (!facts.lastSuccessAt) return 'down';
  const gap = new Date(facts.lastErrorAt).getTime() - new Date(facts.lastSuccessAt).getTime();
  return gap <= DEGRADED_WINDOW_MS ? 'degraded' : 'down';
}

/**
 * A short reason for a failed hand-over that names the kind of fault and never the message or the
 * recipient (provider answers can quote the address): a system error code, an SMTP or HTTP status.
 */
export function providerErrorReason(message: string): string {
  const code =
    /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ESOCKET|ECONNECTION|EAUTH|ETLS|EPROTOCOL|EENVELOPE|EMESSAGE)\b/.exec(
      message,
    )?.[1];
  const names: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed',
    ESOCKET: 'connection error',
    ECONNECTION: 'connection closed',
    EAUTH: 'authentication failed',
    ETLS: 'TLS error',
    EPROTOCOL: 'protocol error',
    EENVELOPE: 'envelope refused',
    EMESSAGE: 'message refused',
  };
  if (code) return names[code];
  const sms = /^SMS provider answered (\d{3})/.exec(message);
  if (sms) return `provider answered HTTP ${sms[1]}`;
  if (/timed? ?out/i.test(message)) return 'timed out';
  if (/greeting never received|connection closed|unexpected close/i.test(message)) return 'connection closed';
  const smtp = /(?:^|response=)([45]\d\d)[\s-]/.exec(message);
  if (smtp) return `server answered ${smtp[1]}`;
  if (/transport closed/i.test(message)) return 'sender stopping';
  return 'other error';
}
