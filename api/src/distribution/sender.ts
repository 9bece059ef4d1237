// Sends one delivery (an invitation or a reminder). Exactly-once per message rests on the idempotency key
// (invitation, step, channel, address): before the last bytes of a message reach the provider, an attempt
// claiming that key is committed; the key can be claimed once by an attempt that is handing over or was
// accepted. See README.md in this folder for the guarantee.
import { createHash } from 'node:crypto';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { txSql, type SqlClient } from '../queue/queue.ts';
import { normalizeEmail, normalizePhone } from './ingest.ts';
import { messageLocale, renderEmail, renderSms } from './messages.ts';
import { chooseChannel, DAY_MS } from './planning.ts';
import { RateLimiter } from './rate-limit.ts';
import { DEFAULT_RULES, invitationRulesSchema, type Channel, type InvitationRules, type MessageKind } from './rules.schemas.ts';
import { afterQuietHours, inQuietHours } from './time.ts';
import { invitationToken, optOutApiLink, optOutLink, surveyLink, tokenSecret } from './tokens.ts';
import { HandOverError, type OutgoingMessage, type Transports } from './transports.ts';

export interface SenderContext {
  deps: AppDeps;
  transports: Transports;
  limiters: Record<Channel, RateLimiter>;
  /** Test hook: called right after a message was handed over, before it is marked sent. */
  afterHandOver?: (deliveryId: string) => Promise<void> | void;
}

export function createSenderContext(deps: AppDeps, transports: Transports): SenderContext {
  return {
    deps,
    transports,
    limiters: { email: new RateLimiter(deps.env.EMAIL_RATE_PER_SECOND), sms: new RateLimiter(deps.env.SMS_RATE_PER_SECOND) },
  };
}

interface DeliveryRow {
  id: string;
  invitation_id: string;
  step: number;
  kind: MessageKind;
  channel: Channel;
  status: string;
  inv_status: string;
  token_hash: string;
  expires_at: string;
  opened_at: string | null;
  survey_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: string | null;
  consent_email: boolean;
  consent_sms: boolean;
  opted_out: boolean;
  email_bad: boolean;
  phone_bad: boolean;
  branch_name: string;
  branch_name_en: string | null;
  time_zone: string;
  picked_up_at: string | null;
  returned_at: string | null;
  vehicle_class: string | null;
  response_status: string | null;
  rules: unknown;
  survey_version_id: string;
  claims: string[];
}

const defaultLocales = new Map<string, string | null>();

/** Survey versions never change: their default language is read once per process. */
async function defaultLocaleOf(sql: SqlClient, versionId: string): Promise<string | null> {
  if (!defaultLocales.has(versionId)) {
    const [v] = await sql<{ locale: string | null }[]>`select definition->>'defaultLocale' as locale from survey_versions where id = ${versionId}`;
    defaultLocales.set(versionId, v?.locale ?? null);
  }
  return defaultLocales.get(versionId) ?? null;
}

/**
 * Takes up a queued delivery: counts the attempt and reads everything the message needs, with the claims
 * already made on it, in one statement. Nothing when the delivery is no longer queued.
 */
async function takeDelivery(sql: SqlClient, id: string, now: Date): Promise<DeliveryRow | undefined> {
  const [row] = await sql<DeliveryRow[]>`
    with d as (
      update deliveries set attempts = attempts + 1, updated_at = ${now.toISOString()}
      where id = ${id} and status = 'queued'
      returning id, invitation_id, step, kind, channel, status
    )
    select d.id, d.invitation_id, d.step, d.kind, d.channel, d.status,
      i.status as inv_status, i.token_hash, i.expires_at, i.opened_at, i.survey_id, i.survey_version_id,
      c.name, c.email, c.phone, c.preferred_language, c.consent_email, c.consent_sms,
      (c.opted_out_at is not null or c.erased_at is not null) as opted_out,
      c.email_bad or exists (select 1 from bad_addresses x where x.channel = 'email' and x.address = c.email) as email_bad,
      c.phone_bad or exists (select 1 from bad_addresses x where x.channel = 'sms' and x.address = regexp_replace(c.phone, '[^0-9+]', '', 'g')) as phone_bad,
      b.name as branch_name, b.name_en as branch_name_en, b.time_zone,
      r.picked_up_at, r.returned_at, r.vehicle_class,
      (select s.status from responses s where s.invitation_id = i.id) as response_status,
      (select x.rules from invitation_rules x where x.survey_id = i.survey_id) as rules,
      array(select a.idempotency_key from send_attempts a where a.delivery_id = d.id and a.state in ('handing', 'accepted')) as claims
    from d
    join invitations i on i.id = d.invitation_id
    join customers c on c.id = i.customer_id
    join branches b on b.id = i.branch_id
    left join rentals r on r.id = i.rental_id`;
  return row;
}

function rulesOf(row: DeliveryRow): InvitationRules {
  if (row.rules === null || row.rules === undefined) return DEFAULT_RULES;
  const parsed = invitationRulesSchema.safeParse(row.rules);
  return parsed.success ? parsed.data : DEFAULT_RULES;
}

export function idempotencyKey(invitationId: string, step: number, channel: Channel, address: string): string {
  return createHash('sha256').update(`${invitationId}:${step}:${channel}:${address}`).digest('hex');
}

function addressOf(row: DeliveryRow, channel: Channel): string | null {
  if (channel === 'email') return row.email ? normalizeEmail(row.email) : null;
  return row.phone ? normalizePhone(row.phone) : null;
}

function usable(row: DeliveryRow, channel: Channel): boolean {
  return channel === 'email' ? !!row.email && row.consent_email && !row.email_bad : !!row.phone && row.consent_sms && !row.phone_bad;
}

// ── State changes ────────────────────────────────────────────────────────────────────────────────────────

async function closeDelivery(sql: SqlClient, row: DeliveryRow, status: 'skipped' | 'cancelled' | 'failed', outcome: string, now: Date, error?: string) {
  const iso = now.toISOString();
  await sql`
    update deliveries set status = ${status}, outcome = ${outcome}, last_error = ${error ?? null}, updated_at = ${iso}
    where id = ${row.id} and status = 'queued'`;
  if (status === 'failed' && row.step === 0) {
    await sql`update invitations set status = 'failed' where id = ${row.invitation_id} and status = 'scheduled'`;
  }
}

/** Marks the delivery sent and plans the next reminder, in one statement. */
async function markSent(sql: SqlClient, row: DeliveryRow, rules: InvitationRules, channel: Channel, kind: MessageKind, outcome: string, now: Date, attemptId: number | null, providerId: string | null) {
  const iso = now.toISOString();
  let nextDue: string | null = null;
  const nextStep = row.step + 1;
  if (nextStep <= rules.reminders.count && (rules.reminders.notOpened || rules.reminders.openedNotFinished)) {
    let due = new Date(now.getTime() + rules.reminders.afterDays * DAY_MS);
    if (rules.quietHours.enabled && rules.quietHours.channels.includes(channel)) due = afterQuietHours(due, row.time_zone, rules.quietHours.start, rules.quietHours.end);
    if (due.getTime() < new Date(row.expires_at).getTime()) nextDue = due.toISOString();
  }
  await sql`
    with attempt as (
      update send_attempts set state = 'accepted', finished_at = ${iso}, provider_message_id = ${providerId}
      where id = ${attemptId ?? -1}
    ), delivery as (
      update deliveries set status = 'sent', outcome = ${outcome}, channel = ${channel}, kind = ${kind}, sent_at = ${iso}, updated_at = ${iso}
      where id = ${row.id} and status = 'queued'
    ), invitation as (
      update invitations set
        status = case when status in ('scheduled', 'failed') then 'sent' else status end,
        sent_at = coalesce(sent_at, ${iso}), channel = case when ${row.step} = 0 then ${channel} else channel end,
        reminders_sent = greatest(reminders_sent, ${row.step})
      where id = ${row.invitation_id}
    )
    insert into deliveries (invitation_id, step, kind, channel, status, due_at, created_at, updated_at)
    select ${row.invitation_id}, ${nextStep}, 'reminder_not_opened', ${channel}, 'scheduled', ${nextDue}::timestamptz, ${iso}, ${iso}
    where ${nextDue}::timestamptz is not null
    on conflict (invitation_id, step) do nothing`;
}

async function markBadAddress(sql: SqlClient, channel: Channel, address: string, reason: string, now: Date) {
  await sql`insert into bad_addresses (channel, address, reason, created_at) values (${channel}, ${address}, ${reason.slice(0, 300)}, ${now.toISOString()}) on conflict do nothing`;
  if (channel === 'email') await sql`update customers set email_bad = true, updated_at = ${now.toISOString()} where email = ${address} and not email_bad`;
  else await sql`update customers set phone_bad = true, updated_at = ${now.toISOString()} where regexp_replace(phone, '[^0-9+]', '', 'g') = ${address} and not phone_bad`;
}

/** An earlier attempt at this message claimed the key: accepted = sent; still handing over = its process died mid-way. */
async function settleClaimed(sql: SqlClient, row: DeliveryRow, rules: InvitationRules, channel: Channel, kind: MessageKind, key: string, now: Date): Promise<boolean> {
  const [existing] = await sql<{ id: number; state: string }[]>`
    select id, state from send_attempts where idempotency_key = ${key} and state in ('handing', 'accepted') limit 1`;
  if (!existing) return false;
  if (existing.state === 'handing') {
    // The hand-over was interrupted after its claim: the message most probably reached the provider and is
    // never sent again automatically (it shows as "unconfirmed").
    log.warn('delivery hand-over outcome unknown; not sent again', { delivery: row.id });
    await markSent(sql, row, rules, channel, kind, 'unconfirmed', now, null, null);
  } else {
    await markSent(sql, row, rules, channel, kind, 'accepted', now, null, null);
  }
  return true;
}

class ClaimTaken extends Error {}

// ── The send ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Handles the send job of one delivery. Returns normally when the delivery reached a final state (or was
 * rescheduled); throws to have the job retried with backoff.
 */
export async function processDelivery(ctx: SenderContext, deliveryId: string): Promise<void> {
  const { deps } = ctx;
  const sql = deps.sql;
  for (let round = 0; round < 3; round++) {
    const now = deps.now();
    const row = await takeDelivery(sql, deliveryId, now);
    if (!row) return;
    const rules = rulesOf(row);

    if (row.inv_status === 'finished' || row.response_status === 'finished') return closeDelivery(sql, row, 'skipped', 'finished', now);
    if (row.inv_status === 'expired' || new Date(row.expires_at).getTime() <= now.getTime()) return closeDelivery(sql, row, 'skipped', 'expired', now);
    if (row.inv_status === 'opted_out' || row.opted_out) return closeDelivery(sql, row, 'skipped', 'opted_out', now);

    let kind: MessageKind = row.kind;
    if (row.step > 0) {
      if (row.step > rules.reminders.count) return closeDelivery(sql, row, 'cancelled', 'reminders_off', now);
      kind = row.opened_at ? 'reminder_unfinished' : 'reminder_not_opened';
      if (kind === 'reminder_unfinished' && !rules.reminders.openedNotFinished) return closeDelivery(sql, row, 'skipped', 'audience', now);
      if (kind === 'reminder_not_opened' && !rules.reminders.notOpened) return closeDelivery(sql, row, 'skipped', 'audience', now);
    }

    // The planned channel, or the next one in the rules' order when its address went bad or consent was withdrawn.
    let channel: Channel | null = row.channel;
    if (!usable(row, channel)) {
      channel = chooseChannel(rules, {
        email: row.email,
        phone: row.phone,
        consentEmail: row.consent_email,
        consentSms: row.consent_sms,
        optedOut: false,
        erased: false,
        lastInvitedAt: null,
        emailBad: row.email_bad,
        phoneBad: row.phone_bad,
      });
      if (!channel) {
        const bad = (row.channel === 'email' && row.email_bad) || (row.channel === 'sms' && row.phone_bad);
        return closeDelivery(sql, row, 'failed', bad ? 'bad_address' : 'no_address', now);
      }
    }
    const address = addressOf(row, channel)!;

    // Never inside the quiet hours, also after retries: wait for their end.
    const q = rules.quietHours;
    if (q.enabled && q.channels.includes(channel) && inQuietHours(now, row.time_zone, q.start, q.end)) {
      const due = afterQuietHours(now, row.time_zone, q.start, q.end);
      await sql`
        update deliveries set status = 'scheduled', channel = ${channel}, due_at = ${due.toISOString()}, queued_at = null, updated_at = ${now.toISOString()}
        where id = ${row.id} and status = 'queued'`;
      return;
    }

    const secret = tokenSecret(deps.env);
    const { token, tokenHash } = invitationToken(secret, row.invitation_id);
    if (tokenHash !== row.token_hash) {
      // Made with another secret (or not by this domain): no link can be written for it.
      return closeDelivery(sql, row, 'failed', 'no_link', now, 'the invitation token cannot be derived (TOKEN_SECRET changed?)');
    }
    const locale = messageLocale(row.preferred_language, await defaultLocaleOf(sql, row.survey_version_id));
    const facts = {
      customerName: row.name,
      branchName: locale === 'en' && row.branch_name_en ? row.branch_name_en : row.branch_name,
      pickedUpAt: row.picked_up_at ? new Date(row.picked_up_at) : null,
      returnedAt: row.returned_at ? new Date(row.returned_at) : null,
      vehicleClass: row.vehicle_class,
      expiresAt: new Date(row.expires_at),
      timeZone: row.time_zone,
      link: surveyLink(deps.publicUrl, token),
      optOutLink: optOutLink(deps.publicUrl, token),
    };
    const key = idempotencyKey(row.invitation_id, row.step, channel, address);
    // An earlier attempt claimed this message (its process died, or it is being sent again by hand).
    if (row.claims.includes(key) && (await settleClaimed(sql, row, rules, channel, kind, key, now))) return;

    const message: OutgoingMessage =
      channel === 'email'
        ? {
            channel,
            to: address,
            ...renderEmail(kind, locale, facts, rules.templates),
            headers: {
              'List-Unsubscribe': `<${optOutApiLink(deps.publicUrl, token)}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              'Auto-Submitted': 'auto-generated',
            },
            idempotencyKey: key,
          }
        : { channel, to: address, text: renderSms(kind, locale, facts, rules.templates), idempotencyKey: key };

    const transport = ctx.transports[channel];
    if (!transport) {
      // No provider configured: the outbox in the database; claim, message and state in one transaction.
      const done = await deps.db.transaction(async (tx) => {
        const t = txSql(tx);
        const [claim] = await t<{ id: number }[]>`
          insert into send_attempts (delivery_id, idempotency_key, transport, state, started_at, finished_at)
          values (${row.id}, ${key}, 'outbox', 'accepted', ${now.toISOString()}, ${now.toISOString()})
          on conflict (idempotency_key) where state in ('handing', 'accepted') do nothing
          returning id`;
        if (!claim) return false;
        await t`
          insert into outbox_messages (delivery_id, channel, to_address, subject, text, html, link, created_at)
          values (${row.id}, ${channel}, ${address}, ${message.subject ?? null}, ${message.text}, ${message.html ?? null}, ${facts.link}, ${now.toISOString()})
          on conflict (delivery_id) do nothing`;
        await markSent(t, row, rules, channel, kind, 'outbox', now, claim.id, null);
        return true;
      });
      if (!done) await settleClaimed(sql, row, rules, channel, kind, key, now);
      return;
    }

    await ctx.limiters[channel].take();
    let attemptId: number | null = null;
    let claimTaken = false;
    try {
      const result = await transport.send(message, {
        commitPoint: async () => {
          const [claim] = await sql<{ id: string }[]>`
            insert into send_attempts (delivery_id, idempotency_key, transport, state, started_at)
            values (${row.id}, ${key}, ${transport.name}, 'handing', ${now.toISOString()})
            on conflict (idempotency_key) where state in ('handing', 'accepted') do nothing
            returning id`;
          if (!claim) {
            claimTaken = true;
            throw new ClaimTaken('message already claimed');
          }
          attemptId = Number(claim.id);
        },
      });
      await ctx.afterHandOver?.(row.id);
      await markSent(sql, row, rules, channel, kind, 'accepted', deps.now(), attemptId, result.providerMessageId);
      return;
    } catch (error) {
      if (claimTaken) {
        await settleClaimed(sql, row, rules, channel, kind, key, now);
        return;
      }
      const failure = error instanceof HandOverError ? error : new HandOverError(error instanceof Error ? error.message : String(error), false, false, false);
      const at = deps.now().toISOString();
      if (attemptId !== null && !failure.answered) {
        // Claimed and then cut off without an answer: it may have arrived. Not sent again.
        await sql`update send_attempts set error = ${failure.message} where id = ${attemptId}`;
        await markSent(sql, row, rules, channel, kind, 'unconfirmed', deps.now(), null, null);
        return;
      }
      if (attemptId !== null) {
        await sql`update send_attempts set state = 'rejected', error = ${failure.message}, finished_at = ${at} where id = ${attemptId}`;
      } else {
        await sql`
          insert into send_attempts (delivery_id, idempotency_key, transport, state, error, started_at, finished_at)
          values (${row.id}, ${key}, ${transport.name}, 'rejected', ${failure.message}, ${now.toISOString()}, ${at})`;
      }
      await sql`update deliveries set last_error = ${failure.message}, updated_at = ${at} where id = ${row.id}`;
      if (failure.badAddress) {
        await markBadAddress(sql, channel, address, failure.message, deps.now());
        continue; // the next channel in the rules' order, if the customer has one
      }
      if (failure.permanent) return closeDelivery(sql, row, 'failed', 'rejected', deps.now(), failure.message);
      throw failure;
    }
  }
}

/** The dead-letter queue: the last retry failed. */
export async function markDead(deps: AppDeps, deliveryId: string, reason: string | null) {
  const now = deps.now().toISOString();
  const [row] = await deps.sql<{ invitation_id: string; step: number }[]>`
    update deliveries set status = 'dead', outcome = 'retries_exhausted', last_error = coalesce(${reason}, last_error), updated_at = ${now}
    where id = ${deliveryId} and status = 'queued'
    returning invitation_id, step`;
  if (row && row.step === 0) await deps.sql`update invitations set status = 'failed' where id = ${row.invitation_id} and status = 'scheduled'`;
}
