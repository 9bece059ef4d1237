/**
 * Response compression for the one-process server (api/src/main.ts): the API's JSON and the web app's
 * HTML, JS and CSS leave compressed (brotli, else gzip) when the client accepts it. Bodies are compressed
 * as they are written, so streamed responses (CSV exports) stay streamed; tiny, partial and already
 * encoded bodies, and types that do not shrink (images, archives), pass as they are. Immutable assets
 * (/_app/immutable/…, their names change with their content) are compressed once at the highest brotli
 * level and served from memory afterwards.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Encoding = 'br' | 'gzip';

/** Below this many bytes (when the length is known) compressing saves less than it costs. */
export const MIN_COMPRESS_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|x-javascript|manifest\+json|[\w.-]+\+(json|xml))|image\/svg\+xml)/i;
const IMMUTABLE_PREFIX = '/_app/immutable/';
/** Compressed immutable assets kept in memory, at most this many bytes in all. */
const IMMUTABLE_CACHE_BYTES = 32 * 1024 * 1024;

/** The encoding to use for an Accept-Encoding header: brotli first, gzip next, none when both are refused. */
export function pickEncoding(acceptEncoding: string | string[] | undefined): Encoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? (weights.has('*') ? weights.get('*')! : 0);
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

interface CachedAsset {
  headers: Record<string, string>;
  body: Buffer;
}
const immutableCache = new Map<string, CachedAsset>();
let immutableCacheBytes = 0;

function compressor(encoding: Encoding, best: boolean): zlib.BrotliCompress | zlib.Gzip {
  if (encoding === 'gzip') return zlib.createGzip({ level: best ? 9 : 6 });
  return zlib.createBrotliCompress({
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: best ? 11 : 5, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
  });
}

/** Sets the headers passed to writeHead (object or flat array) on the response, so they can be inspected. */
function applyHeaders(res: ServerResponse, headers: unknown) {
  if (!headers) return;
  if (Array.isArray(headers)) {
    // [name, value, name, value, …] or [[name, value], …]
    if (Array.isArray(headers[0])) for (const [name, value] of headers as [string, string][]) res.appendHeader(name, value);
    else for (let i = 0; i + 1 < headers.length; i += 2) res.appendHeader(String(headers[i]), headers[i + 1] as string);
    return;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | number | undefined>)) {
    if (value !== undefined) res.setHeader(name, value as string);
  }
}

function worthCompressing(req: IncomingMessage, res: ServerResponse): boolean {
  const status = res.statusCode;
  if (req.method === 'HEAD' || status < 200 || status === 204 || status === 206 || status === 304) return false;
  if (res.hasHeader('content-encoding') || res.hasHeader('content-range')) return false;
  if (!COMPRESSIBLE.test(String(res.getHeader('content-type') ?? ''))) return false;
  const length = res.getHeader('content-length');
  return length === undefined || Number(length) >= MIN_COMPRESS_BYTES;
}

/** Wraps a request listener so that its responses leave compressed where that helps. */
export function compressing(listener: Listener): Listener {
  return (req, res) => {
    const encoding = pickEncoding(req.headers['accept-encoding']);
    const path = (req.url ?? '/').split('?')[0];
    const immutable = path.startsWith(IMMUTABLE_PREFIX) && req.method === 'GET';
    if (encoding && immutable) {
      const cached = immutableCache.get(`${encoding} ${path}`);
      if (cached) {
        res.writeHead(200, { ...cached.headers, 'content-length': String(cached.body.length) });
        res.end(cached.body);
        return;
      }
    }
    if (encoding) wrap(req, res, encoding, immutable ? path : null);
    listener(req, res);
  };
}

function wrap(req: IncomingMessage, res: ServerResponse, encoding: Encoding, immutablePath: string | null) {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  let stream: zlib.BrotliCompress | zlib.Gzip | null = null;
  let decided = false;
  let streamed = false;
  const captured: Buffer[] = [];

  const decide = () => {
    if (decided) return;
    decided = true;
    // Whatever is decided, the body depends on Accept-Encoding: caches must keep the variants apart.
    const vary = String(res.getHeader('vary') ?? '');
    if (!/\baccept-encoding\b|\*/i.test(vary)) res.setHeader('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (!worthCompressing(req, res)) return;
    // A body of unknown length is streamed (CSV exports): each write leaves at once, flushed.
    streamed = !res.hasHeader('content-length');
    res.setHeader('content-encoding', encoding);
    res.removeHeader('content-length');
    const cacheable = immutablePath !== null && res.statusCode === 200;
    stream = compressor(encoding, cacheable);
    stream.on('data', (chunk: Buffer) => {
      if (cacheable) captured.push(chunk);
      if (!write(chunk)) stream!.pause();
    });
    res.on('drain', () => stream!.resume());
    stream.on('end', () => {
      if (cacheable) remember(`${encoding} ${immutablePath}`, res, Buffer.concat(captured));
      end();
    });
    // The writer may wait for 'drain' when a write returned false: the compressor's drain is the one that counts.
    stream.on('drain', () => res.emit('drain'));
    stream.on('error', () => res.destroy());
  };

  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.statusCode = status;
    const headers = rest.length > 0 && typeof rest[rest.length - 1] === 'object' ? rest.pop() : undefined;
    if (typeof rest[0] === 'string') res.statusMessage = rest[0];
    applyHeaders(res, headers);
    decide();
    return writeHead(status);
  }) as typeof res.writeHead;

  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    decide();
    if (!stream) return write(chunk, ...rest);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    const encodingArg = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
    const compressing = stream;
    return compressing.write(typeof chunk === 'string' ? Buffer.from(chunk, encodingArg) : (chunk as Buffer), () => {
      if (streamed) compressing.flush();
      callback?.();
    });
  }) as typeof res.write;

  res.end = ((...args: unknown[]) => {
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
    const [chunk, encodingArg] = args as [unknown, BufferEncoding | undefined];
    if (!decided && !res.headersSent && chunk !== undefined && chunk !== null && !res.hasHeader('content-length')) {
      // The whole body is known: a tiny one is sent as it is.
      res.setHeader('content-length', String(typeof chunk === 'string' ? Buffer.byteLength(chunk, encodingArg) : (chunk as Buffer).length));
    }
    decide();
    if (!stream) return end(...args, ...(callback ? [callback] : []));
    if (callback) res.once('finish', callback);
    if (chunk !== undefined && chunk !== null) stream.end(typeof chunk === 'string' ? Buffer.from(chunk, encodingArg) : (chunk as Buffer));
    else stream.end();
    return res;
  }) as typeof res.end;

  res.on('close', () => {
    if (stream && !res.writableFinished) stream.destroy();
  });
}

function remember(key: string, res: ServerResponse, body: Buffer) {
  if (immutableCacheBytes + body.length > IMMUTABLE_CACHE_BYTES) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined && name !== 'content-length' && name !== 'date' && name !== 'connection') headers[name] = String(value);
  }
  immutableCache.set(key, { headers, body });
  immutableCacheBytes += body.length;
}
