import { audit } from '../access/audit.ts';
import { contactFor } from '../access/mask.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { ProblemError } from '../lib/problem.ts';
import { actorOf, caseView } from './cases.handlers.ts';
import * as q from './complaints.queries.ts';
import type * as R from './complaints.routes.ts';
import { deliverCaseNotifications } from './notifications.ts';

export const lookupCustomer: AppRouteHandler<R.LookupCustomerRoute> = async (c) => {
  const result = await q.lookupCustomers(c.get('deps').db, actorOf(c), c.req.valid('json'));
  // The same masking rule as the case pages (access/mask.ts).
  return c.json({ customers: result.customers.map((customer) => contactFor(c, customer)) }, 200);
};

export const openComplaint: AppRouteHandler<R.OpenComplaintRoute> = async (c) => {
  const deps = c.get('deps');
  const input = c.req.valid('json');
  const opened = await q.openComplaint(deps, actorOf(c), input);
  if (!opened.created) return c.json(await caseView(c, opened.caseId), 200);
  await audit(c, 'case.complaint', { type: 'case', id: opened.caseId }, { channel: input.channel, priority: input.priority });
  // The owner hears of it now, as with a survey-raised case (a failure stays pending for the case timer).
  if (opened.notification) await deliverCaseNotifications(deps, [opened.notification]).catch(() => undefined);
  return c.json(await caseView(c, opened.caseId), 201);
};

export const getPrioritySettings: AppRouteHandler<R.GetPrioritySettingsRoute> = async (c) => {
  return c.json(await q.listPrioritySettings(c.get('deps').db), 200);
};

export const putPrioritySettings: AppRouteHandler<R.PutPrioritySettingsRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const input = c.req.valid('json');
  const saved = await q.savePrioritySettings(db, input, now());
  await audit(c, 'case.priority_settings', { type: 'case_priority_settings', id: null }, { settings: input });
  return c.json(saved, 200);
};

/** Reads the body up to one byte over the limit, so an oversized file is refused without holding it all. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks);
}

export const addAttachment: AppRouteHandler<R.AddAttachmentRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const rawName = c.req.header('x-file-name') ?? 'attachment';
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    throw new ProblemError(400, 'Bad Request', 'X-File-Name is not URI-encoded', [{ path: 'X-File-Name', message: 'not URI-encoded' }]);
  }
  const content = await readLimited(c.req.raw.body, q.ATTACHMENT_MAX_BYTES);
  const attachment = await q.addAttachment(c.get('deps'), actorOf(c), id, { name, type: c.req.header('content-type') ?? '', content });
  await audit(c, 'case.attachment', { type: 'case', id }, { attachment: attachment.id, contentType: attachment.contentType, sizeBytes: attachment.sizeBytes });
  return c.json(attachment, 201);
};

export const getAttachment: AppRouteHandler<R.GetAttachmentRoute> = async (c) => {
  const { id, attachmentId } = c.req.valid('param');
  const file = await q.getAttachment(c.get('deps').db, actorOf(c), id, attachmentId);
  const ascii = file.fileName.replace(/[^\x20-\x7E]/g, '_').replace(/[\\"]/g, '_');
  return c.body(new Uint8Array(file.content), 200, {
    'Content-Type': file.contentType,
    'Content-Length': String(file.sizeBytes),
    // Always a download: an uploaded file never runs as a page of this site.
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
};
