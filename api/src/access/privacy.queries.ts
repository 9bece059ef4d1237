// Export and erasure of one customer's personal data, and the retention period applied by a job.
// Erasure keeps the customer's rows (so counts, scores and segments stay in the statistics) and removes
// what identifies them: name, email, phone, the external ids that link back to the rental system,
// free-text answers, case notes and resolutions, copies of sent messages and bounce-list entries.
import type { Sql } from '../db/client.ts';
import { notFound } from '../lib/problem.ts';

const ts = (v: string | null) => (v ? new Date(v).toISOString() : null);

export interface CustomerMatch {
  id: string;
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  erasedAt: string | null;
  rentals: number;
  responses: number;
  lastRentalAt: string | null;
}

/** Exact matches on external id, email, name, or phone (its last digits, with or without country code). */
export async function searchCustomers(sql: Sql, query: string): Promise<CustomerMatch[]> {
  const q = query.trim();
  const digits = q.replace(/\D/g, '');
  const rows = await sql<(Omit<CustomerMatch, 'erasedAt' | 'lastRentalAt'> & { erasedAt: string | null; lastRentalAt: string | null })[]>`
    select c.id, c.external_id as "externalId", c.name, c.email, c.phone, to_json(c.erased_at)#>>'{}' as "erasedAt",
           (select count(*) from rentals x where x.customer_id = c.id)::int as rentals,
           (select count(*) from responses r where r.customer_id = c.id)::int as responses,
           (select to_json(max(x.returned_at))#>>'{}' from rentals x where x.customer_id = c.id) as "lastRentalAt"
    from customers c
    where c.external_id = ${q}
       or lower(c.email) = lower(${q})
       or (${digits.length >= 7} and right(regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g'), ${digits.length}) = ${digits})
       or c.name = ${q}
    order by c.created_at
    limit 20`;
  return rows.map((r) => ({ ...r, erasedAt: ts(r.erasedAt), lastRentalAt: ts(r.lastRentalAt) }));
}

/** Everything stored about one customer, as JSON (the right of access). */
export async function exportCustomer(sql: Sql, customerId: string, now: Date) {
  const [customer] = await sql`
    select id, external_id as "externalId", name, email, phone, preferred_language as "preferredLanguage",
           consent_email as "consentEmail", consent_sms as "consentSms", customer_type as "customerType",
           member_level as "memberLevel", value_tier as "valueTier", email_bad as "emailBad", phone_bad as "phoneBad",
           to_json(opted_out_at)#>>'{}' as "optedOutAt", to_json(erased_at)#>>'{}' as "erasedAt",
           to_json(created_at)#>>'{}' as "createdAt", to_json(updated_at)#>>'{}' as "updatedAt"
    from customers where id = ${customerId}`;
  if (!customer) throw notFound('No such customer');
  const rentals = await sql`
    select x.id, x.external_id as "externalId", pb.code as "pickupBranch", rb.code as "returnBranch", x.vehicle_class as "vehicleClass",
           to_json(x.picked_up_at)#>>'{}' as "pickedUpAt", to_json(x.returned_at)#>>'{}' as "returnedAt",
           x.amount::float8 as amount, x.booking_channel as "bookingChannel"
    from rentals x join branches pb on pb.id = x.pickup_branch_id join branches rb on rb.id = x.return_branch_id
    where x.customer_id = ${customerId} order by x.returned_at`;
  const invitations = await sql`
    select i.id, s.name as survey, i.channel, i.status, to_json(i.scheduled_at)#>>'{}' as "scheduledAt",
           to_json(i.sent_at)#>>'{}' as "sentAt", to_json(i.opened_at)#>>'{}' as "openedAt",
           to_json(i.expires_at)#>>'{}' as "expiresAt", i.reminders_sent as "remindersSent"
    from invitations i join surveys s on s.id = i.survey_id
    where i.customer_id = ${customerId} order by i.created_at`;
  const responses = await sql`
    select r.id, s.name as survey, v.version as "surveyVersion", b.code as branch, r.locale, r.status,
           to_json(r.started_at)#>>'{}' as "startedAt", to_json(r.finished_at)#>>'{}' as "finishedAt",
           coalesce((select json_agg(json_build_object('questionId', a.question_id, 'itemId', a.item_id, 'number', a.value_number,
                       'choices', a.choice_ids, 'text', a.value_text) order by a.id) from answers a where a.response_id = r.id), '[]'::json) as answers
    from responses r join surveys s on s.id = r.survey_id join survey_versions v on v.id = r.survey_version_id
    left join branches b on b.id = r.branch_id
    where r.customer_id = ${customerId} order by r.started_at`;
  // Cases about the customer: complaints they made and cases raised by their answers, with what staff wrote
  // down (the description, the timeline's notes and contact log, the resolution and any compensation).
  const cases = await sql`
    select k.number, k.channel, k.status, to_json(k.created_at)#>>'{}' as "openedAt", b.code as branch,
           k.description, k.root_cause as "rootCause", k.resolution, k.compensation_type as "compensationType",
           k.compensation_amount::float8 as "compensationAmount", to_json(k.resolved_at)#>>'{}' as "resolvedAt",
           coalesce((select json_agg(json_build_object('at', to_json(e.at)#>>'{}', 'kind', e.kind, 'channel', e.channel, 'body', e.body)
                       order by e.id) from case_events e where e.case_id = k.id), '[]'::json) as events
    from cases k left join branches b on b.id = k.branch_id
    where k.customer_id = ${customerId} order by k.created_at`;
  // Rewards given for their feedback, with the code itself: it is theirs.
  const rewards = await sql`
    select p.name as programme, p.name_en as "programmeEn", c.code, to_json(c.issued_at)#>>'{}' as "issuedAt",
           to_json(c.redeemed_at)#>>'{}' as "redeemedAt", c.message_channel as "sentBy", to_json(c.message_sent_at)#>>'{}' as "sentAt"
    from reward_codes c join reward_programmes p on p.id = c.programme_id
    where c.customer_id = ${customerId} order by c.issued_at`;
  return { exportedAt: now.toISOString(), customer, rentals, invitations, responses, cases, rewards };
}

export interface ErasureResult {
  customers: number;
  rentals: number;
  answersRemoved: number;
  answersCleared: number;
  invitationsCancelled: number;
}

/**
 * Erases the personal data of these customers in one transaction; customers already erased are skipped.
 * Responses stay (with their scores, branch and segment attributes) so the statistics keep them.
 */
export async function eraseCustomers(sql: Sql, customerIds: string[], now: Date): Promise<ErasureResult & { ids: string[] }> {
  if (customerIds.length === 0) return { ids: [], customers: 0, rentals: 0, answersRemoved: 0, answersCleared: 0, invitationsCancelled: 0 };
  const at = now.toISOString();
  return sql.begin(async (tx) => {
    // Addresses other domains keep beside the customer row: bounce lists and copies of sent messages.
    await tx`
      delete from bad_addresses b using customers c
      where c.id = any(${customerIds}::uuid[]) and c.erased_at is null
        and ((b.channel = 'email' and lower(b.address) = lower(c.email))
          or (b.channel = 'sms' and regexp_replace(b.address, '\\D', '', 'g') = regexp_replace(c.phone, '\\D', '', 'g')))`;
    await tx`
      delete from outbox_messages o using deliveries d, invitations i, customers c
      where o.delivery_id = d.id and d.invitation_id = i.id and i.customer_id = c.id
        and c.id = any(${customerIds}::uuid[]) and c.erased_at is null`;
    const erased = await tx<{ id: string }[]>`
      update customers set name = null, email = null, phone = null, external_id = 'erased:' || id::text,
             consent_email = false, consent_sms = false, erased_at = ${at}, updated_at = ${at}
      where id = any(${customerIds}::uuid[]) and erased_at is null
      returning id`;
    const ids = erased.map((e) => e.id);
    if (ids.length === 0) return { ids, customers: 0, rentals: 0, answersRemoved: 0, answersCleared: 0, invitationsCancelled: 0 };
    const rentals = await tx`update rentals set external_id = 'erased:' || id::text where customer_id = any(${ids}::uuid[])`;
    // Free text can name or describe the person: text-only answers go, text beside a choice is cleared.
    const removed = await tx`
      delete from answers a using responses r
      where r.id = a.response_id and r.customer_id = any(${ids}::uuid[])
        and a.value_text is not null and a.value_number is null and a.choice_ids is null`;
    const cleared = await tx`
      update answers a set value_text = null from responses r
      where r.id = a.response_id and r.customer_id = any(${ids}::uuid[]) and a.value_text is not null`;
    const cancelled = await tx`
      update invitations set status = 'opted_out' where customer_id = any(${ids}::uuid[]) and status = 'scheduled'`;
    // Case notes, contact logs and resolutions are free text about the person; the case and its timing stay.
    await tx`update case_events e set body = null from cases k where k.id = e.case_id and k.customer_id = any(${ids}::uuid[]) and e.body is not null`;
    await tx`update cases set resolution = null, description = null where customer_id = any(${ids}::uuid[]) and (resolution is not null or description is not null)`;
    // A complaint's attachments (photos, receipts, the customer's email) are about the person too.
    await tx`delete from case_attachments x using cases k where k.id = x.case_id and k.customer_id = any(${ids}::uuid[])`;
    return {
      ids,
      customers: ids.length,
      rentals: rentals.count,
      answersRemoved: removed.count,
      answersCleared: cleared.count,
      invitationsCancelled: cancelled.count,
    };
  });
}

/** Customers whose last rental (or, without rentals, their record) is older than the retention period. */
export async function customersDueForErasure(sql: Sql, retentionDays: number, now: Date, limit = 500): Promise<string[]> {
  if (retentionDays <= 0) return [];
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const rows = await sql<{ id: string }[]>`
    select c.id from customers c
    where c.erased_at is null
      and (c.created_at < ${cutoff} or exists (select 1 from rentals x where x.customer_id = c.id))
      and not exists (select 1 from rentals x where x.customer_id = c.id and x.returned_at >= ${cutoff})
      and not exists (select 1 from responses r where r.customer_id = c.id and r.started_at >= ${cutoff})
    order by c.created_at
    limit ${limit}`;
  return rows.map((r) => r.id);
}

export async function countDueForErasure(sql: Sql, retentionDays: number, now: Date): Promise<number> {
  if (retentionDays <= 0) return 0;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from customers c
    where c.erased_at is null
      and (c.created_at < ${cutoff} or exists (select 1 from rentals x where x.customer_id = c.id))
      and not exists (select 1 from rentals x where x.customer_id = c.id and x.returned_at >= ${cutoff})
      and not exists (select 1 from responses r where r.customer_id = c.id and r.started_at >= ${cutoff})`;
  return row.n;
}

/** Whether the customer exists and when they were erased (null while not erased); undefined for no such customer. */
export async function customerErasure(sql: Sql, customerId: string): Promise<{ erasedAt: string | null } | undefined> {
  const [row] = await sql<{ erasedAt: string | null }[]>`select to_json(erased_at)#>>'{}' as "erasedAt" from customers where id = ${customerId}`;
  return row;
}

/** The newest retention run (the scheduled job's or a manual one), from the audit log. */
export async function lastRetentionRun(sql: Sql): Promise<{ at: string; details: { customers?: number } | null } | undefined> {
  const [row] = await sql<{ at: string; details: { customers?: number } | null }[]>`
    select to_json(at)#>>'{}' as at, details from audit_log where action in ('privacy.retention_run', 'customer.erase_retention')
    order by id desc limit 1`;
  return row;
}
