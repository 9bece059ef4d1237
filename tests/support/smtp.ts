// A real SMTP server (npm smtp-server) on loopback that keeps what it receives, with a small MIME reader.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  receivedAt: number;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Recipients refused at RCPT TO with 550 (a hard bounce). */
  refuse: Set<string>;
  /** When set, replies to the end of a message wait until released (the client waits for "250"). */
  hold(): void;
  release(): void;
  /**
   * A provider outage: while on, open connections are dropped and every new one is answered "421 service
   * not available" and closed.
   */
  setRefusing(on: boolean): void;
  /** Connections refused so far. */
  refusedConnections: number;
  /** Called when a complete message arrived (before the reply is sent). */
  onMessage: ((mail: ReceivedMail) => void) | null;
  /** Waits until at least n messages arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _charset: string, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    return Buffer.from(
      data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  });
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** text and html of a message (single part or multipart, nested). */
function parts(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    let text = '';
    let html = '';
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const p = parts(chunk.replace(/^\r?\n/, ''));
      text ||= p.text;
      html ||= p.html;
    }
    return { headers, text, html };
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding'));
  return type.toLowerCase().startsWith('text/html') ? { headers, text: '', html: decoded } : { headers, text: decoded, html: '' };
}

export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const { headers, text, html } = parts(raw);
  return {
    from: envelope.from,
    to: envelope.to,
    raw,
    headers,
    subject: headers.get('subject') ?? '',
    messageId: headers.get('message-id') ?? '',
    text,
    html,
    receivedAt: Date.now(),
  };
}

/** `port`: listen on this loopback port (e.g. one a test first left closed, so the server is "down" until now). */
export async function startSmtpServer(options: { port?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const refuse = new Set<string>();
  let held = false;
  let refusing = false;
  let waiting: (() => void)[] = [];
  const watchers: { n: number; resolve: () => void }[] = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 200,
    onConnect(_session, callback) {
      if (refusing) {
        api.refusedConnections++;
        const error = new Error('4.3.2 Service not available, try again later') as Error & { responseCode: number };
        error.responseCode = 421;
        return callback(error);
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const error = new Error('5.1.1 No such user here') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => {});
      // Only a message that ended with <CRLF>.<CRLF> is kept: a client that went away mid-message sent nothing.
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        messages.push(mail);
        api.onMessage?.(mail);
        for (const w of watchers.splice(0)) {
          if (messages.length >= w.n) w.resolve();
          else watchers.push(w);
        }
        const reply = () => callback(null, `OK queued as ${messages.length}`);
        if (held) waiting.push(reply);
        else reply();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const api: TestSmtpServer = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refuse,
    setRefusing(on) {
      refusing = on;
      if (on) for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections) connection.close();
    },
    refusedConnections: 0,
    onMessage: null,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      const replies = waiting;
      waiting = [];
      for (const r of replies) r();
    },
    waitFor(n, timeoutMs = 20_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} messages arrived`)), timeoutMs);
        watchers.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        api.release();
        server.close(() => resolve());
      }),
  };
  return api;
}
