// Compressed responses from the one-process server's listener (api/src/lib/compress.ts, used by
// api/src/main.ts): brotli or gzip as the client accepts, the same body once decoded, tiny bodies as they
// are, and the CSV export still streamed batch by batch (its first rows arrive while the cursor is open).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressing, pickEncoding } from '../../api/src/lib/compress.ts';
import { EXPORT_BATCH_SIZE } from '../../api/src/responses/explorer.queries.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import type { SurveyDefinitionInput } from '@rs/survey-definition';
import { createTestApp } from '../support/test-db.ts';

const definition: SurveyDefinitionInput = {
  defaultLocale: 'zh-CN',
  locales: ['zh-CN', 'en'],
  title: { 'zh-CN': '压缩', en: 'Compression' },
  pages: [
    {
      id: 'p1',
      questions: [
        { id: 'q_nps', type: 'nps', text: { 'zh-CN': '推荐?', en: 'Recommend?' } },
        { id: 'q_comment', type: 'text', text: { 'zh-CN': '意见', en: 'Comment' } },
      ],
    },
  ],
};

let t: Awaited<ReturnType<typeof createTestApp>>;
let server: http.Server;
let port: number;
let surveyId: string;
const total = 3 * EXPORT_BATCH_SIZE + 17;

beforeAll(async () => {
  t = await createTestApp();
  server = http.createServer(compressing(getRequestListener(t.app.fetch)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const survey = await createSurvey(t.db, { name: 'Export', kind: 'custom', definition });
  const version = await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  await t.sql`
    insert into responses (survey_id, survey_version_id, locale, status, started_at, finished_at)
    select ${survey.id}, ${version.id}, 'zh-CN', 'finished', timestamptz '2026-05-01 00:00:00+00' + g * interval '1 minute',
           timestamptz '2026-05-01 00:05:00+00' + g * interval '1 minute'
    from generate_series(1, ${total}) g`;
  await t.sql`
    insert into answers (response_id, question_id, value_text)
    select id, 'q_comment', '取车很快 ' || md5(id::text) from responses where survey_id = ${survey.id}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { ...t.admin!.headers, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const decode = (raw: Raw) =>
  raw.headers['content-encoding'] === 'br'
    ? zlib.brotliDecompressSync(raw.body)
    : raw.headers['content-encoding'] === 'gzip'
      ? zlib.gunzipSync(raw.body)
      : raw.body;

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0 and *', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
    expect(pickEncoding('deflate')).toBeNull();
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('*;q=0.5')).toBe('br');
    expect(pickEncoding('*, br;q=0, gzip;q=0')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });
});

describe('compressed API responses', () => {
  it('sends JSON compressed as accepted, the same JSON once decoded', async () => {
    const path = '/api/openapi.json';
    const plain = await get(path, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(10_000);
    for (const encoding of ['br', 'gzip']) {
      const raw = await get(path, { 'accept-encoding': encoding === 'br' ? 'gzip, deflate, br' : 'gzip' });
      expect(raw.status).toBe(200);
      expect(raw.headers['content-encoding']).toBe(encoding);
      expect(raw.headers.vary).toMatch(/accept-encoding/i);
      expect(raw.headers['content-length']).toBeUndefined();
      expect(raw.body.length).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decode(raw).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    }
  });

  it('leaves tiny bodies as they are', async () => {
    const raw = await get('/api/health', { 'accept-encoding': 'br, gzip' });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(raw.body.toString('utf8'))).toEqual({ status: 'ok', database: 'up' });
  });

  it('compresses problem+json errors too, and they decode to the same problem', async () => {
    const plain = await get('/api/responses/export.csv?survey=not-a-uuid', { 'accept-encoding': 'identity' });
    const raw = await get('/api/responses/export.csv?survey=not-a-uuid', { 'accept-encoding': 'gzip' });
    expect(raw.status).toBe(plain.status);
    expect(JSON.parse(decode(raw).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  for (const encoding of ['gzip', 'br']) {
    it(`sends the CSV export ${encoding}-compressed, the same CSV once decoded`, async () => {
      const path = `/api/responses/export.csv?survey=${surveyId}`;
      const plain = await get(path, { 'accept-encoding': 'identity' });
      const raw = await get(path, { 'accept-encoding': encoding });
      expect(raw.status).toBe(200);
      expect(raw.headers['content-encoding']).toBe(encoding);
      const text = decode(raw).toString('utf8');
      expect(text).toBe(plain.body.toString('utf8'));
      const lines = text.split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(1 + total);
      expect(lines.slice(1).every((l) => l.includes('取车很快'))).toBe(true);
    });

    it(`streams a body of unknown length (${encoding}): each write reaches the client before the next is made`, async () => {
      // The listener writes the next part only once the client has decoded the previous one: a compressor
      // that held the body back until its end would never let this finish.
      const parts = Array.from({ length: 5 }, (_, i) => `part ${i} ${'x'.repeat(3000)}\n`);
      const received: string[] = [];
      let clientGot: () => void = () => {};
      const streaming = http.createServer(
        compressing(async (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
          for (const part of parts) {
            const got = new Promise<void>((resolve) => {
              clientGot = resolve;
            });
            res.write(part);
            await got;
          }
          res.end();
        }),
      );
      await new Promise<void>((resolve) => streaming.listen(0, '127.0.0.1', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: (streaming.address() as AddressInfo).port, path: '/', headers: { 'accept-encoding': encoding } }, (res) => {
              expect(res.headers['content-encoding']).toBe(encoding);
              const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createGunzip();
              let text = '';
              decoder.on('data', (c: Buffer) => {
                text += c.toString('utf8');
                while (received.length < parts.length && text.startsWith(parts.slice(0, received.length + 1).join(''))) {
                  received.push(parts[received.length]);
                  clientGot();
                }
              });
              decoder.on('end', () => resolve());
              decoder.on('error', reject);
              res.pipe(decoder);
            })
            .on('error', reject);
        });
      } finally {
        streaming.close();
      }
      expect(received).toEqual(parts);
    }, 10_000);
  }
});
