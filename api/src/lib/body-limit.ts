/**
 * Request body limits per route family, answered 413 problem+json before the body is held in memory:
 * a declared Content-Length over the limit is refused before a byte is read; a chunked body is counted
 * while it streams and refused as soon as it passes the limit.
 *   - JSON API calls: JSON_BODY_LIMIT_BYTES (1 MiB)
 *   - survey-link answers (/api/respond/…, public): RESPOND_BODY_LIMIT_BYTES (256 KiB)
 *   - CSV uploads (streamed to disk or to the database): UPLOAD_LIMIT_BYTES (200 MB), and only while the
 *     disk keeps UPLOAD_MIN_FREE_BYTES free.
 */
import { mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError, problemResponse } from './problem.ts';
import type { AppBindings } from './types.ts';

/** Routes whose body is a CSV file streamed onwards, never parsed in memory (method and path under /api). */
const UPLOAD_ROUTES: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/imports\/?$/ },
  { method: 'POST', path: /^\/api\/responses\/import\/?$/ },
];

export type BodyFamily = 'json' | 'respond' | 'upload';

export function bodyFamilyOf(method: string, pathname: string): BodyFamily {
  if (UPLOAD_ROUTES.some((r) => r.method === method && r.path.test(pathname))) return 'upload';
  if (pathname.startsWith('/api/respond/')) return 'respond';
  return 'json';
}

function limitOf(c: Context<AppBindings>, family: BodyFamily): number {
  const env = c.get('deps').env;
  return family === 'upload' ? env.UPLOAD_LIMIT_BYTES : family === 'respond' ? env.RESPOND_BODY_LIMIT_BYTES : env.JSON_BODY_LIMIT_BYTES;
}

export function tooLarge(limit: number): ProblemError {
  return new ProblemError(413, 'Payload Too Large', `The request body is larger than ${formatBytes(limit)}.`, undefined, { limitBytes: limit });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The answer to a body over its limit; the connection is closed so the rest of the body is not read. */
function refuse(c: Context<AppBindings>, problem: ProblemError): Response {
  const res = problemResponse(c, problem.toProblem());
  res.headers.set('Connection', 'close');
  return res;
}

function declaredLength(c: Context<AppBindings>): number | null {
  if (c.req.header('transfer-encoding')) return null;
  const header = c.req.header('content-length');
  if (header === undefined) return null;
  const value = Number(header);
  return Number.isFinite(value) ? value : null;
}

/**
 * The body of an upload, counted while it streams: passing `limit` bytes errors the stream with 413, which
 * the handler's pipeline turns into its own failure (it removes what it wrote).
 */
function countedBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Refuses an upload when the disk holding the import folder would keep less than the required free space. */
async function assertDiskRoom(c: Context<AppBindings>, incomingBytes: number) {
  const env = c.get('deps').env;
  const dir = path.resolve(env.IMPORT_DIR);
  await mkdir(dir, { recursive: true });
  const fs = await statfs(dir);
  const free = Number(fs.bavail) * Number(fs.bsize);
  if (free - incomingBytes < env.UPLOAD_MIN_FREE_BYTES) {
    throw new ProblemError(507, 'Insufficient Storage', 'There is not enough free disk space for this upload. Ask an administrator to free some space.');
  }
}

/** One middleware for every /api route: picks the family's limit by method and path. */
export const bodyLimits: MiddlewareHandler<AppBindings> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || !c.req.raw.body) return next();
  const family = bodyFamilyOf(c.req.method, c.req.path);
  const limit = limitOf(c, family);
  const declared = declaredLength(c);
  if (declared !== null && declared > limit) return refuse(c, tooLarge(limit));
  if (family !== 'upload') {
    // Reads a chunked body into memory only up to the limit (hono/body-limit); a declared length the
    // HTTP parser enforces anyway.
    return bodyLimit({ maxSize: limit, onError: (ctx) => refuse(ctx as Context<AppBindings>, tooLarge(limit)) })(c, next);
  }
  // A chunked upload may still grow to the limit: room for all of it is asked.
  await assertDiskRoom(c, declared ?? limit);
  if (declared === null) c.req.raw = new Request(c.req.raw, { body: countedBody(c.req.raw.body, limit), duplex: 'half' } as RequestInit);
  return next();
};
