// Pure decisions about one rental and its customer under a survey's invitation rules.
import { createHash } from 'node:crypto';
import type { Channel, InvitationRules } from './rules.schemas.ts';
import { afterQuietHours } from './time.ts';

export const DAY_MS = 86_400_000;

export type DecisionOutcome = 'invited' | 'not_eligible' | 'sampled_out' | 'fatigue' | 'opted_out' | 'no_contact';

export interface PlanRental {
  externalId: string;
  pickupBranchCode: string;
  vehicleClass: string;
  bookingChannel: string;
  returnedAt: Date;
}

export interface PlanCustomer {
  email: string | null;
  phone: string | null;
  consentEmail: boolean;
  consentSms: boolean;
  optedOut: boolean;
  erased: boolean;
  lastInvitedAt: Date | null;
  emailBad: boolean;
  phoneBad: boolean;
}

/** Rentals returned longer ago than the rules allow are left alone: no decision is recorded. */
export function tooOld(rules: InvitationRules, rental: PlanRental, now: Date): boolean {
  const max = rules.eligibility.maxDaysSinceReturn;
  return max > 0 && now.getTime() - rental.returnedAt.getTime() > max * DAY_MS;
}

export function eligible(rules: InvitationRules, rental: PlanRental): boolean {
  const e = rules.eligibility;
  if (e.branches.length > 0 && !e.branches.some((b) => b.toLowerCase() === rental.pickupBranchCode.toLowerCase())) return false;
  if (e.vehicleClasses.length > 0 && !e.vehicleClasses.some((v) => v.toLowerCase() === rental.vehicleClass.toLowerCase())) return false;
  if (e.bookingChannels.length > 0 && !e.bookingChannels.includes(rental.bookingChannel as never)) return false;
  return true;
}

/** A stable draw in [0, 100) per survey and rental: re-sending the rental never changes the sample. */
export function sampleDraw(surveyId: string, rentalExternalId: string): number {
  const digest = createHash('sha256').update(`${surveyId}:${rentalExternalId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

export function sampled(rules: InvitationRules, surveyId: string, rentalExternalId: string): boolean {
  const rate = rules.eligibility.sampleRatePercent;
  if (rate >= 100) return true;
  if (rate <= 0) return false;
  return sampleDraw(surveyId, rentalExternalId) < rate;
}

/** The first channel in the rules' order with an address that is not known bad and the customer's consent. */
export function chooseChannel(rules: InvitationRules, c: PlanCustomer): Channel | null {
  for (const channel of rules.channelOrder) {
    if (channel === 'email' && c.email && c.consentEmail && !c.emailBad) return 'email';
    if (channel === 'sms' && c.phone && c.consentSms && !c.phoneBad) return 'sms';
  }
  return null;
}

export function fatigued(rules: InvitationRules, lastInvitedAt: Date | null, now: Date): boolean {
  return rules.fatigueDays > 0 && lastInvitedAt !== null && now.getTime() - lastInvitedAt.getTime() < rules.fatigueDays * DAY_MS;
}

/** When to send on `channel`: `earliest` (or now), moved past the quiet hours in the branch's time zone. */
export function sendTime(rules: InvitationRules, channel: Channel, earliest: Date, now: Date, timeZone: string): Date {
  const base = earliest.getTime() > now.getTime() ? earliest : now;
  const q = rules.quietHours;
  if (!q.enabled || !q.channels.includes(channel)) return base;
  return afterQuietHours(base, timeZone, q.start, q.end);
}

export type Plan =
  | { outcome: 'invited'; channel: Channel; dueAt: Date; expiresAt: Date }
  | { outcome: Exclude<DecisionOutcome, 'invited'> }
  | { outcome: 'skip'; reason: 'too_old' | 'invitations_disabled' };

/** Everything but the fatigue race: the caller claims the customer atomically before inviting. */
export function planInvitation(rules: InvitationRules, surveyId: string, rental: PlanRental, customer: PlanCustomer, branchTimeZone: string, now: Date): Plan {
  if (!rules.enabled) return { outcome: 'skip', reason: 'invitations_disabled' };
  if (tooOld(rules, rental, now)) return { outcome: 'skip', reason: 'too_old' };
  if (!eligible(rules, rental)) return { outcome: 'not_eligible' };
  if (!sampled(rules, surveyId, rental.externalId)) return { outcome: 'sampled_out' };
  if (customer.optedOut || customer.erased) return { outcome: 'opted_out' };
  const channel = chooseChannel(rules, customer);
  if (!channel) return { outcome: 'no_contact' };
  if (fatigued(rules, customer.lastInvitedAt, now)) return { outcome: 'fatigue' };
  const dueAt = sendTime(rules, channel, new Date(rental.returnedAt.getTime() + rules.delayMinutes * 60_000), now, branchTimeZone);
  return { outcome: 'invited', channel, dueAt, expiresAt: new Date(dueAt.getTime() + rules.expiryDays * DAY_MS) };
}
