// Rentals in, set-based: one statement per table for a whole batch (the API's single and batch calls and
// each chunk of a CSV import share this path). A batch is one transaction: customers, rentals, the
// invitation decisions, the invitations, their deliveries and the pg-boss jobs of the deliveries due now
// commit together or not at all.
import { randomUUID } from 'node:crypto';
import { insertJobs, type SqlClient } from '../queue/queue.ts';
import { DAY_MS, planInvitation, type DecisionOutcome } from './planning.ts';
import { loadRules } from './rules.queries.ts';
import type { InvitationRules } from './rules.schemas.ts';
import { SEND_QUEUE } from './queues.ts';
import { invitationToken } from './tokens.ts';

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
  /** Recompute the customer's rental count and the rental's new/returning flag right away (off for big imports). */
  updateCustomerFacts?: boolean;
}

export interface TargetSurvey {
  surveyId: string;
  versionId: string;
  rules: InvitationRules;
}

/** The survey rental invitations go to: the active post-rental survey, newest first, at its newest version. */
export async function targetSurvey(sql: SqlClient): Promise<TargetSurvey | null> {
  const [row] = await sql<{ survey_id: string; version_id: string }[]>`
    select s.id as survey_id, v.id as version_id
    from surveys s join survey_versions v on v.survey_id = s.id
    where s.kind = 'post_rental' and s.status = 'active'
    order by s.created_at desc, v.version desc
    limit 1`;
  if (!row) return null;
  const { rules } = await loadRules(sql, row.survey_id);
  return { surveyId: row.survey_id, versionId: row.version_id, rules };
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const normalizePhone = (phone: string) => phone.replace(/[^\d+]/g, '');

const branchCode = (ref: string | BranchInput) => (typeof ref === 'string' ? ref : ref.code);

interface BranchInfo {
  id: string;
  code: string;
  timeZone: string;
}

async function resolveBranches(sql: SqlClient, rows: RentalRow[], results: RowResult[]): Promise<Map<string, BranchInfo>> {
  const codes = new Set<string>();
  for (const r of rows) {
    codes.add(branchCode(r.pickupBranch));
    codes.add(branchCode(r.returnBranch));
  }
  const known = await sql<{ id: string; code: string; time_zone: string }[]>`
    select id, code, time_zone from branches where code = any(${[...codes]}::text[])`;
  const byCode = new Map(known.map((b) => [b.code, { id: b.id, code: b.code, timeZone: b.time_zone }]));

  // Rows naming an unknown branch by code are rejected before anything is written for them.
  const definedInline = new Set(rows.flatMap((r) => [r.pickupBranch, r.returnBranch]).filter((b): b is BranchInput => typeof b === 'object').map((b) => b.code));
  const inline = new Map<string, BranchInput>();
  rows.forEach((r, i) => {
    const errors: RowError[] = [];
    for (const [field, ref] of [['pickupBranch', r.pickupBranch], ['returnBranch', r.returnBranch]] as const) {
      if (typeof ref === 'string' && !byCode.has(ref) && !definedInline.has(ref)) errors.push({ path: field, message: `no branch with code "${ref}"` });
    }
    if (errors.length > 0) results[i] = { status: 'rejected', errors, reason: 'unknown_branch' };
  });
  rows.forEach((r, i) => {
    if (results[i]) return;
    for (const ref of [r.pickupBranch, r.returnBranch]) if (typeof ref === 'object') inline.set(ref.code, ref);
  });
  if (inline.size > 0) {
    const values = [...inline.values()].map((b) => ({ code: b.code, name: b.name, name_en: b.nameEn ?? null, city: b.city, region: b.region, time_zone: b.timeZone ?? null }));
    for (const b of values) {
      const [row] = await sql<{ id: string; code: string; time_zone: string }[]>`
        insert into branches (code, name, name_en, city, region, time_zone)
        values (${b.code}, ${b.name}, ${b.name_en}, ${b.city}, ${b.region}, ${b.time_zone ?? 'Asia/Shanghai'})
        on conflict (code) do update set
          name = excluded.name, name_en = excluded.name_en, city = excluded.city, region = excluded.region,
          time_zone = case when ${b.time_zone}::text is null then branches.time_zone else excluded.time_zone end
        where (branches.name, branches.name_en, branches.city, branches.region, branches.time_zone)
          is distinct from (excluded.name, excluded.name_en, excluded.city, excluded.region, coalesce(${b.time_zone}::text, branches.time_zone))
        returning id, code, time_zone`;
      if (row) byCode.set(row.code, { id: row.id, code: row.code, timeZone: row.time_zone });
    }
    const missing = [...inline.keys()].filter((c) => !byCode.has(c));
    if (missing.length > 0) {
      const again = await sql<{ id: string; code: string; time_zone: string }[]>`select id, code, time_zone from branches where code = any(${missing}::text[])`;
      for (const b of again) byCode.set(b.code, { id: b.id, code: b.code, timeZone: b.time_zone });
    }
  }
  return byCode;
}

/** Upserts the customers of the accepted rows (fields not given keep their stored value); id by external id. */
async function upsertCustomers(sql: SqlClient, rows: RentalRow[], accepted: number[]): Promise<Map<string, string>> {
  const merged = new Map<string, CustomerInput>();
  for (const i of accepted) {
    const c = rows[i].customer;
    const before = merged.get(c.externalId);
    const given = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined && v !== '')) as CustomerInput;
    merged.set(c.externalId, before ? { ...before, ...given } : given);
  }
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
  const rows2 = await sql<{ id: string; external_id: string }[]>`
    with x as materialized (
      select * from json_to_recordset(${JSON.stringify(values)}::json) as x(external_id text, name text, email text, phone text,
        preferred_language text, consent_email boolean, consent_sms boolean, customer_type text, member_level text)
    ), changed as (
      update customers c set
        name = coalesce(x.name, c.name), email = coalesce(x.email, c.email), phone = coalesce(x.phone, c.phone),
        preferred_language = coalesce(x.preferred_language, c.preferred_language),
        consent_email = coalesce(x.consent_email, c.consent_email), consent_sms = coalesce(x.consent_sms, c.consent_sms),
        customer_type = coalesce(x.customer_type, c.customer_type), member_level = coalesce(x.member_level, c.member_level),
        updated_at = now()
      from x
      where c.external_id = x.external_id
        and (coalesce(x.name, c.name), coalesce(x.email, c.email), coalesce(x.phone, c.phone), coalesce(x.preferred_language, c.preferred_language),
             coalesce(x.consent_email, c.consent_email), coalesce(x.consent_sms, c.consent_sms), coalesce(x.customer_type, c.customer_type),
             coalesce(x.member_level, c.member_level))
          is distinct from (c.name, c.email, c.phone, c.preferred_language, c.consent_email, c.consent_sms, c.customer_type, c.member_level)
      returning c.id
    ), added as (
      insert into customers (external_id, name, email, phone, preferred_language, consent_email, consent_sms, customer_type, member_level)
      select x.external_id, x.name, x.email, x.phone, x.preferred_language, coalesce(x.consent_email, true), coalesce(x.consent_sms, false),
        coalesce(x.customer_type, 'leisure'), x.member_level
      from x where not exists (select 1 from customers c where c.external_id = x.external_id)
      on conflict (external_id) do nothing
      returning id, external_id
    )
    select c.id, c.external_id from customers c join x on x.external_id = c.external_id
    union all
    select id, external_id from added`;
  const ids = new Map(rows2.map((r) => [r.external_id, r.id]));
  // Inserted meanwhile by a concurrent request (its row was not visible to the statement): read it now.
  const missing = [...merged.keys()].filter((k) => !ids.has(k));
  if (missing.length > 0) {
    for (const r of await sql<{ id: string; external_id: string }[]>`select id, external_id from customers where external_id = any(${missing}::text[])`) ids.set(r.external_id, r.id);
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
  // New vs returning, as far as this batch tells: an earlier pick-up of the same customer in the batch. The
  // statement adds the ones already stored; the segment refresh corrects rentals imported out of order.
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
  const stored = await sql<{ id: string; external_id: string; status: RowStatus }[]>`
    with x as materialized (
      select * from json_to_recordset(${JSON.stringify(values)}::json) as x(external_id text, customer_id uuid, pickup_branch_id uuid,
        return_branch_id uuid, vehicle_class text, picked_up_at timestamptz, returned_at timestamptz, amount numeric, booking_channel text, earlier boolean)
    ), changed as (
      update rentals r set
        customer_id = x.customer_id, pickup_branch_id = x.pickup_branch_id, return_branch_id = x.return_branch_id,
        vehicle_class = x.vehicle_class, picked_up_at = x.picked_up_at, returned_at = x.returned_at, amount = x.amount, booking_channel = x.booking_channel
      from x
      where r.external_id = x.external_id
        and (r.customer_id, r.pickup_branch_id, r.return_branch_id, r.vehicle_class, r.picked_up_at, r.returned_at, r.amount, r.booking_channel)
          is distinct from (x.customer_id, x.pickup_branch_id, x.return_branch_id, x.vehicle_class, x.picked_up_at, x.returned_at, x.amount, x.booking_channel)
      returning r.id
    ), added as (
      insert into rentals (external_id, customer_id, pickup_branch_id, return_branch_id, vehicle_class, picked_up_at, returned_at, amount, booking_channel, repeat_customer)
      select x.external_id, x.customer_id, x.pickup_branch_id, x.return_branch_id, x.vehicle_class, x.picked_up_at, x.returned_at, x.amount, x.booking_channel,
        x.earlier or exists (select 1 from rentals e where e.customer_id = x.customer_id and e.picked_up_at < x.picked_up_at)
      from x where not exists (select 1 from rentals r where r.external_id = x.external_id)
      on conflict (external_id) do nothing
      returning id, external_id
    )
    select id, external_id, 'created' as status from added
    union all
    select r.id, r.external_id, case when c.id is null then 'unchanged' else 'updated' end
    from rentals r join x on x.external_id = r.external_id left join changed c on c.id = r.id`;
  const byExternal = new Map(stored.map((r) => [r.external_id, { id: r.id, status: r.status }]));
  const rest = writes.filter((w) => !byExternal.has(w.externalId)).map((w) => w.externalId);
  if (rest.length > 0) {
    const same = await sql<{ id: string; external_id: string }[]>`select id, external_id from rentals where external_id = any(${rest}::text[])`;
    for (const r of same) byExternal.set(r.external_id, { id: r.id, status: 'unchanged' });
  }
  return byExternal;
}

/** The rental count and first rental of these customers, and the new/returning flag of their rentals. */
export async function updateCustomerFacts(sql: SqlClient, customerIds: string[]) {
  if (customerIds.length === 0) return;
  await sql`
    update customers c set rental_count = s.n, first_rental_at = s.first
    from (select customer_id, count(*)::int as n, min(picked_up_at) as first from rentals where customer_id = any(${customerIds}::uuid[]) group by customer_id) s
    where c.id = s.customer_id and (c.rental_count, c.first_rental_at) is distinct from (s.n, s.first)`;
  await sql`
    update rentals r set repeat_customer = s.repeat
    from (select id, row_number() over (partition by customer_id order by picked_up_at, created_at, id) > 1 as repeat
          from rentals where customer_id = any(${customerIds}::uuid[])) s
    where r.id = s.id and r.repeat_customer is distinct from s.repeat`;
}

interface CustomerFacts {
  id: string;
  email: string | null;
  phone: string | null;
  consent_email: boolean;
  consent_sms: boolean;
  opted_out: boolean;
  erased: boolean;
  last_invited_at: string | null;
  email_bad: boolean;
  phone_bad: boolean;
}

async function customerFacts(sql: SqlClient, ids: string[]): Promise<Map<string, CustomerFacts>> {
  const rows = await sql<CustomerFacts[]>`
    select c.id, c.email, c.phone, c.consent_email, c.consent_sms, c.opted_out_at is not null as opted_out, c.erased_at is not null as erased,
      greatest(c.last_invited_at, (select max(i.created_at) from invitations i where i.customer_id = c.id)) as last_invited_at,
      c.email_bad or exists (select 1 from bad_addresses b where b.channel = 'email' and b.address = c.email) as email_bad,
      c.phone_bad or exists (select 1 from bad_addresses b where b.channel = 'sms' and b.address = regexp_replace(c.phone, '[^0-9+]', '', 'g')) as phone_bad
    from customers c where c.id = any(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

interface NewInvitation {
  index: number;
  id: string;
  token: string;
  tokenHash: string;
  rentalId: string;
  customerId: string;
  branchId: string;
  channel: 'email' | 'sms';
  dueAt: Date;
  expiresAt: Date;
}

/** Decides and creates the invitations of newly stored rentals. Returns invitations created per row index. */
async function inviteNewRentals(
  sql: SqlClient,
  ctx: IngestContext,
  target: TargetSurvey,
  rows: RentalRow[],
  created: { index: number; rentalId: string; customerId: string; pickupBranch: BranchInfo }[],
  results: RowResult[],
): Promise<number> {
  if (created.length === 0) return 0;
  const { rules, surveyId, versionId } = target;
  const now = ctx.now;
  const facts = await customerFacts(sql, [...new Set(created.map((c) => c.customerId))]);
  const decisions: { rental_id: string; branch_id: string; outcome: DecisionOutcome }[] = [];
  const candidates: (NewInvitation & { outcome: 'invited' })[] = [];
  const invitedInBatch = new Set<string>();

  for (const c of created) {
    const r = rows[c.index];
    const f = facts.get(c.customerId)!;
    const plan = planInvitation(
      rules,
      surveyId,
      { externalId: r.externalId, pickupBranchCode: c.pickupBranch.code, vehicleClass: r.vehicleClass, bookingChannel: r.bookingChannel, returnedAt: r.returnedAt },
      {
        email: f.email,
        phone: f.phone,
        consentEmail: f.consent_email,
        consentSms: f.consent_sms,
        optedOut: f.opted_out,
        erased: f.erased,
        lastInvitedAt: f.last_invited_at ? new Date(f.last_invited_at) : null,
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
    if (plan.outcome === 'invited' && invitedInBatch.has(c.customerId)) {
      decisions.push({ rental_id: c.rentalId, branch_id: c.pickupBranch.id, outcome: 'fatigue' });
      results[c.index].reason = 'fatigue';
      continue;
    }
    if (plan.outcome !== 'invited') {
      decisions.push({ rental_id: c.rentalId, branch_id: c.pickupBranch.id, outcome: plan.outcome });
      results[c.index].reason = plan.outcome;
      continue;
    }
    invitedInBatch.add(c.customerId);
    const id = randomUUID();
    const { token, tokenHash } = invitationToken(ctx.tokenSecret, id);
    candidates.push({
      outcome: 'invited',
      index: c.index,
      id,
      token,
      tokenHash,
      rentalId: c.rentalId,
      customerId: c.customerId,
      branchId: c.pickupBranch.id,
      channel: plan.channel,
      dueAt: plan.dueAt,
      expiresAt: plan.expiresAt,
    });
  }

  // The fatigue rule across concurrent requests: a customer is claimed by one invitation at a time.
  let invited = candidates;
  if (candidates.length > 0) {
    const cutoff = new Date(now.getTime() - rules.fatigueDays * DAY_MS).toISOString();
    const claimed = await sql<{ id: string }[]>`
      update customers set last_invited_at = ${now.toISOString()}
      where id = any(${candidates.map((c) => c.customerId)}::uuid[])
        and (last_invited_at is null or last_invited_at <= ${cutoff} or ${rules.fatigueDays} = 0)
      returning id`;
    const ok = new Set(claimed.map((r) => r.id));
    invited = candidates.filter((c) => ok.has(c.customerId));
    for (const c of candidates) {
      if (ok.has(c.customerId)) decisions.push({ rental_id: c.rentalId, branch_id: c.branchId, outcome: 'invited' });
      else {
        decisions.push({ rental_id: c.rentalId, branch_id: c.branchId, outcome: 'fatigue' });
        results[c.index].reason = 'fatigue';
      }
    }
  }

  if (decisions.length > 0) {
    await sql`
      insert into invitation_decisions (survey_id, rental_id, branch_id, outcome, decided_at)
      select ${surveyId}, x.rental_id, x.branch_id, x.outcome, ${now.toISOString()}
      from json_to_recordset(${JSON.stringify(decisions)}::json) as x(rental_id uuid, branch_id uuid, outcome text)
      on conflict (survey_id, rental_id) do nothing`;
  }
  if (invited.length === 0) return 0;

  const nowIso = now.toISOString();
  await sql`
    insert into invitations (id, survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, scheduled_at, expires_at, created_at)
    select x.id, ${surveyId}, ${versionId}, x.rental_id, x.customer_id, x.branch_id, x.token_hash, x.channel, 'scheduled', x.due_at, x.expires_at, ${nowIso}
    from json_to_recordset(${JSON.stringify(
      invited.map((c) => ({
        id: c.id,
        rental_id: c.rentalId,
        customer_id: c.customerId,
        branch_id: c.branchId,
        token_hash: c.tokenHash,
        channel: c.channel,
        due_at: c.dueAt.toISOString(),
        expires_at: c.expiresAt.toISOString(),
      })),
    )}::json) as x(id uuid, rental_id uuid, customer_id uuid, branch_id uuid, token_hash text, channel text, due_at timestamptz, expires_at timestamptz)`;
  const deliveries = invited.map((c) => ({ id: randomUUID(), invitationId: c.id, channel: c.channel, dueAt: c.dueAt, dueNow: c.dueAt.getTime() <= now.getTime() }));
  await sql`
    insert into deliveries (id, invitation_id, step, kind, channel, status, due_at, queued_at, created_at, updated_at)
    select x.id, x.invitation_id, 0, 'invitation', x.channel, case when x.due_now then 'queued' else 'scheduled' end, x.due_at,
      case when x.due_now then ${nowIso}::timestamptz end, ${nowIso}, ${nowIso}
    from json_to_recordset(${JSON.stringify(
      deliveries.map((d) => ({ id: d.id, invitation_id: d.invitationId, channel: d.channel, due_at: d.dueAt.toISOString(), due_now: d.dueNow })),
    )}::json) as x(id uuid, invitation_id uuid, channel text, due_at timestamptz, due_now boolean)`;
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

async function existingInvitations(sql: SqlClient, target: TargetSurvey | null, rentalIds: string[]) {
  if (!target || rentalIds.length === 0) return new Map<string, { invitation: RowResult['invitation']; reason?: string }>();
  const rows = await sql<{ rental_id: string; id: string | null; status: string | null; expires_at: string | null; channel: string | null; outcome: string | null }[]>`
    select d.rental_id, i.id, i.status, i.expires_at, i.channel, d.outcome
    from unnest(${rentalIds}::uuid[]) as d0(rental_id)
    left join invitation_decisions d on d.rental_id = d0.rental_id and d.survey_id = ${target.surveyId}
    left join invitations i on i.rental_id = d0.rental_id and i.survey_id = ${target.surveyId}
    where d.rental_id is not null or i.id is not null`;
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
 * nothing) and invites the customers of newly stored rentals under the target survey's rules. Run it
 * inside one transaction. Rows that cannot be stored come back as `rejected` with their errors.
 */
export async function ingestRentals(sql: SqlClient, ctx: IngestContext, rows: RentalRow[], target?: TargetSurvey | null): Promise<IngestSummary> {
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
  const createdRentals: { index: number; rentalId: string; customerId: string; pickupBranch: BranchInfo }[] = [];
  const knownRentals: { index: number; rentalId: string }[] = [];
  const touchedCustomers = new Set<string>();
  for (const writes of rounds) {
    const stored = await upsertRentals(sql, rows, writes);
    for (const w of writes) {
      const s = stored.get(w.externalId)!;
      results[w.index] = { status: s.status, rentalId: s.id, invitation: null };
      if (s.status !== 'unchanged') touchedCustomers.add(w.customerId);
      if (s.status === 'created') createdRentals.push({ index: w.index, rentalId: s.id, customerId: w.customerId, pickupBranch: branches.get(branchCode(rows[w.index].pickupBranch))! });
      else knownRentals.push({ index: w.index, rentalId: s.id });
    }
  }
  if (ctx.updateCustomerFacts !== false) await updateCustomerFacts(sql, [...touchedCustomers]);

  const survey = target === undefined ? await targetSurvey(sql) : target;
  let invitationsCreated = 0;
  if (!survey) {
    for (const c of createdRentals) results[c.index].reason = 'no_active_post_rental_survey';
  } else {
    invitationsCreated = await inviteNewRentals(sql, ctx, survey, rows, createdRentals, results);
  }
  const existing = await existingInvitations(sql, survey, knownRentals.map((k) => k.rentalId));
  for (const k of knownRentals) {
    const e = existing.get(k.rentalId);
    results[k.index].invitation = e?.invitation ?? null;
    if (!e?.invitation) results[k.index].reason = e?.reason ?? (survey ? 'not_invited' : 'no_active_post_rental_survey');
  }
  return { results, invitationsCreated };
}
