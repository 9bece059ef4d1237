// All SQL of the rewards domain: programmes and their code pools, issuing one code per finished response
// (never twice, at most one per customer and period), the reward messages and stock alerts, redemptions
// and the uptake report.
import { conflict, notFound, unprocessable } from '../lib/problem.ts';
import type { SqlClient } from '../queue/queue.ts';
import type { Redemption, RewardProgramme, RewardProgrammeCreate, RewardProgrammeUpdate } from './rewards.schemas.ts';

interface ProgrammeRow {
  id: string;
  survey_id: string;
  survey_name: string;
  name: string;
  name_en: string | null;
  kind: 'coupon' | 'points';
  period: 'month' | 'quarter' | 'year';
  time_zone: string;
  low_stock_threshold: number;
  active: boolean;
  total: number;
  available: number;
  issued: number;
  redeemed: number;
  owed: number;
  created_at: Date;
  updated_at: Date;
}

const toProgramme = (r: ProgrammeRow): RewardProgramme => ({
  id: r.id,
  surveyId: r.survey_id,
  surveyName: r.survey_name,
  name: r.name,
  nameEn: r.name_en,
  kind: r.kind,
  period: r.period,
  timeZone: r.time_zone,
  lowStockThreshold: r.low_stock_threshold,
  active: r.active,
  stock: { total: Number(r.total), available: Number(r.available), issued: Number(r.issued), redeemed: Number(r.redeemed), owed: Number(r.owed) },
  lowStock: Number(r.available) <= r.low_stock_threshold,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Programmes (newest first) with the counts of their pools. */
export async function listProgrammes(sql: SqlClient, filter: { id?: string } = {}): Promise<RewardProgramme[]> {
  const rows = await sql<ProgrammeRow[]>`
    select p.id, p.survey_id, s.name as survey_name, p.name, p.name_en, p.kind, p.period, p.time_zone,
           p.low_stock_threshold, p.active, p.created_at, p.updated_at,
           coalesce(c.total, 0) as total, coalesce(c.available, 0) as available,
           coalesce(c.issued, 0) as issued, coalesce(c.redeemed, 0) as redeemed,
           (select count(*)::int from reward_owed o where o.programme_id = p.id and o.settled_at is null) as owed
    from reward_programmes p
    join surveys s on s.id = p.survey_id
    left join lateral (
      select count(*)::int as total,
             count(*) filter (where issued_at is null)::int as available,
             count(*) filter (where issued_at is not null)::int as issued,
             count(*) filter (where redeemed_at is not null)::int as redeemed
      from reward_codes where programme_id = p.id
    ) c on true
    where (${filter.id ?? null}::uuid is null or p.id = ${filter.id ?? null})
    order by p.created_at desc, p.id`;
  return rows.map(toProgramme);
}

export async function oneProgramme(sql: SqlClient, id: string): Promise<RewardProgramme> {
  const [programme] = await listProgrammes(sql, { id });
  if (!programme) throw notFound('No such reward programme');
  return programme;
}

export async function createProgramme(sql: SqlClient, input: RewardProgrammeCreate, timeZone: string, now: Date): Promise<RewardProgramme> {
  const [survey] = await sql<{ id: string }[]>`select id from surveys where id = ${input.surveyId}`;
  if (!survey) throw unprocessable('No such survey', [{ path: 'surveyId', code: 'unknown_survey', message: 'no survey with this id' }]);
  const [row] = await sql<{ id: string }[]>`
    insert into reward_programmes (survey_id, name, name_en, kind, period, time_zone, low_stock_threshold, active, created_at, updated_at)
    values (${input.surveyId}, ${input.name}, ${input.nameEn ?? null}, ${input.kind}, ${input.period}, ${timeZone},
            ${input.lowStockThreshold}, ${input.active}, ${now.toISOString()}, ${now.toISOString()})
    on conflict (survey_id) do nothing
    returning id`;
  if (!row) throw conflict('This survey has a reward programme already');
  return oneProgramme(sql, row.id);
}

export async function updateProgramme(sql: SqlClient, id: string, input: RewardProgrammeUpdate, now: Date): Promise<RewardProgramme> {
  const [row] = await sql<{ id: string }[]>`
    update reward_programmes set
      name = coalesce(${input.name ?? null}, name),
      name_en = case when ${input.nameEn === undefined} then name_en else ${input.nameEn ?? null} end,
      kind = coalesce(${input.kind ?? null}, kind),
      period = coalesce(${input.period ?? null}, period),
      low_stock_threshold = coalesce(${input.lowStockThreshold ?? null}::int, low_stock_threshold),
      active = coalesce(${input.active ?? null}::boolean, active),
      updated_at = ${now.toISOString()}
    where id = ${id}
    returning id`;
  if (!row) throw notFound('No such reward programme');
  await rearmStockAlert(sql, id);
  return oneProgramme(sql, id);
}

/** Locks the programme (so two uploads of the same codes wait for each other); 404 when there is none. */
export async function lockProgramme(sql: SqlClient, id: string): Promise<void> {
  const [row] = await sql`select id from reward_programmes where id = ${id} for update`;
  if (!row) throw notFound('No such reward programme');
}

/** Which of these codes the programme's pool has already. */
export async function existingCodes(sql: SqlClient, programmeId: string, codes: string[]): Promise<Set<string>> {
  const rows = await sql<{ code: string }[]>`
    select code from reward_codes where programme_id = ${programmeId} and code = any(${codes}::text[])`;
  return new Set(rows.map((r) => r.code));
}

/** Adds codes to the pool (none may be there yet: the caller checked under the programme lock). */
export async function insertCodes(sql: SqlClient, programmeId: string, codes: string[], now: Date): Promise<number> {
  let added = 0;
  for (let i = 0; i < codes.length; i += 5000) {
    const chunk = codes.slice(i, i + 5000);
    const rows = await sql`
      insert into reward_codes (programme_id, code, added_at)
      select ${programmeId}, x, ${now.toISOString()} from unnest(${chunk}::text[]) as x
      on conflict (programme_id, code) do nothing
      returning id`;
    added += rows.length;
  }
  await rearmStockAlert(sql, programmeId);
  return added;
}

/** A pool above its threshold again (codes added, threshold lowered) alerts again when it next runs low. */
async function rearmStockAlert(sql: SqlClient, programmeId: string) {
  await sql`
    update reward_programmes p set low_stock_alerted_at = null
    where p.id = ${programmeId} and p.low_stock_alerted_at is not null
      and (select count(*) from reward_codes c where c.programme_id = p.id and c.issued_at is null) > p.low_stock_threshold`;
}

export async function availableCount(sql: SqlClient, programmeId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from reward_codes where programme_id = ${programmeId} and issued_at is null`;
  return row.n;
}

// ── Issuing ───────────────────────────────────────────────────────────────────────────────────────────

export interface ActiveProgramme {
  id: string;
  name: string;
  name_en: string | null;
  kind: 'coupon' | 'points';
  period_start: string;
}

/**
 * The survey's active programme, with a transaction-long lock on (programme, customer): two finished
 * responses of one customer are issued one after the other, so the second sees the first's code.
 */
export async function lockProgrammeForCustomer(sql: SqlClient, surveyId: string, customerId: string, now: Date): Promise<ActiveProgramme | null> {
  const [row] = await sql<(ActiveProgramme & { locked: unknown })[]>`
    select p.id, p.name, p.name_en, p.kind,
           (date_trunc(p.period, ${now.toISOString()}::timestamptz at time zone p.time_zone))::date::text as period_start,
           pg_advisory_xact_lock(hashtextextended(p.id::text || ':' || ${customerId}::text, 7019)) as locked
    from reward_programmes p
    where p.survey_id = ${surveyId} and p.active`;
  return row ?? null;
}

/**
 * Takes one code of the pool for this response: the oldest available one that no other transaction holds
 * (FOR UPDATE SKIP LOCKED: concurrent submits take different codes and never wait for each other), unless
 * the customer has a code of this period already. A new statement after the lock, so it sees every code
 * committed before. Null when the customer had one this period or the pool is empty.
 */
export async function takeCode(
  sql: SqlClient,
  p: { programmeId: string; periodStart: string; responseId: string; customerId: string; branchId: string; now: Date },
): Promise<{ id: string; code: string; message_channel: 'email' | 'sms' | null } | null> {
  const [row] = await sql<{ id: string; code: string; message_channel: 'email' | 'sms' | null }[]>`
    with pick as (
      select c.id from reward_codes c
      where c.programme_id = ${p.programmeId} and c.issued_at is null
        and not exists (
          select 1 from reward_codes x
          where x.programme_id = ${p.programmeId} and x.customer_id = ${p.customerId} and x.period_start = ${p.periodStart}::date)
      order by c.added_at, c.code
      limit 1
      for update skip locked
    ), channel as (
      select cu.value_tier, ${messageChannelSql(sql)} as channel
      from customers cu where cu.id = ${p.customerId}
    )
    update reward_codes r set
      issued_at = ${p.now.toISOString()}, response_id = ${p.responseId}, customer_id = ${p.customerId}, branch_id = ${p.branchId},
      value_tier = (select value_tier from channel), period_start = ${p.periodStart}::date,
      message_channel = (select channel from channel),
      message_status = case when (select channel from channel) is null then 'skipped' else 'pending' end
    from pick
    where r.id = pick.id
    returning r.id, r.code, r.message_channel`;
  return row ?? null;
}

/** Where a customer's reward message goes (`cu` = their customers row): e-mail, else SMS, else nowhere. */
const messageChannelSql = (sql: SqlClient) => sql`
  case when cu.erased_at is not null then null
       when cu.email is not null and not cu.email_bad and cu.consent_email then 'email'
       when cu.phone is not null and not cu.phone_bad and cu.consent_sms then 'sms'
  end`;

export async function messageChannelOf(sql: SqlClient, customerId: string): Promise<'email' | 'sms' | null> {
  const [row] = await sql<{ channel: 'email' | 'sms' | null }[]>`select ${messageChannelSql(sql)} as channel from customers cu where cu.id = ${customerId}`;
  return row?.channel ?? null;
}

/** The reward a finished response is still owed (its link opened again before codes were added). */
export async function owedOfResponse(sql: SqlClient, responseId: string) {
  const [row] = await sql<{ customer_id: string; name: string; name_en: string | null; kind: 'coupon' | 'points' }[]>`
    select o.customer_id, p.name, p.name_en, p.kind
    from reward_owed o join reward_programmes p on p.id = o.programme_id
    where o.response_id = ${responseId} and o.settled_at is null`;
  return row ?? null;
}

/**
 * Notes that this customer earned a reward while the pool was empty, unless they have a code of this
 * period already or are owed one. True when the note was made.
 */
export async function oweReward(
  sql: SqlClient,
  p: { programmeId: string; periodStart: string; responseId: string; customerId: string; branchId: string; now: Date },
): Promise<boolean> {
  const rows = await sql`
    insert into reward_owed (programme_id, response_id, customer_id, branch_id, period_start, owed_at)
    select ${p.programmeId}, ${p.responseId}, ${p.customerId}, ${p.branchId}, ${p.periodStart}::date, ${p.now.toISOString()}
    where not exists (
      select 1 from reward_codes x
      where x.programme_id = ${p.programmeId} and x.customer_id = ${p.customerId} and x.period_start = ${p.periodStart}::date)
    on conflict (programme_id, customer_id, period_start) do nothing
    returning id`;
  return rows.length > 0;
}

export interface OwedReward {
  id: string;
  response_id: string;
  customer_id: string;
  branch_id: string;
  period_start: string;
}

/** The programme's unsettled owed rewards, oldest first, locked for settling. */
export async function openOwedRewards(sql: SqlClient, programmeId: string): Promise<OwedReward[]> {
  return sql<OwedReward[]>`
    select id, response_id, customer_id, branch_id, period_start::text as period_start from reward_owed
    where programme_id = ${programmeId} and settled_at is null
    order by owed_at, id
    for update skip locked`;
}

/** The same transaction-long lock on (programme, customer) that issuing at a submit takes. */
export async function lockCustomerOfProgramme(sql: SqlClient, programmeId: string, customerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${programmeId}::text || ':' || ${customerId}::text, 7019))`;
}

export async function settleOwedReward(sql: SqlClient, id: string, codeId: string | null, now: Date): Promise<void> {
  await sql`update reward_owed set code_id = ${codeId}, settled_at = ${now.toISOString()} where id = ${id}`;
}

/** The code a finished response was given, for the thank-you page when the link is opened again. */
export async function codeOfResponse(sql: SqlClient, responseId: string) {
  const [row] = await sql<{ code: string; message_channel: 'email' | 'sms' | null; name: string; name_en: string | null; kind: 'coupon' | 'points' }[]>`
    select c.code, c.message_channel, p.name, p.name_en, p.kind
    from reward_codes c join reward_programmes p on p.id = c.programme_id
    where c.response_id = ${responseId}`;
  return row ?? null;
}

// ── Reward messages and stock alerts ──────────────────────────────────────────────────────────────────

export interface CodeMessageRow {
  id: string;
  programme_id: string;
  code: string;
  message_channel: 'email' | 'sms' | null;
  message_status: string | null;
  message_attempts: number;
  name: string;
  name_en: string | null;
  kind: 'coupon' | 'points';
  customer_name: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  branch_name: string | null;
  branch_name_en: string | null;
}

/** The issued code and what its message needs, locked for this transaction (skipped when another worker holds it). */
export async function lockCodeForMessage(sql: SqlClient, codeId: string): Promise<CodeMessageRow | null> {
  const [row] = await sql<CodeMessageRow[]>`
    select c.id, c.programme_id, c.code, c.message_channel, c.message_status, c.message_attempts,
           p.name, p.name_en, p.kind, cu.name as customer_name, cu.email, cu.phone,
           coalesce(r.locale, cu.preferred_language) as locale, b.name as branch_name, b.name_en as branch_name_en
    from reward_codes c
    join reward_programmes p on p.id = c.programme_id
    left join customers cu on cu.id = c.customer_id and cu.erased_at is null
    left join responses r on r.id = c.response_id
    left join branches b on b.id = c.branch_id
    where c.id = ${codeId}
    for update of c skip locked`;
  return row ?? null;
}

export async function programmeOfCode(sql: SqlClient, codeId: string): Promise<string | null> {
  const [row] = await sql<{ programme_id: string }[]>`select programme_id from reward_codes where id = ${codeId}`;
  return row?.programme_id ?? null;
}

export async function recordMessage(
  sql: SqlClient,
  codeId: string,
  outcome: { status: 'sent' | 'pending' | 'failed' | 'skipped'; error?: string | null; at: Date },
) {
  await sql`
    update reward_codes set
      message_status = ${outcome.status},
      message_attempts = message_attempts + case when ${outcome.status} = 'skipped' then 0 else 1 end,
      message_error = ${outcome.error ?? null},
      message_sent_at = case when ${outcome.status} = 'sent' then ${outcome.at.toISOString()}::timestamptz else message_sent_at end
    where id = ${codeId}`;
}

/**
 * Marks the programme alerted when its pool is at or under the threshold and was not alerted since it was
 * last above it; the row lock lets exactly one caller do so. Returns what the alert says, or null.
 */
export async function claimLowStockAlert(sql: SqlClient, programmeId: string, now: Date) {
  const [row] = await sql<{ id: string; name: string; name_en: string | null; threshold: number; remaining: number; alerted_at: Date }[]>`
    update reward_programmes p set low_stock_alerted_at = ${now.toISOString()}
    where p.id = ${programmeId} and p.active and p.low_stock_alerted_at is null
      and (select count(*) from reward_codes c where c.programme_id = p.id and c.issued_at is null) <= p.low_stock_threshold
    returning p.id, p.name, p.name_en, p.low_stock_threshold as threshold, p.low_stock_alerted_at as alerted_at,
              (select count(*)::int from reward_codes c where c.programme_id = p.id and c.issued_at is null) as remaining`;
  return row ?? null;
}

/** E-mail addresses of the quality managers who can sign in. */
export async function qualityManagerEmails(sql: SqlClient): Promise<string[]> {
  const rows = await sql<{ email: string }[]>`
    select email from users where role = 'quality_manager' and disabled_at is null order by email`;
  return rows.map((r) => r.email);
}

export async function insertAlerts(
  sql: SqlClient,
  alerts: { programmeId: string; recipient: string; remaining: number; key: string; subject: string; body: string }[],
  now: Date,
) {
  if (alerts.length === 0) return;
  const values = alerts.map((a) => ({
    programme_id: a.programmeId,
    recipient: a.recipient,
    remaining: a.remaining,
    idempotency_key: a.key,
    subject: a.subject,
    body: a.body,
  }));
  await sql`
    insert into reward_alerts (programme_id, recipient, remaining, idempotency_key, subject, body, created_at)
    select x.programme_id, x.recipient, x.remaining, x.idempotency_key, x.subject, x.body, ${now.toISOString()}
    from json_to_recordset(${JSON.stringify(values)}::json)
      as x(programme_id uuid, recipient text, remaining int, idempotency_key text, subject text, body text)
    on conflict (idempotency_key) do nothing`;
}

export async function pendingAlertIds(sql: SqlClient, maxAttempts: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from reward_alerts where status = 'pending' and attempts < ${maxAttempts} order by created_at limit 200`;
  return rows.map((r) => r.id);
}

export async function lockAlert(sql: SqlClient, id: string) {
  const [row] = await sql<{ id: string; recipient: string; subject: string; body: string; attempts: number; idempotency_key: string }[]>`
    select id, recipient, subject, body, attempts, idempotency_key from reward_alerts
    where id = ${id} and status = 'pending' for update skip locked`;
  return row ?? null;
}

export async function recordAlert(sql: SqlClient, id: string, outcome: { status: 'sent' | 'pending' | 'failed'; error?: string | null; at: Date }) {
  await sql`
    update reward_alerts set status = ${outcome.status}, attempts = attempts + 1, last_error = ${outcome.error ?? null},
      sent_at = case when ${outcome.status} = 'sent' then ${outcome.at.toISOString()}::timestamptz else sent_at end
    where id = ${id}`;
}

// ── Redemptions ───────────────────────────────────────────────────────────────────────────────────────

export interface RedemptionTarget {
  id: string;
  code: string;
  issued_at: Date | null;
  redeemed_at: Date | null;
}

/** The programme's codes named by these redemptions, locked until the transaction ends. */
export async function lockCodesForRedemption(sql: SqlClient, programmeId: string, codes: string[]): Promise<Map<string, RedemptionTarget>> {
  const rows = await sql<RedemptionTarget[]>`
    select id, code, issued_at, redeemed_at from reward_codes
    where programme_id = ${programmeId} and code = any(${codes}::text[])
    order by id
    for update`;
  return new Map(rows.map((r) => [r.code, r]));
}

export async function markRedeemed(sql: SqlClient, rows: { id: string; redeemedAt: string; branch: string | null }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((r) => ({ id: r.id, redeemed_at: r.redeemedAt, branch: r.branch }));
  const updated = await sql`
    update reward_codes c set redeemed_at = x.redeemed_at, redeemed_branch = x.branch
    from json_to_recordset(${JSON.stringify(values)}::json) as x(id uuid, redeemed_at timestamptz, branch text)
    where c.id = x.id
    returning c.id`;
  return updated.length;
}

export type { Redemption };

// ── Uptake ────────────────────────────────────────────────────────────────────────────────────────────

export interface UptakeRow {
  branch_id: string | null;
  branch_code: string | null;
  branch_name: string | null;
  branch_name_en: string | null;
  value_tier: 'A' | 'B' | 'C' | null;
  issued: number;
  redeemed: number;
}

/**
 * Codes issued in the period (days in the programme's time zone) and how many of them were redeemed, per
 * issuing branch and customer value tier (the tier when the code was issued). `scope`: branch ids, null = all.
 */
export async function uptakeRows(sql: SqlClient, programmeId: string, period: { from?: string; to?: string }, scope: string[] | null): Promise<UptakeRow[]> {
  const rows = await sql<UptakeRow[]>`
    select c.branch_id, b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en, c.value_tier,
           count(*)::int as issued, count(c.redeemed_at)::int as redeemed
    from reward_codes c
    join reward_programmes p on p.id = c.programme_id
    left join branches b on b.id = c.branch_id
    where c.programme_id = ${programmeId} and c.issued_at is not null
      and (${period.from ?? null}::date is null or (c.issued_at at time zone p.time_zone)::date >= ${period.from ?? null}::date)
      and (${period.to ?? null}::date is null or (c.issued_at at time zone p.time_zone)::date <= ${period.to ?? null}::date)
      and (${scope}::uuid[] is null or c.branch_id = any(${scope}::uuid[]))
    group by c.branch_id, b.code, b.name, b.name_en, c.value_tier
    order by b.code nulls last, c.value_tier nulls last`;
  return rows.map((r) => ({ ...r, issued: Number(r.issued), redeemed: Number(r.redeemed) }));
}
