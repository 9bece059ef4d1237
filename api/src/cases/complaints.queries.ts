// Complaints from every channel: the customer and rental lookup, opening the case (the same owner, time
// limits, escalation and follow-up as a survey-raised case), attachments, and the per-priority settings.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { branchScopeWhere, mayAccessBranch } from '../access/scope.ts';
import { emitCaseEvent } from '../access/webhooks.delivery.ts';
import type { Database } from '../db/client.ts';
import { branches, caseAttachments, caseEvents, casePrioritySettings, cases, customers, rentals } from '../db/schema.ts';
import { notFound, ProblemError, unprocessable } from '../lib/problem.ts';
import type { AppDeps } from '../lib/types.ts';
import { caseOwnerColumns, resolveOwner } from './assignment.ts';
import { slaTimes } from './business-hours.ts';
import type { Actor } from './cases.queries.ts';
import type { ComplaintInput, ComplaintLookupInput, PrioritySettingsInput } from './complaints.schemas.ts';
import { queueCaseEmail } from './notifications.ts';
import { PRIORITIES } from './rules.ts';

/** What a case's page lists of an attachment (never its content). */
export const ATTACHMENT_SUMMARY = {
  id: caseAttachments.id,
  fileName: caseAttachments.fileName,
  contentType: caseAttachments.contentType,
  sizeBytes: caseAttachments.sizeBytes,
  uploadedBy: caseAttachments.uploadedBy,
  createdAt: caseAttachments.createdAt,
};

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Fallback when a priority has no settings row (the migration writes all four). */
const DEFAULT_SETTINGS = { goldenFirstContactMinutes: 120, firstResponseHours: 24, resolutionHours: 72 };

/** The national number of a phone: its digits, the last 11 at most (a +86 prefix or not, any spacing). */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, '').slice(-11);
}

/**
 * Customers matching any of the given phone, email or rental number, with their newest rentals at branches
 * the caller may see. A scoped caller finds only customers who rented at one of their branches.
 */
export async function lookupCustomers(db: Database, actor: Actor, input: ComplaintLookupInput) {
  const conditions = [];
  if (input.email) conditions.push(eq(sql`lower(${customers.email})`, input.email.toLowerCase()));
  if (input.phone) {
    const key = phoneKey(input.phone);
    if (key.length >= 4) conditions.push(sql`right(regexp_replace(${customers.phone}, '\\D', '', 'g'), 11) = ${key}`);
  }
  if (input.rentalNumber) {
    conditions.push(sql`exists (select 1 from rentals r where r.customer_id = ${customers.id} and r.external_id = ${input.rentalNumber})`);
  }
  if (conditions.length === 0) return { customers: [] };
  const found = await db
    .select({ id: customers.id, name: customers.name, email: customers.email, phone: customers.phone })
    .from(customers)
    .where(and(or(...conditions), sql`${customers.erasedAt} is null`))
    .orderBy(asc(customers.name))
    .limit(20);
  const out = [];
  for (const customer of found) {
    const rows = await db
      .select({
        id: rentals.id,
        externalId: rentals.externalId,
        vehicleClass: rentals.vehicleClass,
        pickedUpAt: rentals.pickedUpAt,
        returnedAt: rentals.returnedAt,
        branchId: branches.id,
        code: branches.code,
        name: branches.name,
        nameEn: branches.nameEn,
      })
      .from(rentals)
      .innerJoin(branches, eq(branches.id, rentals.pickupBranchId))
      .where(and(eq(rentals.customerId, customer.id), branchScopeWhere(actor.branchScope, rentals.pickupBranchId)))
      // The rental named by number first, then the newest.
      .orderBy(sql`${rentals.externalId} = ${input.rentalNumber ?? ''} desc`, desc(rentals.returnedAt))
      .limit(10);
    if (actor.branchScope !== null && rows.length === 0) continue;
    out.push({
      ...customer,
      rentals: rows.map((r) => ({
        id: r.id,
        externalId: r.externalId,
        vehicleClass: r.vehicleClass,
        pickedUpAt: r.pickedUpAt.toISOString(),
        returnedAt: r.returnedAt.toISOString(),
        branch: { id: r.branchId, code: r.code, name: r.name, nameEn: r.nameEn },
      })),
    });
  }
  return { customers: out };
}

export async function listPrioritySettings(db: Database | Tx) {
  const rows = await db
    .select({
      priority: casePrioritySettings.priority,
      goldenFirstContactMinutes: casePrioritySettings.goldenFirstContactMinutes,
      firstResponseHours: casePrioritySettings.firstResponseHours,
      resolutionHours: casePrioritySettings.resolutionHours,
    })
    .from(casePrioritySettings);
  return PRIORITIES.map((priority) => rows.find((r) => r.priority === priority) ?? { priority, ...DEFAULT_SETTINGS });
}

export async function savePrioritySettings(db: Database, input: PrioritySettingsInput, at: Date) {
  await db.transaction(async (tx) => {
    for (const row of input) {
      await tx
        .insert(casePrioritySettings)
        .values({ ...row, updatedAt: at })
        .onConflictDoUpdate({
          target: casePrioritySettings.priority,
          set: {
            goldenFirstContactMinutes: row.goldenFirstContactMinutes,
            firstResponseHours: row.firstResponseHours,
            resolutionHours: row.resolutionHours,
            updatedAt: at,
          },
        });
    }
  });
  return listPrioritySettings(db);
}

type CaseInsert = typeof cases.$inferInsert;

/**
 * Writes the case of a complaint: owned by the branch's manager (as a survey-raised case would be), with the
 * complaint time limits of its priority counted from createdAt. `state` sets where the case stands already
 * (the demo data's contacted and resolved complaints); without it the case is open. Returns the row and
 * the owner taken (null when the branch has none).
 */
export async function insertComplaintCase(
  tx: Tx,
  settings: { firstResponseHours: number; resolutionHours: number },
  complaint: Pick<CaseInsert, 'idempotencyKey' | 'channel' | 'description' | 'customerId' | 'rentalId' | 'priority' | 'rootCause' | 'followUpWanted'> & {
    branch: { id: string; region: string; timeZone: string };
    openedByUserId?: string | null;
    createdAt: Date;
  },
  state: Pick<CaseInsert, 'status' | 'firstRespondedAt' | 'resolvedAt' | 'resolution' | 'compensationType' | 'updatedAt'> = {},
) {
  const { branch, createdAt, ...rest } = complaint;
  const owner = await resolveOwner(tx, { assignTo: 'branch_manager', teamId: null }, branch);
  const due = slaTimes(createdAt, settings, null, branch.timeZone);
  const [created] = await tx
    .insert(cases)
    .values({
      ...rest,
      branchId: branch.id,
      status: 'open',
      trigger: [],
      ...caseOwnerColumns(owner),
      businessHours: null,
      timeZone: branch.timeZone,
      ...due,
      createdAt,
      updatedAt: createdAt,
      ...state,
    })
    .returning();
  return { created, owner };
}

/**
 * Opens the case of a complaint: checks the customer, rental and branch against each other and the caller's
 * branches, takes the owner and time limits the way a survey-raised case does (the branch's manager;
 * the complaint time limits of the priority), logs it and tells the owner. Returns the case id and the
 * notification to deliver; the same key again returns the first case.
 */
export async function openComplaint(
  deps: AppDeps,
  actor: Actor,
  input: ComplaintInput,
): Promise<{ caseId: string; notification: string | null; created: boolean }> {
  const at = deps.now();
  const idempotencyKey = `complaint:${input.key}`;
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: cases.id, branchId: cases.branchId }).from(cases).where(eq(cases.idempotencyKey, idempotencyKey));
    if (existing) {
      if (!mayAccessBranch(actor.branchScope, existing.branchId)) throw notFound('No such case');
      return { caseId: existing.id, notification: null, created: false };
    }
    const errors: { path: string; message: string }[] = [];
    let branchId = input.branchId;
    if (input.customerId) {
      const [customer] = await tx.select({ id: customers.id, erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, input.customerId));
      if (!customer || customer.erasedAt) errors.push({ path: 'customerId', message: 'no such customer' });
    }
    if (input.rentalId) {
      const [rental] = await tx
        .select({ customerId: rentals.customerId, pickupBranchId: rentals.pickupBranchId, returnBranchId: rentals.returnBranchId })
        .from(rentals)
        .where(eq(rentals.id, input.rentalId));
      if (!rental || !mayAccessBranch(actor.branchScope, rental.pickupBranchId)) errors.push({ path: 'rentalId', message: 'no such rental' });
      else if (input.customerId && rental.customerId !== input.customerId) errors.push({ path: 'rentalId', message: 'not this customer’s rental' });
      else if (!input.customerId) errors.push({ path: 'customerId', message: 'give the rental’s customer too' });
      else if (branchId && branchId !== rental.pickupBranchId && branchId !== rental.returnBranchId)
        errors.push({ path: 'branchId', message: 'the rental was neither picked up nor returned there' });
      else branchId ??= rental.pickupBranchId;
    }
    // A refused rental says why itself; the branch it would have given is not asked for on top.
    if (!branchId && errors.length === 0) errors.push({ path: 'branchId', message: 'choose the branch (or the rental)' });
    let branch: { id: string; region: string; timeZone: string } | undefined;
    if (branchId) {
      [branch] = await tx.select({ id: branches.id, region: branches.region, timeZone: branches.timeZone }).from(branches).where(eq(branches.id, branchId));
      if (!branch || !mayAccessBranch(actor.branchScope, branchId)) errors.push({ path: 'branchId', message: 'no such branch among yours' });
    }
    if (errors.length > 0 || !branch) throw unprocessable('The complaint cannot be opened', errors);

    const [settings] = (await listPrioritySettings(tx)).filter((s) => s.priority === input.priority);
    const { created, owner } = await insertComplaintCase(tx, settings, {
      idempotencyKey,
      channel: input.channel,
      description: input.description,
      openedByUserId: actor.userId,
      branch,
      customerId: input.customerId,
      rentalId: input.rentalId,
      priority: input.priority,
      rootCause: input.rootCause,
      followUpWanted: input.followUpSurvey,
      createdAt: at,
    });
    await tx.insert(caseEvents).values({
      caseId: created.id,
      at,
      kind: 'created',
      actor: actor.label,
      data: { channel: input.channel, rootCause: input.rootCause, owner: owner ? { name: owner.name, email: owner.email, level: owner.level } : null },
    });
    await emitCaseEvent(tx, 'case.created', created.id, at);
    const notification = await queueCaseEmail(tx, created, 'created', created.ownerEmail, deps.publicUrl, at);
    return { caseId: created.id, notification, created: true };
  });
}

// ── Attachments ─────────────────────────────────────────────────────────────────────────────────

/** Largest attachment; a form post is limited to JSON_BODY_LIMIT_BYTES (1 MiB) anyway. */
export const ATTACHMENT_MAX_BYTES = 1024 * 1024;
export const ATTACHMENTS_PER_CASE = 10;

/** The types an attachment may have, recognised by the file's first bytes (the declared type must agree). */
const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', test: (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', test: (b) => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-' },
  // Plain text (an email pasted as a file): valid UTF-8 without control bytes other than tab and line ends.
  {
    type: 'text/plain',
    test: (b) => {
      const controls = b.every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
      return controls && !b.toString('utf8').includes('\uFFFD');
    },
  },
];
export const ATTACHMENT_TYPES = SIGNATURES.map((s) => s.type);

/** The checked type of a file, or the reason it is refused. */
export function checkAttachment(content: Buffer, declaredType: string): { type: string } | { error: string } {
  if (content.length === 0) return { error: 'the file is empty' };
  if (content.length > ATTACHMENT_MAX_BYTES) return { error: `larger than ${ATTACHMENT_MAX_BYTES} bytes` };
  const declared = declaredType.split(';')[0].trim().toLowerCase();
  const signature = SIGNATURES.find((s) => s.type === declared);
  if (!signature) return { error: `type ${declared || '(none)'} is not accepted; accepted: ${ATTACHMENT_TYPES.join(', ')}` };
  if (!signature.test(content)) return { error: `the content is not ${declared}` };
  return { type: declared };
}

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || 'attachment';
}

async function caseInScope(db: Database | Tx, actor: Actor, caseId: string) {
  const [row] = await db.select({ id: cases.id, branchId: cases.branchId }).from(cases).where(eq(cases.id, caseId));
  if (!row || !mayAccessBranch(actor.branchScope, row.branchId)) throw notFound('No such case');
  return row;
}

export async function addAttachment(deps: AppDeps, actor: Actor, caseId: string, file: { name: string; type: string; content: Buffer }) {
  const checked = checkAttachment(file.content, file.type);
  if ('error' in checked) {
    const status = file.content.length > ATTACHMENT_MAX_BYTES ? 413 : 422;
    throw new ProblemError(status, status === 413 ? 'Payload Too Large' : 'Unprocessable Entity', `The attachment is refused: ${checked.error}.`, [
      { path: 'file', message: checked.error },
    ]);
  }
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    await caseInScope(tx, actor, caseId);
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId)).for('update');
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(caseAttachments).where(eq(caseAttachments.caseId, caseId));
    if (n >= ATTACHMENTS_PER_CASE)
      throw unprocessable(`A case holds at most ${ATTACHMENTS_PER_CASE} attachments`, [{ path: 'file', message: 'too many attachments' }]);
    const fileName = safeFileName(file.name);
    const [row] = await tx
      .insert(caseAttachments)
      .values({
        caseId,
        fileName,
        contentType: checked.type,
        sizeBytes: file.content.length,
        sha256: createHash('sha256').update(file.content).digest('hex'),
        content: file.content,
        uploadedBy: actor.label,
        createdAt: at,
      })
      .returning(ATTACHMENT_SUMMARY);
    await tx.insert(caseEvents).values({ caseId, at, kind: 'note', actor: actor.label, body: fileName, data: { attachment: { id: row.id, fileName } } });
    await tx
      .update(cases)
      .set({ version: sql`${cases.version} + 1`, updatedAt: at })
      .where(eq(cases.id, caseId));
    return { ...row, createdAt: row.createdAt.toISOString() };
  });
}

export async function getAttachment(db: Database, actor: Actor, caseId: string, attachmentId: string) {
  await caseInScope(db, actor, caseId);
  const [row] = await db
    .select()
    .from(caseAttachments)
    .where(and(eq(caseAttachments.id, attachmentId), eq(caseAttachments.caseId, caseId)));
  if (!row) throw notFound('No such attachment');
  return row;
}

/** Attachment ids of these cases (privacy erasure, tests). */
export async function attachmentsOfCases(db: Database, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db.select({ id: caseAttachments.id, caseId: caseAttachments.caseId }).from(caseAttachments).where(inArray(caseAttachments.caseId, caseIds));
}
