// Sends one delivery (an invitation or a reminder). Exactly-once per message rests on the idempotency key
// (invitation, step, channel, address): before the last bytes of a message reach the provider, an attempt
// claiming that key is committed; the key can be claimed once by an attempt that is handing over or was
// accepted. See README.md in this folder for the guarantee.
import { createHash } from 'node:crypto';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { txSql, type SqlClient } from '../queue/queue.ts';
import { Slots } from '../queue/slots.ts';
import { normalizeEmail, normalizePhone } from './ingest.ts';
import { messageLocale, renderEmail, renderSms } from './messages.ts';
import { chooseChannel, DAY_MS } from './planning.ts';
import { RateLimiter } from './rate-limit.ts';
import { DEFAULT_RULES, invitationRulesSchema, type Channel, type InvitationRules, type MessageKind } from './rules.schemas.ts';
import { afterQuietHours, inQuietHours } from './time.ts';
import { invitationToken, optOutApiLink, optOutLink, surveyLink, tokenSecret } from './tokens.ts';
import { recordProviderFailure, recordProviderSuccess } from './status.queries.ts';
import { HandOverError, type OutgoingMessage, type Transports } from './transports.ts';
import { GroupWrite } from './group-write.ts';
import { brandForSending } from '../brands/brands.queries.ts';
import { emailScaleFor } from '../open-links/email-question.queries.ts';
import {
  claimKeys,
  claimOf,
  closeQueuedDelivery,
  failScheduledInvitation,
  markBadAddress,
  markDeliveriesSent,
  markQueuedDeliveryDead,
  noteEmailQuestion,
  noteAttemptError,
  recordRejection,
  rescheduleQueuedDelivery,
  takeDeliveries,
  versionDefaultLocale,
  writeToOutbox,
  type Claim,
  type DeliveryRow,
  type SentMark,
} from './sender.queries.ts';

export interface SenderContext {
  deps: AppDeps;
  transports: Transports;
  limiters: Record<Channel, RateLimiter>;
  /**
   * Hand-overs in progress at once (SEND_CONCURRENCY): the provider sees that many messages at a time, while
   * the send jobs' other work (taking the delivery, rendering, marking it sent) runs beside them.
   */
  handOvers: Slots;
  /**
   * The lanes' statements written in groups (group-write.ts): taking a delivery, the claim at the commit
   * point, the mark after the hand-over. Each lane still waits for its own statement's commit, so the order
   * claim committed → last bytes → marked sent holds per message.
   */
  writes: {
    take: GroupWrite<{ id: string; at: Date }, DeliveryRow | undefined>;
    claim: GroupWrite<Claim, number | null>;
    sent: GroupWrite<SentMark, undefined>;
  };
  /** Test hook: called right after a message was handed over, before it is marked sent. */
  afterHandOver?: (deliveryId: string) => Promise<void> | void;
}

export function createSenderContext(deps: AppDeps, transports: Transports): SenderContext {
  const sql = deps.sql;
  return {
    deps,
    transports,
    limiters: { email: new RateLimiter(deps.env.EMAIL_RATE_PER_SECOND), sms: new RateLimiter(deps.env.SMS_RATE_PER_SECOND) },
    handOvers: new Slots(deps.env.SEND_CONCURRENCY),
    writes: {
      take: new GroupWrite(async (takes) => {
        const rows = new Map((await takeDeliveries(sql, takes)).map((r) => [r.id, r]));
        return takes.map((t) => rows.get(t.id));
      }),
      claim: new GroupWrite(async (claims) => {
        const ids = await claimKeys(sql, claims);
        // A key asked twice in one group was claimed once: the first asker has it.
        return claims.map((c) => {
          const id = ids.get(c.key) ?? null;
          ids.delete(c.key);
          return id;
        });
      }),
      sent: new GroupWrite(async (marks) => {
        await markDeliveriesSent(sql, marks);
        return marks.map(() => undefined);
      }),
    },
  };
}

const defaultLocales = new Map<string, string | null>();

/** Survey versions never change: their default language is read once per process. */
async function defaultLocaleOf(sql: SqlClient, versionId: string): Promise<string | null> {
  if (!defaultLocales.has(versionId)) {
    defaultLocales.set(versionId, await versionDefaultLocale(sql, versionId));
  }
  return defaultLocales.get(versionId) ?? null;
}

/** The first question as links in invitations and reminders of links not opened yet (open_links domain). */
function emailScaleOf(
  sql: SqlClient,
  row: DeliveryRow,
  kind: MessageKind,
  locale: string,
  facts: { link: string; customerName: string | null; branchName: string },
) {
  if (kind === 'reminder_unfinished') return null;
  return emailScaleFor(sql, { versionId: row.survey_version_id, locale, ...facts });
}

/** The last rules read per survey, by their JSON: a survey's deliveries share them, and parsing each time cost more than its render. */
const parsedRules = new Map<string, { json: string; rules: InvitationRules }>();

function rulesOf(row: DeliveryRow): InvitationRules {
  if (row.rules === null || row.rules === undefined) return DEFAULT_RULES;
  const json = JSON.stringify(row.rules);
  const known = parsedRules.get(row.survey_id);
  if (known?.json === json) return known.rules;
  const parsed = invitationRulesSchema.safeParse(row.rules);
  const rules = parsed.success ? parsed.data : DEFAULT_RULES;
  if (parsedRules.size >= 500) parsedRules.clear();
  parsedRules.set(row.survey_id, { json, rules });
  return rules;
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
  await closeQueuedDelivery(sql, row.id, status, outcome, error ?? null, now);
  if (status === 'failed' && row.step === 0) await failScheduledInvitation(sql, row.invitation_id);
}

/** The mark of a sent delivery, with its next reminder planned. */
function sentMark(
  row: DeliveryRow,
  rules: InvitationRules,
  channel: Channel,
  kind: MessageKind,
  outcome: string,
  now: Date,
  attemptId: number | null,
  providerId: string | null,
): SentMark {
  let nextDue: Date | null = null;
  const nextStep = row.step + 1;
  if (nextStep <= rules.reminders.count && (rules.reminders.notOpened || rules.reminders.openedNotFinished)) {
    let due = new Date(now.getTime() + rules.reminders.afterDays * DAY_MS);
    if (rules.quietHours.enabled && rules.quietHours.channels.includes(channel))
      due = afterQuietHours(due, row.time_zone, rules.quietHours.start, rules.quietHours.end);
    if (due.getTime() < new Date(row.expires_at).getTime()) nextDue = due;
  }
  return { deliveryId: row.id, invitationId: row.invitation_id, step: row.step, channel, kind, outcome, at: now, attemptId, providerId, nextDue };
}

/** Marks the delivery sent and plans the next reminder, in one statement. */
async function markSent(
  sql: SqlClient,
  row: DeliveryRow,
  rules: InvitationRules,
  channel: Channel,
  kind: MessageKind,
  outcome: string,
  now: Date,
  attemptId: number | null,
  providerId: string | null,
) {
  await markDeliveriesSent(sql, [sentMark(row, rules, channel, kind, outcome, now, attemptId, providerId)]);
}

/** An earlier attempt at this message claimed the key: accepted = sent; still handing over = its process died mid-way. */
async function settleClaimed(
  sql: SqlClient,
  row: DeliveryRow,
  rules: InvitationRules,
  channel: Channel,
  kind: MessageKind,
  key: string,
  now: Date,
): Promise<boolean> {
  const existing = await claimOf(sql, key);
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
    const row = await ctx.writes.take.run({ id: deliveryId, at: now });
    if (!row) return;
    const rules = rulesOf(row);
    // An earlier attempt claimed this message (its process died, its job expired while it was still handing
    // over, or it is being sent again by hand): it was handed over, whatever happened since.
    if (row.claims.length > 0 && (await settleClaimed(sql, row, rules, row.channel, row.kind, row.claims[0], now))) return;

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
      await rescheduleQueuedDelivery(sql, row.id, channel, due, now);
      return;
    }

    const secret = tokenSecret(deps.env);
    const { token, tokenHash } = invitationToken(secret, row.invitation_id);
    if (tokenHash !== row.token_hash) {
      // Made with another secret (or not by this domain): no link can be written for it.
      return closeDelivery(sql, row, 'failed', 'no_link', now, 'the invitation token cannot be derived (TOKEN_SECRET changed?)');
    }
    const locale = messageLocale(row.preferred_language, await defaultLocaleOf(sql, row.survey_version_id));
    // The brand of the rental's branch: the e-mail's look and sender, the SMS sender.
    const brand = row.brand_id ? await brandForSending(sql, row.brand_id, locale, deps.publicUrl) : null;
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
      brand: brand?.look ?? null,
    };
    const key = idempotencyKey(row.invitation_id, row.step, channel, address);

    const scale = channel === 'email' ? await emailScaleOf(sql, row, kind, locale, facts) : null;
    const emailQuestion = scale ? { invitationId: row.invitation_id, questionId: scale.questionId } : null;
    const message: OutgoingMessage =
      channel === 'email'
        ? {
            channel,
            to: address,
            ...(brand ? { from: brand.from } : {}),
            ...renderEmail(kind, locale, { ...facts, scale: scale?.scale ?? null }, rules.templates),
            headers: {
              'List-Unsubscribe': `<${optOutApiLink(deps.publicUrl, token)}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              'Auto-Submitted': 'auto-generated',
            },
            idempotencyKey: key,
          }
        : { channel, to: address, text: renderSms(kind, locale, facts, rules.templates), idempotencyKey: key, ...(brand ? { sender: brand.smsSender } : {}) };

    const transport = ctx.transports[channel];
    if (!transport) {
      // No provider configured: the outbox in the database; claim, message and state in one transaction.
      const done = await deps.db.transaction(async (tx) => {
        const t = txSql(tx);
        const claimId = await writeToOutbox(
          t,
          row.id,
          row.attempts,
          key,
          { channel, to: address, subject: message.subject ?? null, text: message.text, html: message.html ?? null, link: facts.link },
          now,
        );
        if (claimId === null) return false;
        if (emailQuestion) await noteEmailQuestion(t, emailQuestion.invitationId, emailQuestion.questionId, now);
        await markSent(t, row, rules, channel, kind, 'outbox', now, claimId, null);
        return true;
      });
      if (!done) await settleClaimed(sql, row, rules, channel, kind, key, now);
      return;
    }

    let attemptId: number | null = null;
    let claimTaken = false;
    try {
      const result = await ctx.handOvers.run(async () => {
        await ctx.limiters[channel].take();
        return transport.send(message, {
          commitPoint: async () => {
            const claim = await ctx.writes.claim.run({ deliveryId: row.id, taken: row.attempts, key, transport: transport.name, at: now, emailQuestion });
            if (claim === null) {
              claimTaken = true;
              throw new ClaimTaken('message already claimed');
            }
            attemptId = claim;
          },
        });
      });
      await ctx.afterHandOver?.(row.id);
      await ctx.writes.sent.run(sentMark(row, rules, channel, kind, 'accepted', deps.now(), attemptId, result.providerMessageId));
      await recordProviderSuccess(sql, channel, transport.name, deps.now());
      return;
    } catch (error) {
      if (claimTaken) {
        await settleClaimed(sql, row, rules, channel, kind, key, now);
        return;
      }
      const failure = error instanceof HandOverError ? error : new HandOverError(error instanceof Error ? error.message : String(error), false, false, false);
      const at = deps.now();
      // Provider health: unreachable, cut off or a temporary refusal — not a refused address or message.
      if (!failure.badAddress && !(failure.answered && failure.permanent))
        await recordProviderFailure(sql, channel, transport.name, failure.message, deps.now());
      if (attemptId !== null && !failure.answered) {
        // Claimed and then cut off without an answer: it may have arrived. Not sent again.
        await noteAttemptError(sql, attemptId, failure.message);
        await markSent(sql, row, rules, channel, kind, 'unconfirmed', deps.now(), null, null);
        return;
      }
      await recordRejection(sql, { attemptId, deliveryId: row.id, key, transport: transport.name, error: failure.message, startedAt: now, at });
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
  const row = await markQueuedDeliveryDead(deps.sql, deliveryId, reason, deps.now());
  if (row && row.step === 0) await failScheduledInvitation(deps.sql, row.invitation_id);
}
