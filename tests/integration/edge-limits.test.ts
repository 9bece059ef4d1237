// The edge of the API over a real socket: request bodies over their family's limit are answered 413 before
// they are read (declared or streamed), CSV uploads are capped and need free disk, and the client address of
// the rate limits comes from X-Forwarded-For only through the proxies TRUST_PROXY names.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { parseTrustProxy, resolveClientAddress } from '../../api/src/lib/client-address.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp } from '../support/test-db.ts';

const importDir = mkdtempSync(path.join(tmpdir(), 'rs-edge-'));
const UPLOAD_LIMIT = 64 * 1024;
let t: Awaited<ReturnType<typeof createTestApp>>;
const servers: Server[] = [];

/** Serves an app on 127.0.0.1 as `npm start` does (node:http + @hono/node-server); its base URL. */
async function serve(app: ReturnType<typeof buildApp>): Promise<string> {
  const server = createServer(getRequestListener(app.fetch));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
let trustingBase: string;

beforeAll(async () => {
  t = await createTestApp({ env: { IMPORT_DIR: importDir, UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT), RESPOND_RATE_PER_IP: '12' } });
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(t.db, survey.id);
  base = await serve(t.app);
  // The same database behind a reverse proxy on loopback.
  trustingBase = await serve(buildApp({ ...t.deps, env: { ...t.deps.env, TRUST_PROXY: parseTrustProxy('loopback') } }));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(importDir, { recursive: true, force: true });
});

interface Sent {
  status: number;
  contentType: string;
  body: string;
  /** Body bytes written before the answer came. */
  bytesSent: number;
}

/**
 * Sends a request whose body is written chunk by chunk until the server answers (or `total` is reached),
 * so a server that reads everything first is caught: it would not answer before the end.
 */
function send(url: string, opts: { method: string; headers: Record<string, string | number>; chunk: Buffer; total: number; session?: string }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = httpRequest(url, { method: opts.method, headers: opts.headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString(), bytesSent }),
      );
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && bytesSent < opts.total) {
        bytesSent += opts.chunk.length;
        if (!req.write(opts.chunk)) return void req.once('drain', () => setTimeout(pump, 1));
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const MiB = 1024 * 1024;

describe('request body limits', () => {
  it('answers a 100 MiB sign-in body 413 from its Content-Length, before reading it', async () => {
    // Only 64 KiB of the declared 100 MiB are ever sent: the answer must come without the rest.
    const res = await send(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 100 * MiB },
      chunk: Buffer.alloc(64 * 1024, 0x20),
      total: 64 * 1024,
    });
    expect(res.status).toBe(413);
    expect(res.contentType).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, title: 'Payload Too Large', limitBytes: MiB });
  });

  it('stops a chunked answer to any survey link at 256 KiB, before the token is even looked up', async () => {
    const res = await send(`${base}/api/respond/AAAAAAAAAAAAAAAAAAAAAA`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunk: Buffer.alloc(64 * 1024, 0x20),
      total: 50 * MiB,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).limitBytes).toBe(256 * 1024);
    // The server answered long before 50 MiB were sent.
    expect(res.bytesSent).toBeLessThan(8 * MiB);
  });

  it('passes a chunked JSON body within the limit to the route', async () => {
    const body = Buffer.from(JSON.stringify({ email: 'nobody@staff.test', password: 'not the password' }));
    const res = await send(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunk: body,
      total: body.length,
    });
    expect(res.status).toBe(401);
  });

  it('caps CSV uploads at UPLOAD_LIMIT_BYTES, declared or streamed, and leaves nothing on disk', async () => {
    const admin = t.admin!.headers;
    const declared = await send(`${base}/api/imports`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv', 'content-length': 10 * MiB },
      chunk: Buffer.from('a,b\n'),
      total: 4,
    });
    expect(declared.status).toBe(413);
    const streamed = await send(`${base}/api/imports`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      chunk: Buffer.from('external_id,customer_id\n'.repeat(1000)),
      total: 20 * MiB,
    });
    expect(streamed.status).toBe(413);
    expect(streamed.bytesSent).toBeLessThan(8 * MiB);
    expect(readdirSync(importDir).filter((f) => f.endsWith('.csv'))).toEqual([]);
    const responses = await send(`${base}/api/responses/import?survey=${(await t.sql`select id from surveys limit 1`)[0].id}`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      chunk: Buffer.from('rental,finished_at,q_nps\n' + 'R1,2026-05-01 10:00,9\n'.repeat(1000)),
      total: 20 * MiB,
    });
    expect(responses.status).toBe(413);
    // Within the limit an upload goes through.
    const small = await t.request('/api/imports', { method: 'POST', body: 'external_id,customer_id\nR1,C1\n', headers: { 'content-type': 'text/csv' } });
    expect(small.status).toBe(201);
  });

  it('refuses an upload with 507 when the disk would keep less than UPLOAD_MIN_FREE_BYTES free', async () => {
    const full = buildApp({ ...t.deps, env: { ...t.deps.env, UPLOAD_MIN_FREE_BYTES: Number.MAX_SAFE_INTEGER } });
    const res = await full.request('/api/imports', {
      method: 'POST',
      body: 'external_id,customer_id\nR1,C1\n',
      headers: { ...t.admin!.headers, 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(507);
    expect((await res.json()).title).toBe('Insufficient Storage');
  });
});

describe('client address through trusted proxies (TRUST_PROXY)', () => {
  it('believes X-Forwarded-For only as far as the trusted proxies go', () => {
    const loopback = parseTrustProxy('loopback');
    // Not from a trusted proxy: the socket's peer, whatever the header says.
    expect(resolveClientAddress('198.51.100.7', '203.0.113.1', loopback)).toBe('198.51.100.7');
    expect(resolveClientAddress('198.51.100.7', '203.0.113.1', null)).toBe('198.51.100.7');
    // From the proxy: the address the proxy appended, not what the client wrote to the left of it.
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 203.0.113.1', loopback)).toBe('203.0.113.1');
    expect(resolveClientAddress('::ffff:127.0.0.1', '203.0.113.1', loopback)).toBe('203.0.113.1');
    // Two proxies, both trusted by range; the client's own entry is the first untrusted one from the right.
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 203.0.113.1, 10.0.0.1', parseTrustProxy('10.0.0.0/8'))).toBe('203.0.113.1');
    // A hop count takes that many entries from the right, and stops at anything that is not an address.
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 203.0.113.1, 10.0.0.1', parseTrustProxy('2'))).toBe('203.0.113.1');
    expect(resolveClientAddress('10.0.0.2', 'evil, 203.0.113.1', parseTrustProxy('5'))).toBe('203.0.113.1');
    expect(resolveClientAddress('127.0.0.1', '2001:db8::1', loopback)).toBe('2001:db8::1');
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example', '21']) expect(() => parseTrustProxy(bad), bad).toThrow();
    expect(parseTrustProxy('')).toBeNull();
  });

  const guess = (url: string, client: string) =>
    fetch(`${url}/api/respond/${'B'.repeat(22)}`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);

  it('behind a trusted proxy, each client has its own budget and spoofed entries change nothing', async () => {
    t.clock.advance(120_000);
    const clients = Array.from({ length: 14 }, (_, i) => `203.0.113.${i + 1}`);
    const statuses = [];
    for (const client of clients) statuses.push(await guess(trustingBase, client));
    expect(statuses).toEqual(Array(14).fill(404));
    // One client over its budget of 12 unknown links is stopped, even when it writes other addresses first.
    for (let i = 0; i < 12; i++) expect(await guess(trustingBase, '198.51.100.1')).toBe(404);
    expect(await guess(trustingBase, `10.9.9.9, 198.51.100.1`)).toBe(429);
    expect(await guess(trustingBase, '198.51.100.2')).toBe(404);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: one socket address, one budget', async () => {
    t.clock.advance(120_000);
    const statuses = [];
    for (let i = 0; i < 13; i++) statuses.push(await guess(base, `203.0.113.${i + 100}`));
    expect(statuses).toEqual([...Array(12).fill(404), 429]);
  });
});
