// Hand-over of one message to a provider: SMTP (nodemailer) for e-mail, an HTTP webhook for SMS; the
// database outbox when neither is configured (see sender.ts). Each transport withholds the last bytes
// of the message (SMTP's end-of-data marker, the last byte of the HTTP body) until the sender has
// committed its claim on the message's idempotency key: a message is never complete at the provider
// without a committed claim, so a process that dies before the claim leaves nothing delivered.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Env } from '../env.ts';
import type { Channel } from './rules.schemas.ts';

export interface OutgoingMessage {
  channel: Channel;
  to: string;
  subject?: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** The same for every attempt at this message: Message-ID / Idempotency-Key for the provider. */
  idempotencyKey: string;
  /** E-mail: the From header (the brand's sender), else MAIL_FROM. SMS: the sender the provider shows (the brand's). */
  from?: string;
  sender?: string;
  /** E-mail only: files and inline images (`cid`), as nodemailer takes them (the reports' digests). */
  attachments?: { filename: string; content: Buffer; contentType: string; cid?: string }[];
}

export interface HandOverHooks {
  /** Called once everything but the last bytes is with the provider; resolves when the claim is committed. */
  commitPoint(): Promise<void>;
}

/**
 * A failed hand-over. `answered`: the provider said so (nothing was delivered); otherwise the outcome is
 * unknown. `permanent`: trying again will not help. `badAddress`: the address itself was refused.
 */
export class HandOverError extends Error {
  constructor(
    message: string,
    readonly answered: boolean,
    readonly permanent: boolean,
    readonly badAddress: boolean,
  ) {
    super(message);
  }
}

export interface Transport {
  readonly name: 'smtp' | 'sms_webhook';
  readonly channel: Channel;
  send(message: OutgoingMessage, hooks: HandOverHooks): Promise<{ providerMessageId: string | null }>;
  close(): Promise<void>;
}

/** A stream of the whole message that ends only after the commit point (the end is what completes it). */
function withheldEnd(payload: Buffer, hooks: HandOverHooks, last = 0): Readable {
  let started = false;
  const stream = new Readable({
    read() {
      if (started) return;
      started = true;
      this.push(last > 0 ? payload.subarray(0, payload.length - last) : payload);
      hooks.commitPoint().then(
        () => {
          if (last > 0) this.push(payload.subarray(payload.length - last));
          this.push(null);
        },
        (error) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  return stream;
}

// ── E-mail over SMTP ───────────────────────────────────────────────────────────────────────────────────

type Connection = InstanceType<typeof SMTPConnection>;

/**
 * SMTP with nodemailer's SMTPConnection, one connection per concurrent send, kept open between messages.
 * The message stream is read only after the server accepted DATA, so the claim is made once the envelope
 * was accepted and the body is on its way, and the end-of-data marker follows the committed claim.
 */
export class SmtpTransport implements Transport {
  readonly name = 'smtp' as const;
  readonly channel = 'email' as const;
  private readonly options: ConstructorParameters<typeof SMTPConnection>[0];
  private readonly auth: { user: string; pass: string } | null;
  private readonly idle: Connection[] = [];
  private readonly envelopeFrom: string;
  private readonly domain: string;
  private closed = false;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    const parsed = parseConnectionUrl(url) as Record<string, unknown> & { auth?: { user?: string; pass?: string } };
    const { auth, ...rest } = parsed;
    this.options = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000, ...rest } as never;
    this.auth = auth?.user ? { user: auth.user, pass: auth.pass ?? '' } : null;
    this.envelopeFrom = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
    this.domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
  }

  private connect(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const conn = new SMTPConnection(this.options);
      let settled = false;
      conn.on('error', (error: Error) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
      });
      conn.connect(() => {
        if (!this.auth) {
          settled = true;
          return resolve(conn);
        }
        conn.login(this.auth, (error?: Error | null) => {
          settled = true;
          if (error) {
            conn.close();
            reject(error);
          } else resolve(conn);
        });
      });
    });
  }

  private sendOn(conn: Connection, to: string, raw: Buffer, hooks: HandOverHooks): Promise<{ response?: string }> {
    return new Promise((resolve, reject) => {
      conn.send({ from: this.envelopeFrom, to: [to] }, withheldEnd(raw, hooks), (error: Error | null, info: { response?: string }) =>
        error ? reject(error) : resolve(info),
      );
    });
  }

  async send(message: OutgoingMessage, hooks: HandOverHooks) {
    if (this.closed) throw new HandOverError('transport closed', false, false, false);
    const raw = await new MailComposer({
      from: message.from ?? this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      attachments: message.attachments,
      messageId: `<${message.idempotencyKey.slice(0, 40)}@${this.domain}>`,
    })
      .compile()
      .build();
    let committed = false;
    const tracked: HandOverHooks = {
      commitPoint: async () => {
        await hooks.commitPoint();
        committed = true;
      },
    };
    // A connection kept open may have been closed by the server meanwhile: one more go on a new one.
    for (let round = 0; ; round++) {
      const reused = this.idle.length > 0;
      let conn: Connection;
      try {
        conn = this.idle.pop() ?? (await this.connect());
      } catch (error) {
        throw smtpError(error);
      }
      const dead = () => (conn as unknown as { _destroyed?: boolean })._destroyed === true;
      try {
        const info = await this.sendOn(conn, message.to, raw, tracked);
        if (!this.closed && !dead()) this.idle.push(conn);
        else conn.close();
        return { providerMessageId: info.response ?? null };
      } catch (error) {
        conn.close();
        const failure = smtpError(error);
        if (reused && !committed && !failure.answered && round === 0) continue;
        throw failure;
      }
    }
  }

  async close() {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.quit();
  }
}

function smtpError(error: unknown): HandOverError {
  if (error instanceof HandOverError) return error;
  const e = error as { message?: string; responseCode?: number; command?: string; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const message = (e.message ?? String(error)).slice(0, 500);
  if (code === null) return new HandOverError(message, false, false, false);
  const permanent = code >= 500;
  const badAddress = permanent && (e.command ?? '').toUpperCase().startsWith('RCPT');
  return new HandOverError(message, true, permanent, badAddress);
}

// ── SMS over a provider adapter ─────────────────────────────────────────────────────────────────────────

/**
 * The generic JSON webhook: POST {to, text, reference} to SMS_PROVIDER_URL with an Idempotency-Key header
 * and `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256(secret, "<t>.<body>")>`. 2xx = accepted (an `id`
 * in the JSON answer is kept); 400/404/422 with `error` invalid_number | unknown_number | blocked = the number
 * is bad; 408, 429 and 5xx = try again later; other 4xx = refused for good.
 */
export class WebhookSmsTransport implements Transport {
  readonly name = 'sms_webhook' as const;
  readonly channel = 'sms' as const;
  private readonly agent: http.Agent;

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {
    const Agent = url.startsWith('https:') ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 16 });
  }

  send(message: OutgoingMessage, hooks: HandOverHooks): Promise<{ providerMessageId: string | null }> {
    const body = Buffer.from(
      JSON.stringify({ to: message.to, text: message.text, reference: message.idempotencyKey, ...(message.sender ? { sender: message.sender } : {}) }),
      'utf8',
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.`).update(body).digest('hex');
    const target = new URL(this.url);
    const lib = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        target,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'idempotency-key': message.idempotencyKey,
            'x-signature': `t=${timestamp},v1=${signature}`,
          },
          timeout: 15_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new HandOverError(e.message, false, false, false)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: { id?: unknown; error?: unknown } = {};
            try {
              json = text ? JSON.parse(text) : {};
            } catch {
              /* not JSON */
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve({ providerMessageId: typeof json.id === 'string' ? json.id : null });
            const reason = `SMS provider answered ${status}${typeof json.error === 'string' ? ` ${json.error}` : ''}`;
            const transient = status === 408 || status === 429 || status >= 500;
            const badAddress = [400, 404, 422].includes(status) && ['invalid_number', 'unknown_number', 'blocked'].includes(String(json.error));
            reject(new HandOverError(reason, true, !transient, badAddress));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('SMS provider timed out')));
      req.on('error', (e) => reject(e instanceof HandOverError ? e : new HandOverError(e.message, false, false, false)));
      // Everything but the last byte (once it is on the wire), then the claim, then the last byte.
      req.write(body.subarray(0, body.length - 1), (error) => {
        if (error) return;
        hooks.commitPoint().then(
          () => req.end(body.subarray(body.length - 1)),
          (claimError) => {
            req.destroy();
            reject(claimError);
          },
        );
      });
    });
  }

  async close() {
    this.agent.destroy();
  }
}

/** The SMS adapter named by SMS_PROVIDER; add a case here for another provider. */
export function createSmsTransport(env: Env): Transport | null {
  if (!env.SMS_PROVIDER_URL) return null;
  switch (env.SMS_PROVIDER) {
    case 'webhook':
      return new WebhookSmsTransport(env.SMS_PROVIDER_URL, env.SMS_PROVIDER_SECRET ?? '');
  }
}

export function createEmailTransport(env: Env): Transport | null {
  if (!env.SMTP_URL) return null;
  return new SmtpTransport(env.SMTP_URL, env.MAIL_FROM);
}

export interface Transports {
  email: Transport | null;
  sms: Transport | null;
}

export function createTransports(env: Env): Transports {
  return { email: createEmailTransport(env), sms: createSmsTransport(env) };
}

export async function closeTransports(t: Transports) {
  await Promise.all([t.email?.close(), t.sms?.close()]);
}
