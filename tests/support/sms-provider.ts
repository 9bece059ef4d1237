// A local HTTP server acting as the SMS provider of the generic JSON webhook: checks the signature, keeps
// the messages, answers like a provider would (accepted, bad number, busy).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  to: string;
  text: string;
  reference: string;
  idempotencyKey: string;
  signatureValid: boolean;
}

export interface TestSmsProvider {
  url: string;
  secret: string;
  messages: ReceivedSms[];
  /** Numbers answered with 422 {"error":"invalid_number"}. */
  invalid: Set<string>;
  /** The next n requests are answered 503 (the provider is busy). */
  failNext(n: number): void;
  requests: number;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedSms[]>;
  close(): Promise<void>;
}

export async function startSmsProvider(secret = 'sms-test-secret'): Promise<TestSmsProvider> {
  const messages: ReceivedSms[] = [];
  const invalid = new Set<string>();
  const seen = new Map<string, string>();
  let failing = 0;
  const watchers: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      api.requests++;
      const body = Buffer.concat(chunks);
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (failing > 0) {
        failing--;
        return answer(503, { error: 'busy' });
      }
      const header = String(req.headers['x-signature'] ?? '');
      const t = /t=(\d+)/.exec(header)?.[1] ?? '';
      const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1] ?? '';
      const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
      const signatureValid = v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
      if (!signatureValid) return answer(401, { error: 'bad_signature' });
      const payload = JSON.parse(body.toString('utf8')) as { to: string; text: string; reference: string };
      if (invalid.has(payload.to)) return answer(422, { error: 'invalid_number' });
      const key = String(req.headers['idempotency-key'] ?? '');
      // A provider honouring Idempotency-Key: the same key is the same message.
      const previous = seen.get(key);
      if (previous) return answer(200, { id: previous, duplicate: true });
      const id = `sms-${messages.length + 1}`;
      seen.set(key, id);
      messages.push({ ...payload, idempotencyKey: key, signatureValid });
      for (const w of watchers.splice(0)) {
        if (messages.length >= w.n) w.resolve();
        else watchers.push(w);
      }
      answer(200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const api: TestSmsProvider = {
    url: `http://127.0.0.1:${port}/sms`,
    secret,
    messages,
    invalid,
    requests: 0,
    failNext: (n) => {
      failing = n;
    },
    waitFor(n, timeoutMs = 20_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} SMS arrived`)), timeoutMs);
        watchers.push({ n, resolve: () => (clearTimeout(timer), resolve(messages)) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
