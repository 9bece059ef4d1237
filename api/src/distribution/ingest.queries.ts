// The SQL of ingest.ts: branches, customers and rentals of a batch written set-based, the contact facts the
// invitation planning reads, and the invitations, decisions and deliveries it writes.
import type { SqlClient } from '../queue/queue.ts';
import type { RowStatus } from './ingest.ts';

/** The fields of a rental an upsert writes, in the order the rules below compare them. */
const RENTAL_FIELDS = ['customer_id', 'pickup_branch_id', 'return_branch_id', 'vehicle_class', 'picked_up_at', 'returned_at', 'amount', 'booking_channel'];

/** SQL: the rental `stored` differs from the row `given` in a field an upsert writes. */
export const rentalDiffers = (stored: string, given: string) =>
  `(${RENTAL_FIELDS.map((f) => `${stored}.${f}`).join(', ')}) is distinct from (${RENTAL_FIELDS.map((f) => `${given}.${f}`).join(', ')})`;

/** SQL: the set list of an update writing the fields of the row `given`. */
export const setRentalFields = (given: string) => RENTAL_FIELDS.map((f) => `${f} = ${given}.${f}`).join(', ');

/**
 * The update of the stored rentals whose fields differ from the rows of the CTE `x` with the same external id,
 * without its returning clause: the API's batches (upsertRentalRows) change rentals by this rule, the CSV
 * import (upsertStagedRentals) by the same rentalDiffers and setRentalFields.
 */
export const UPDATE_CHANGED_RENTALS = `update rentals r set ${setRentalFields('x')}
from x
where r.external_id = x.external_id and ${rentalDiffers('r', 'x')}`;

/** Every active post-rental survey at its newest version. */
export async function activePostRentalSurveys(sql: SqlClient) {
  return sql<{ survey_id: string; name: string; version_id: string; created_at: Date }[]>`
    select distinct on (s.id) s.id as survey_id, s.name, v.id as version_id, s.created_at
    from surveys s join survey_versions v on v.survey_id = s.id
    where s.kind = 'post_rental' and s.status = 'active'
    order by s.id, v.version desc`;
}

export type BranchRow = { id: string; code: string; region: string; time_zone: string };

export async function branchesWithCodes(sql: SqlClient, codes: string[]) {
  return sql<BranchRow[]>`select id, code, region, time_zone from branches where code = any(${codes}::text[])`;
}

/**
 * A branch given inline with a rental: created, or updated when its fields differ (a time zone or English
 * name not given keeps the stored one: rental systems often know only the local name). Undefined when nothing changed.
 */
export async function upsertInlineBranch(
  sql: SqlClient,
  b: { code: string; name: string; name_en: string | null; city: string; region: string; time_zone: string | null },
): Promise<BranchRow | undefined> {
  const [row] = await sql<BranchRow[]>`
        insert into branches (code, name, name_en, city, region, time_zone)
        values (${b.code}, ${b.name}, ${b.name_en}, ${b.city}, ${b.region}, ${b.time_zone ?? 'Asia/Shanghai'})
        on conflict (code) do update set
          name = excluded.name, name_en = coalesce(excluded.name_en, branches.name_en), city = excluded.city, region = excluded.region,
          time_zone = case when ${b.time_zone}::text is null then branches.time_zone else excluded.time_zone end
        where (branches.name, branches.name_en, branches.city, branches.region, branches.time_zone)
          is distinct from (excluded.name, coalesce(excluded.name_en, branches.name_en), excluded.city, excluded.region, coalesce(${b.time_zone}::text, branches.time_zone))
        returning id, code, region, time_zone`;
  return row;
}

export interface CustomerValues {
  external_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: string | null;
  consent_email: boolean | null;
  consent_sms: boolean | null;
  customer_type: string | null;
  member_level: string | null;
}

/**
 * One statement (its data-modifying parts always run): known customers get the fields given when
 * something differs, new ones are inserted; the ids come from the rows as they were before the statement
 * plus the ones it inserted.
 */
export async function upsertCustomerRows(sql: SqlClient, values: CustomerValues[]) {
  return sql<{ id: string; external_id: string }[]>`
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
}

export async function customerIdsByExternal(sql: SqlClient, externalIds: string[]) {
  return sql<{ id: string; external_id: string }[]>`select id, external_id from customers where external_id = any(${externalIds}::text[])`;
}

export interface RentalValues {
  earlier: boolean;
  external_id: string;
  customer_id: string;
  pickup_branch_id: string;
  return_branch_id: string;
  vehicle_class: string;
  picked_up_at: string;
  returned_at: string;
  amount: number;
  booking_channel: string;
}

/** One statement: changed rentals are updated, new ones inserted, the rest only read (never locked). */
export async function upsertRentalRows(sql: SqlClient, values: RentalValues[]) {
  return sql<{ id: string; external_id: string; status: RowStatus }[]>`
    with x as materialized (
      select * from json_to_recordset(${JSON.stringify(values)}::json) as x(external_id text, customer_id uuid, pickup_branch_id uuid,
        return_branch_id uuid, vehicle_class text, picked_up_at timestamptz, returned_at timestamptz, amount numeric, booking_channel text, earlier boolean)
    ), changed as (
      ${sql.unsafe(UPDATE_CHANGED_RENTALS)}
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
}

export async function rentalIdsByExternal(sql: SqlClient, externalIds: string[]) {
  return sql<{ id: string; external_id: string }[]>`select id, external_id from rentals where external_id = any(${externalIds}::text[])`;
}

export interface CustomerFacts {
  id: string;
  customer_type: string;
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

/**
 * Contact facts of the customers about to be invited. Their rows stay locked until the batch commits, so
 * the fatigue rule reads a last invitation no concurrent batch can change meanwhile.
 */
export async function lockedCustomerFacts(sql: SqlClient, ids: string[]) {
  return sql<CustomerFacts[]>`
    select c.id, c.customer_type, c.email, c.phone, c.consent_email, c.consent_sms, c.opted_out_at is not null as opted_out, c.erased_at is not null as erased,
      greatest(c.last_invited_at, (select max(i.created_at) from invitations i where i.customer_id = c.id)) as last_invited_at,
      c.email_bad or exists (select 1 from bad_addresses b where b.channel = 'email' and b.address = c.email) as email_bad,
      c.phone_bad or exists (select 1 from bad_addresses b where b.channel = 'sms' and b.address = regexp_replace(c.phone, '[^0-9+]', '', 'g')) as phone_bad
    from customers c where c.id = any(${ids}::uuid[])
    order by c.id
    for update of c`;
}

/** The newest invitation (or decision not to invite) of each rental under any of the surveys. */
export async function invitationsOfRentals(sql: SqlClient, surveyIds: string[], rentalIds: string[]) {
  return sql<{ rental_id: string; id: string | null; status: string | null; expires_at: string | null; channel: string | null; outcome: string | null }[]>`
    select distinct on (d0.rental_id) d0.rental_id, i.id, i.status, i.expires_at, i.channel, d.outcome
    from unnest(${rentalIds}::uuid[]) as d0(rental_id)
    left join invitation_decisions d on d.rental_id = d0.rental_id and d.survey_id = any(${surveyIds}::uuid[])
    left join invitations i on i.rental_id = d0.rental_id and i.survey_id = any(${surveyIds}::uuid[])
    where d.rental_id is not null or i.id is not null
    order by d0.rental_id, (i.id is null), i.created_at desc, d.decided_at desc`;
}

/** Decisions not to invite, and the invitations with their first deliveries, of one batch. */
export async function writeInvitations(
  sql: SqlClient,
  decisions: { survey_id: string; rental_id: string; branch_id: string; outcome: string }[],
  invitations: {
    id: string;
    survey_id: string;
    survey_version_id: string;
    rental_id: string;
    customer_id: string;
    branch_id: string;
    token_hash: string;
    channel: string;
    due_at: string;
    expires_at: string;
  }[],
  deliveries: { id: string; invitation_id: string; channel: string; due_at: string; due_now: boolean }[],
  now: Date,
) {
  const nowIso = now.toISOString();
  if (invitations.length > 0) {
    await sql`update customers set last_invited_at = ${nowIso} where id = any(${[...new Set(invitations.map((c) => c.customer_id))]}::uuid[])`;
  }
  if (decisions.length > 0) {
    await sql`
      insert into invitation_decisions (survey_id, rental_id, branch_id, outcome, decided_at)
      select x.survey_id, x.rental_id, x.branch_id, x.outcome, ${nowIso}
      from json_to_recordset(${JSON.stringify(decisions)}::json) as x(survey_id uuid, rental_id uuid, branch_id uuid, outcome text)
      on conflict (survey_id, rental_id) do nothing`;
  }
  if (invitations.length === 0) return;
  await sql`
    insert into invitations (id, survey_id, survey_version_id, rental_id, customer_id, branch_id, token_hash, channel, status, scheduled_at, expires_at, created_at)
    select x.id, x.survey_id, x.survey_version_id, x.rental_id, x.customer_id, x.branch_id, x.token_hash, x.channel, 'scheduled', x.due_at, x.expires_at, ${nowIso}
    from json_to_recordset(${JSON.stringify(invitations)}::json) as x(id uuid, survey_id uuid, survey_version_id uuid, rental_id uuid, customer_id uuid, branch_id uuid, token_hash text, channel text, due_at timestamptz, expires_at timestamptz)`;
  await sql`
    insert into deliveries (id, invitation_id, step, kind, channel, status, due_at, queued_at, created_at, updated_at)
    select x.id, x.invitation_id, 0, 'invitation', x.channel, case when x.due_now then 'queued' else 'scheduled' end, x.due_at,
      case when x.due_now then ${nowIso}::timestamptz end, ${nowIso}, ${nowIso}
    from json_to_recordset(${JSON.stringify(deliveries)}::json) as x(id uuid, invitation_id uuid, channel text, due_at timestamptz, due_now boolean)`;
}
