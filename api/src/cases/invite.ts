// The follow-up invitation, made the way the distribution domain makes rental invitations: an invitation
// row with an HMAC token, its first delivery, and the send job in the same transaction; the distribution
// sender then sends it (quiet hours, rate limits, reminders, opt-out) with the survey's message texts.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { chooseChannel, DAY_MS, sendTime } from '../distribution/planning.ts';
import { SEND_QUEUE, type SendJob } from '../distribution/queues.ts';
import { loadRules, saveRules } from '../distribution/rules.queries.ts';
import { invitationRulesSchema, type MessageTemplates } from '../distribution/rules.schemas.ts';
import { invitationToken, tokenSecret } from '../distribution/tokens.ts';
import type { AppDeps } from '../lib/types.ts';
import { insertJobs, txSql } from '../queue/queue.ts';
import { followUpContact, insertFollowUpInvitation, invitationOfRental } from './follow-up.queries.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface FollowUpInvitationInput {
  surveyId: string;
  versionId: string;
  customerId: string;
  rentalId: string | null;
  branchId: string;
  at: Date;
}

/** The follow-up survey's messages: about the complaint, not about a new rental. */
export const FOLLOW_UP_TEXTS: MessageTemplates = {
  invitation: {
    'zh-CN': {
      subject: '关于您在{branch}的反馈：问题解决了吗？',
      body: '{greeting}\n\n我们已处理您关于{branch}租车的反馈。想请您花一分钟告诉我们：问题解决了吗？您对处理结果满意吗？\n\n{link}\n\n此链接在 {expiresAt} 前有效。',
      sms: '关于您在{branch}的反馈，问题解决了吗？1分钟告诉我们：{link}',
    },
    'zh-TW': {
      subject: '關於您在{branch}的回饋：問題解決了嗎？',
      body: '{greeting}\n\n我們已處理您關於{branch}租車的回饋。想請您花一分鐘告訴我們：問題解決了嗎？您對處理結果滿意嗎？\n\n{link}\n\n此連結在 {expiresAt} 前有效。',
      sms: '關於您在{branch}的回饋，問題解決了嗎？1分鐘告訴我們：{link}',
    },
    en: {
      subject: 'Your feedback about {branch}: is it resolved?',
      body: '{greeting}\n\nWe have handled your feedback about your rental at {branch}. Would you take a minute to tell us whether the issue is resolved and how we handled it?\n\n{link}\n\nThe link works until {expiresAt}.',
      sms: 'About your feedback on {branch}: is it resolved? 1 minute: {link}',
    },
  },
};

/** Message texts and sending rules of a newly created follow-up survey: no delay, one reminder after 3 days. */
export async function setUpFollowUpDistribution(tx: Tx, surveyId: string, at: Date) {
  const rules = invitationRulesSchema.parse({
    delayMinutes: 0,
    fatigueDays: 0,
    eligibility: { maxDaysSinceReturn: 0 },
    reminders: { count: 1, afterDays: 3 },
    templates: FOLLOW_UP_TEXTS,
  });
  await saveRules(txSql(tx), surveyId, rules, at);
}

/**
 * Invites the customer to the follow-up survey and queues the first message; null when nothing can be
 * sent (opted out, erased, no address with consent). A second case on the same rental shares the
 * invitation: the customer gets one follow-up survey.
 */
export async function inviteToFollowUp(tx: Tx, deps: AppDeps, input: FollowUpInvitationInput): Promise<{ id: string; channel: string } | null> {
  const sql = txSql(tx);
  if (input.rentalId) {
    const existing = await invitationOfRental(sql, input.surveyId, input.rentalId);
    if (existing) return existing;
  }
  const customer = await followUpContact(sql, input.customerId, input.branchId);
  if (!customer || customer.opted_out) return null;
  const { rules } = await loadRules(sql, input.surveyId);
  const channel = chooseChannel(rules, {
    email: customer.email,
    phone: customer.phone,
    consentEmail: customer.consent_email,
    consentSms: customer.consent_sms,
    optedOut: false,
    erased: false,
    lastInvitedAt: null,
    emailBad: customer.email_bad,
    phoneBad: customer.phone_bad,
  });
  if (!channel) return null;

  const now = input.at;
  const dueAt = sendTime(rules, channel, now, now, customer.time_zone);
  const expiresAt = new Date(dueAt.getTime() + rules.expiryDays * DAY_MS);
  const id = randomUUID();
  const { tokenHash } = invitationToken(tokenSecret(deps.env), id);
  const dueNow = dueAt.getTime() <= now.getTime();
  const deliveryId = randomUUID();
  await insertFollowUpInvitation(sql, {
    id,
    surveyId: input.surveyId,
    versionId: input.versionId,
    rentalId: input.rentalId,
    customerId: input.customerId,
    branchId: input.branchId,
    tokenHash,
    channel,
    deliveryId,
    dueAt,
    expiresAt,
    dueNow,
    now,
  });
  if (dueNow) await insertJobs(sql, [{ name: SEND_QUEUE, data: { deliveryId } satisfies SendJob }]);
  return { id, channel };
}
