// Rentals in, set-based: one statement per table for a whole batch (the API's single and batch calls and
// each chunk of a CSV import share this path). A batch is one transaction: customers, rentals, the
// invitation decisions, the invitations, their deliveries and the pg-boss jobs of the deliveries due now
// commit together or not at all.
import { randomUUID } from 'node:crypto';
import {
  branchesByCode,
  flagReturningAfterInserts,
  planAsConfigured,
  prepareStaging,
  stageCustomers,
  stageRentals,
  upsertStagedCustomers,
  upsertStagedRentals,
  type StageCustomer,
  type StageRental,
} from './import.queries.ts';
import { problemMessage, type RejectionCode, type RejectionParams } from './import.reasons.ts';
import { insertJobs, type SqlClient } from '../queue/queue.ts';
import { planInvitation, tooOld, type DecisionOutcome } from './planning.ts';
import { loadRules } from './rules.queries.ts';
import { SEND_QUEUE } from './queues.ts';
import { assignValueTiers, updateReturningFlags } from './segments.queries.ts';
import {
  activePostRentalSurveys,
  branchesWithCodes,
  customerIdsByExternal,
  invitationsOfRentals,
  lockedCustomerFacts,
  rentalIdsByExternal,
  upsertCustomerRows,
  upsertInlineBranch,
  upsertRentalRows,
  writeInvitations,
  type BranchRow,
  type CustomerFacts,
} from './ingest.queries.ts';
import { byPriority, chooseSurvey, type TargetSurvey } from './targeting.ts';
import { invitationToken } from './tokens.ts';

export type { TargetSurvey } from './targeting.ts';

export interface BranchInput {
  code: string;
  name: string;
  nameEn?: string;
  city: string;
  region: string;
  timeZone?: string;
}

export interface CustomerInput {
  externalId: string;
  name?: string;
  email?: string;
  phone?: string;
  preferredLanguage?: string;
  consentEmail?: boolean;
  consentSms?: boolean;
  customerType?: 'business' | 'leisure';
  memberLevel?: string;
}

export interface RentalRow {
  externalId: string;
  customer: CustomerInput;
  pickupBranch: string | BranchInput;
  returnBranch: string | BranchInput;
  vehicleClass: string;
  pickedUpAt: Date;
  returnedAt: Date;
  amount: number;
  bookingChannel: 'app' | 'web' | 'phone' | 'store';
}

export type RowStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface RowError {
  path: string;
  message: string;
  /** Machine-readable reason with its parameters (see import.reasons.ts), when the fault has one. */
  code?: RejectionCode;
  params?: RejectionParams;
}

export interface RowResult {
  status: RowStatus;
  rentalId?: string;
  invitation?: { id: string; status: string; expiresAt: string; channel: string; token?: string } | null;
  reason?: string;
  errors?: RowError[];
}

export interface IngestContext {
  now: Date;
  tokenSecret: string;
  /**
   * Recompute the customers' rental counts and value tiers right away (off for big imports, which re-tier
   * everyone at the end). The rentals' new/returning flags are always kept right in the batch's transaction.
   */
  updateCustomerFacts?: boolean;
  /** Milliseconds spent per step of an import batch, added up (benchmarks). */
  timings?: Record<string, number>;
}

/**
 * The surveys rental invitations may go to: every active post-rental survey at its newest version with its
 * invitation rules, in priority order (targeting.ts). Each rental goes to the first whose targets match it.
 */
export async function invitationTargets(sql: SqlClient): Promise<TargetSurvey[]> {
  const rows = await activePostRentalSurveys(sql);
  const surveys: TargetSurvey[] = [];
  for (const r of rows) {
    const { rules } = await loadRules(sql, r.survey_id);
    surveys.push({ surveyId: r.survey_id, name: r.name, versionId: r.version_id, createdAt: new Date(r.created_at), rules });
  }
  return byPriority(surveys);
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const normalizePhone = (phone: string) => phone.replace(/[^\d+]/g, '');

const branchCode = (ref: string | BranchInput) => (typeof ref === 'string' ? ref : ref.code);

interface BranchInfo {
  id: string;
  code: string;
  region: string;
  timeZone: string;
}

const branchInfo = (b: BranchRow): BranchInfo => ({ id: b.id, code: b.code, region: b.region, timeZone: b.time_zone });

async function resolveBranches(sql: SqlClient, rows: RentalRow[], results: RowResult[]): Promise<Map<string, BranchInfo>> {
  const codes = new Set<string>();
  for (const r of rows) {
    codes.add(branchCode(r.pickupBranch));
    codes.add(branchCode(r.returnBranch));
  }
  const known = await branchesWithCodes(sql, [...codes]);
  const byCode = new Map(known.map((b) => [b.code, branchInfo(b)]));

  // Rows naming an unknown branch by code are rejected before anything is written for them.
  const definedInline = new Set(
    rows
      .flatMap((r) => [r.pickupBranch, r.returnBranch])
      .filter((b): b is BranchInput => typeof b === 'object')
      .map((b) => b.code),
  );
  const inline = new Map<string, BranchInput>();
  rows.forEach((r, i) => {
    const errors: RowError[] = [];
    for (const [field, ref] of [
      ['pickupBranch', r.pickupBranch],
      ['returnBranch', r.returnBranch],
    ] as const) {
      if (typeof ref === 'string' && !byCode.has(ref) && !definedInline.has(ref))
        errors.push({ path: field, message: problemMessage({ code: 'unknownBranch', params: { code: ref } }), code: 'unknownBranch', params: { code: ref } });
    }
    if (errors.length > 0) results[i] = { status: 'rejected', errors, reason: 'unknown_branch' };
  });
  rows.forEach((r, i) => {
    if (results[i]) return;
    for (const ref of [r.pickupBranch, r.returnBranch]) if (typeof ref === 'object') inline.set(ref.code, ref);
  });
  if (inline.size > 0) {
    const values = [...inline.values()].map((b) => ({
      code: b.code,
      name: b.name,
      name_en: b.nameEn ?? null,
      city: b.city,
      region: b.region,
      time_zone: b.timeZone ?? null,
    }));
    for (const b of values) {
      const row = await upsertInlineBranch(sql, b);
      if (row) byCode.set(row.code, branchInfo(row));
    }
    const missing = [...inline.keys()].filter((c) => !byCode.has(c));
    if (missing.length > 0) {
      const again = await branchesWithCodes(sql, missing);
      for (const b of again) byCode.set(b.code, branchInfo(b));
    }
  }
  return byCode;
}

/** Upserts the customers of the accepted rows (fields not given keep their stored value); id by external id. */
async function upsertCustomers(sql: SqlClient, rows: RentalRow[], accepted: number[]): Promise<Map<string, string>> {
  const merged = mergedCustomers(rows, accepted);
  const values = [...merged.values()].map((c) => ({
    external_id: c.externalId,
    name: c.name ?? null,
    email: c.email ? normalizeEmail(c.email) : null,
    phone: c.phone ?? null,
    preferred_language: c.preferredLanguage ?? null,
    consent_email: c.consentEmail ?? null,
    consent_sms: c.consentSms ?? null,
    customer_type: c.customerType ?? null,
    member_level: c.memberLevel ?? null,
  }));
  // One statement (its data-modifying parts always run): known customers get the fields given when
  // something differs, new ones are inserted; the ids come from the rows as they were before the statement
  // plus the ones it inserted.
  const rows2 = await upsertCustomerRows(sql, values);
  const ids = new Map(rows2.map((r) => [r.external_id, r.id]));
  // Inserted meanwhile by a concurrent request (its row was not visible to the statement): read it now.
  const missing = [...merged.keys()].filter((k) => !ids.has(k));
  if (missing.length > 0) {
    for (const r of await customerIdsByExternal(sql, missing)) ids.set(r.external_id, r.id);
  }
  return ids;
}

interface RentalWrite {
  index: number;
  externalId: string;
  customerId: string;
  pickupBranchId: string;
  returnBranchId: string;
}

async function upsertRentals(sql: SqlClient, rows: RentalRow[], writes: RentalWrite[]) {
  // New vs returning (segments.ts, returningCustomerCondition), as far as this batch tells: an earlier
  // pick-up of the same customer in the batch or stored. updateReturningFlags then corrects the customer's
  // other rentals when this one arrived out of order.
  const firstPickUp = new Map<string, number>();
  for (const w of writes) {
    const t = rows[w.index].pickedUpAt.getTime();
    if (t < (firstPickUp.get(w.customerId) ?? Infinity)) firstPickUp.set(w.customerId, t);
  }
  const values = writes.map((w) => {
    const r = rows[w.index];
    return {
      earlier: r.pickedUpAt.getTime() > firstPickUp.get(w.customerId)!,
      external_id: r.externalId,
      customer_id: w.customerId,
      pickup_branch_id: w.pickupBranchId,
      return_branch_id: w.returnBranchId,
      vehicle_class: r.vehicleClass,
      picked_up_at: r.pickedUpAt.toISOString(),
      returned_at: r.returnedAt.toISOString(),
      amount: r.amount,
      booking_channel: r.bookingChannel,
    };
  });
  // One statement: changed rentals are updated, new ones inserted, the rest only read (never locked).
  const stored = await upsertRentalRows(sql, values);
  const byExternal = new Map(stored.map((r) => [r.external_id, { id: r.id, status: r.status }]));
  const rest = writes.filter((w) => !byExternal.has(w.externalId)).map((w) => w.externalId);
  if (rest.length > 0) {
    const same = await rentalIdsByExternal(sql, rest);
    for (const r of same) byExternal.set(r.external_id, { id: r.id, status: 'unchanged' });
  }
  return byExternal;
}

/**
 * Contact facts of the customers about to be invited. Their rows stay locked until the batch commits, so
 * the fatigue rule reads a last invitation no concurrent batch can change meanwhile.
 */
async function customerFacts(sql: SqlClient, ids: string[]): Promise<Map<string, CustomerFacts>> {
  const rows = await lockedCustomerFacts(sql, ids);
  return new Map(rows.map((r) => [r.id, r]));
}

interface NewInvitation {
  index: number;
  id: string;
  token: string;
  tokenHash: string;
  surveyId: string;
  versionId: string;
  rentalId: string;
  customerId: string;
  branchId: string;
  channel: 'email' | 'sms';
  dueAt: Date;
  expiresAt: Date;
}

type CreatedRental = { index: number; rentalId: string; customerId: string; pickupBranch: BranchInfo };

/**
 * Decides and creates the invitations of newly stored rentals: each goes to the survey whose targets match
 * it first (targeting.ts) under that survey's rules. Returns how many invitations were created.
 */
async function inviteNewRentals(
  sql: SqlClient,
  ctx: IngestContext,
  surveys: TargetSurvey[],
  rows: RentalRow[],
  created: CreatedRental[],
  results: RowResult[],
): Promise<number> {
  if (created.length === 0) return 0;
  const now = ctx.now;
  const facts = await customerFacts(sql, [...new Set(created.map((c) => c.customerId))]);
  const decisions: { survey_id: string; rental_id: string; branch_id: string; outcome: DecisionOutcome }[] = [];
  const invited: NewInvitation[] = [];
  // The fatigue rule is planInvitation's alone: an invitation made earlier in this batch counts as the
  // customer's last invitation exactly like a stored one (customerFacts holds the customers' rows locked).
  const lastInvited = new Map<string, Date>();
  for (const [id, f] of facts) if (f.last_invited_at) lastInvited.set(id, new Date(f.last_invited_at));

  for (const c of created) {
    const r = rows[c.index];
    const f = facts.get(c.customerId)!;
    const survey = chooseSurvey(surveys, {
      branchCode: c.pickupBranch.code,
      region: c.pickupBranch.region,
      customerType: f.customer_type,
      vehicleClass: r.vehicleClass,
    });
    if (!survey) {
      results[c.index].reason = 'not_targeted';
      continue;
    }
    const plan = planInvitation(
      survey.rules,
      survey.surveyId,
      {
        externalId: r.externalId,
        pickupBranchCode: c.pickupBranch.code,
        vehicleClass: r.vehicleClass,
        bookingChannel: r.bookingChannel,
        returnedAt: r.returnedAt,
      },
      {
        email: f.email,
        phone: f.phone,
        consentEmail: f.consent_email,
        consentSms: f.consent_sms,
        optedOut: f.opted_out,
        erased: f.erased,
        lastInvitedAt: lastInvited.get(c.customerId) ?? null,
        emailBad: f.email_bad,
        phoneBad: f.phone_bad,
      },
      c.pickupBranch.timeZone,
      now,
    );
    if (plan.outcome === 'skip') {
      results[c.index].reason = plan.reason;
      continue;
    }
    decisions.push({ survey_id: survey.surveyId, rental_id: c.rentalId, branch_id: c.pickupBranch.id, outcome: plan.outcome });
    if (plan.outcome !== 'invited') {
      results[c.index].reason = plan.outcome;
      continue;
    }
    lastInvited.set(c.customerId, now);
    const id = randomUUID();
    const { token, tokenHash } = invitationToken(ctx.tokenSecret, id);
    invited.push({
      index: c.index,
      id,
      token,
      tokenHash,
      surveyId: survey.surveyId,
      versionId: survey.versionId,
      rentalId: c.rentalId,
      customerId: c.customerId,
      branchId: c.pickupBranch.id,
      channel: plan.channel,
      dueAt: plan.dueAt,
      expiresAt: plan.expiresAt,
    });
  }

  const deliveries = invited.map((c) => ({
    id: randomUUID(),
    invitationId: c.id,
    channel: c.channel,
    dueAt: c.dueAt,
    dueNow: c.dueAt.getTime() <= now.getTime(),
  }));
  await writeInvitations(
    sql,
    decisions,
    invited.map((c) => ({
      id: c.id,
      survey_id: c.surveyId,
      survey_version_id: c.versionId,
      rental_id: c.rentalId,
      customer_id: c.customerId,
      branch_id: c.branchId,
      token_hash: c.tokenHash,
      channel: c.channel,
      due_at: c.dueAt.toISOString(),
      expires_at: c.expiresAt.toISOString(),
    })),
    deliveries.map((d) => ({ id: d.id, invitation_id: d.invitationId, channel: d.channel, due_at: d.dueAt.toISOString(), due_now: d.dueNow })),
    now,
  );
  if (invited.length === 0) return 0;
  // Due now: the send job is part of this transaction.
  await insertJobs(
    sql,
    deliveries.filter((d) => d.dueNow).map((d) => ({ name: SEND_QUEUE, data: { deliveryId: d.id } })),
  );

  for (const c of invited) {
    results[c.index].invitation = { id: c.id, status: 'scheduled', expiresAt: c.expiresAt.toISOString(), channel: c.channel, token: c.token };
    delete results[c.index].reason;
  }
  return invited.length;
}

/** The invitation (or the decision not to invite) of rentals stored before, under any of the surveys. */
async function existingInvitations(sql: SqlClient, surveys: TargetSurvey[], rentalIds: string[]) {
  if (surveys.length === 0 || rentalIds.length === 0) return new Map<string, { invitation: RowResult['invitation']; reason?: string }>();
  const surveyIds = surveys.map((s) => s.surveyId);
  const rows = await invitationsOfRentals(sql, surveyIds, rentalIds);
  const out = new Map<string, { invitation: RowResult['invitation']; reason?: string }>();
  for (const r of rows) {
    const invitation = r.id ? { id: r.id, status: r.status!, expiresAt: new Date(r.expires_at!).toISOString(), channel: r.channel! } : null;
    out.set(r.rental_id, { invitation, reason: invitation ? undefined : (r.outcome ?? undefined) });
  }
  return out;
}

export interface IngestSummary {
  results: RowResult[];
  invitationsCreated: number;
}

/**
 * Stores a batch of finished rentals (idempotent by external id: a row identical to the stored one changes
 * nothing) and invites the customers of newly stored rentals, each under the rules of the survey it is
 * targeted to (`targets`: invitationTargets, loaded when not given). Run it inside one transaction. Rows
 * that cannot be stored come back as `rejected` with their errors.
 */
export async function ingestRentals(sql: SqlClient, ctx: IngestContext, rows: RentalRow[], targets?: TargetSurvey[]): Promise<IngestSummary> {
  const results: RowResult[] = new Array(rows.length);
  const branches = await resolveBranches(sql, rows, results);
  const accepted: number[] = [];
  rows.forEach((_, i) => {
    if (!results[i]) accepted.push(i);
  });
  if (accepted.length === 0) return { results, invitationsCreated: 0 };

  const customerIds = await upsertCustomers(sql, rows, accepted);

  // The same rental twice in one batch: the later row is written in a second round (an upsert cannot
  // touch one row twice in a statement).
  const rounds: RentalWrite[][] = [];
  const roundOf = new Map<string, number>();
  for (const i of accepted) {
    const r = rows[i];
    const round = (roundOf.get(r.externalId) ?? -1) + 1;
    roundOf.set(r.externalId, round);
    (rounds[round] ??= []).push({
      index: i,
      externalId: r.externalId,
      customerId: customerIds.get(r.customer.externalId)!,
      pickupBranchId: branches.get(branchCode(r.pickupBranch))!.id,
      returnBranchId: branches.get(branchCode(r.returnBranch))!.id,
    });
  }
  const createdRentals: CreatedRental[] = [];
  const knownRentals: { index: number; rentalId: string }[] = [];
  const touchedCustomers = new Set<string>();
  for (const writes of rounds) {
    const stored = await upsertRentals(sql, rows, writes);
    for (const w of writes) {
      const s = stored.get(w.externalId)!;
      results[w.index] = { status: s.status, rentalId: s.id, invitation: null };
      if (s.status !== 'unchanged') touchedCustomers.add(w.customerId);
      if (s.status === 'created')
        createdRentals.push({ index: w.index, rentalId: s.id, customerId: w.customerId, pickupBranch: branches.get(branchCode(rows[w.index].pickupBranch))! });
      else knownRentals.push({ index: w.index, rentalId: s.id });
    }
  }
  await updateReturningFlags(sql, [...touchedCustomers]);
  if (ctx.updateCustomerFacts !== false) await assignValueTiers(sql, ctx.now, [...touchedCustomers]);

  const surveys = targets ?? (await invitationTargets(sql));
  let invitationsCreated = 0;
  if (surveys.length === 0) {
    for (const c of createdRentals) results[c.index].reason = 'no_active_post_rental_survey';
  } else {
    invitationsCreated = await inviteNewRentals(sql, ctx, surveys, rows, createdRentals, results);
  }
  const existing = await existingInvitations(
    sql,
    surveys,
    knownRentals.map((k) => k.rentalId),
  );
  for (const k of knownRentals) {
    const e = existing.get(k.rentalId);
    results[k.index].invitation = e?.invitation ?? null;
    if (!e?.invitation) results[k.index].reason = e?.reason ?? (surveys.length > 0 ? 'not_invited' : 'no_active_post_rental_survey');
  }
  return { results, invitationsCreated };
}

// ── CSV imports: the set-based path ─────────────────────────────────────────────────────────────────────

export interface ImportBatchSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused here (unknown branches), by their index in `rows`. */
  rejected: { index: number; errors: RowError[]; reason?: string }[];
  invitationsCreated: number;
}

/**
 * A rental can get a decision only from a survey whose invitations are on and that does not find it too
 * old: for every other new rental, planInvitation answers `skip` whatever the customer, so its customer's
 * facts are not read (nor locked).
 */
const mayBeInvited = (surveys: TargetSurvey[], returnedAt: Date, now: Date) =>
  surveys.some((s) => s.rules.enabled && !tooOld(s.rules, { externalId: '', pickupBranchCode: '', vehicleClass: '', bookingChannel: '', returnedAt }, now));

async function timed<T>(timings: Record<string, number> | undefined, step: string, run: () => Promise<T>): Promise<T> {
  if (!timings) return run();
  const start = performance.now();
  try {
    return await run();
  } finally {
    timings[step] = (timings[step] ?? 0) + performance.now() - start;
  }
}

/** A customer's fields without those left empty: the object itself when every field is given (the usual case). */
function onlyGiven(c: CustomerInput): CustomerInput {
  for (const key in c) {
    const v = c[key as keyof CustomerInput];
    if (v === undefined || v === '') return Object.fromEntries(Object.entries(c).filter(([, w]) => w !== undefined && w !== '')) as CustomerInput;
  }
  return c;
}

/** The customers of some rows, merged as upsertCustomers merges them (a later row's given fields win). */
function mergedCustomers(rows: RentalRow[], accepted: number[]): Map<string, CustomerInput> {
  const merged = new Map<string, CustomerInput>();
  for (const i of accepted) {
    const c = rows[i].customer;
    const before = merged.get(c.externalId);
    const given = onlyGiven(c);
    merged.set(c.externalId, before ? { ...before, ...given } : given);
  }
  return merged;
}

/**
 * A batch of checked CSV rows, stored as ingestRentals stores them (same customers, rentals, new / returning
 * flags, rejections, invitation decisions) but set-based: branch codes are resolved and customers merged in
 * memory, the batch is copied into staging tables, and customers and rentals are written with one statement
 * each. Run it inside one transaction. Only the counts come back (an import reports no per-row outcome but
 * its rejected rows).
 */
export async function ingestImportRows(sql: SqlClient, ctx: IngestContext, rows: RentalRow[], targets: TargetSurvey[]): Promise<ImportBatchSummary> {
  const summary: ImportBatchSummary = { created: 0, updated: 0, unchanged: 0, rejected: [], invitationsCreated: 0 };
  if (rows.length === 0) return summary;
  const branches = await timed(ctx.timings, 'branches', () => branchesByCode(sql));
  const branchById = new Map([...branches.values()].map((b) => [b.id, b]));
  const accepted: number[] = [];
  const rentals: StageRental[] = [];
  const roundOf = new Map<string, number>();
  rows.forEach((r, i) => {
    const pickup = branches.get(branchCode(r.pickupBranch));
    const dropoff = branches.get(branchCode(r.returnBranch));
    if (!pickup || !dropoff) {
      const errors: RowError[] = [];
      for (const [field, ref, known] of [
        ['pickupBranch', r.pickupBranch, pickup],
        ['returnBranch', r.returnBranch, dropoff],
      ] as const) {
        const code = branchCode(ref);
        if (!known) errors.push({ path: field, message: problemMessage({ code: 'unknownBranch', params: { code } }), code: 'unknownBranch', params: { code } });
      }
      summary.rejected.push({ index: i, errors });
      return;
    }
    accepted.push(i);
    const round = (roundOf.get(r.externalId) ?? -1) + 1;
    roundOf.set(r.externalId, round);
    rentals.push({
      n: i,
      round,
      externalId: r.externalId,
      customerId: '', // known once the customers are stored
      pickupBranchId: pickup.id,
      returnBranchId: dropoff.id,
      vehicleClass: r.vehicleClass,
      pickedUpAt: r.pickedUpAt,
      returnedAt: r.returnedAt,
      amount: r.amount,
      bookingChannel: r.bookingChannel,
    });
  });
  if (accepted.length === 0) return summary;
  const customers: StageCustomer[] = [...mergedCustomers(rows, accepted).values()].map((c) => ({
    externalId: c.externalId,
    name: c.name ?? null,
    email: c.email ? normalizeEmail(c.email) : null,
    phone: c.phone ?? null,
    preferredLanguage: c.preferredLanguage ?? null,
    consentEmail: c.consentEmail ?? null,
    consentSms: c.consentSms ?? null,
    customerType: c.customerType ?? null,
    memberLevel: c.memberLevel ?? null,
  }));
  await prepareStaging(sql);
  await timed(ctx.timings, 'copy into staging', () => stageCustomers(sql, customers));
  const customerIds = new Map<string, string>();
  for (const c of await timed(ctx.timings, 'customers upsert', () => upsertStagedCustomers(sql))) customerIds.set(c.external_id, c.id);
  // Inserted meanwhile by a concurrent request (its row was not visible to the statement): read it now.
  const unseen = customers.filter((c) => !customerIds.has(c.externalId)).map((c) => c.externalId);
  if (unseen.length > 0) for (const r of await customerIdsByExternal(sql, unseen)) customerIds.set(r.external_id, r.id);
  const staged: StageRental[] = [];
  for (const r of rentals) {
    const id = customerIds.get(rows[r.n].customer.externalId);
    if (!id) continue; // not stored after all: the row stays as it is (counted unchanged)
    r.customerId = id;
    staged.push(r);
  }
  await timed(ctx.timings, 'copy into staging', () => stageRentals(sql, staged));

  let rounds = 0;
  for (const round of roundOf.values()) if (round >= rounds) rounds = round + 1;
  const created: CreatedRental[] = [];
  // New / returning: the customers of changed rentals, and those a changed rental moved away from, are
  // recomputed (updateReturningFlags); where rentals were only added, only their rentals still marked new.
  const reflag = new Set<string>();
  const added = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    const written = await timed(ctx.timings, 'rentals upsert', () => upsertStagedRentals(sql, round));
    // A created row comes back by its external id, unique within the round.
    let indexOf: Map<string, number> | null = null;
    for (const w of written) {
      if (w.status === 'updated') {
        summary.updated++;
        reflag.add(w.customer_id);
        // Moved to another customer: the one it came from may have lost their earlier rental.
        if (w.previous_customer_id) reflag.add(w.previous_customer_id);
        continue;
      }
      indexOf ??= new Map(rentals.filter((r) => r.round === round).map((r) => [r.externalId, r.n]));
      summary.created++;
      added.add(w.customer_id);
      created.push({ index: indexOf.get(w.external_id)!, rentalId: w.rental_id, customerId: w.customer_id, pickupBranch: branchById.get(w.pickup_branch_id)! });
    }
  }
  // In file order: of two new rentals of one customer, the earlier row is planned first (the fatigue rule).
  created.sort((a, b) => a.index - b.index);
  summary.unchanged = accepted.length - summary.created - summary.updated;
  await timed(ctx.timings, 'new / returning flags', async () => {
    await updateReturningFlags(sql, [...reflag]);
    // Where rentals were only added: the customer's rentals picked up after the earliest added one.
    const earliestAdded = new Map<string, number>();
    for (const c of created) {
      if (reflag.has(c.customerId)) continue;
      const t = rows[c.index].pickedUpAt.getTime();
      if (t < (earliestAdded.get(c.customerId) ?? Infinity)) earliestAdded.set(c.customerId, t);
    }
    await flagReturningAfterInserts(
      sql,
      [...earliestAdded].map(([customerId, t]) => ({ customerId, since: new Date(t) })),
    );
  });
  await planAsConfigured(sql);
  if (ctx.updateCustomerFacts !== false) await assignValueTiers(sql, ctx.now, [...new Set([...added, ...reflag])]);

  const candidates = created.filter((c) => mayBeInvited(targets, rows[c.index].returnedAt, ctx.now));
  if (targets.length > 0 && candidates.length > 0) {
    const results: RowResult[] = [];
    for (const c of candidates) results[c.index] = { status: 'created', rentalId: c.rentalId, invitation: null };
    summary.invitationsCreated = await timed(ctx.timings, 'invitation planning and writes', () =>
      inviteNewRentals(sql, ctx, targets, rows, candidates, results),
    );
  }
  return summary;
}
