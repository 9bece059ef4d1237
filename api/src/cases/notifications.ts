// E-mails to case owners and escalation contacts: written into case_notifications in the transaction
// that caused them (one per kind, case, due time and recipient), then delivered.
import type { caseNotifications, cases } from '../db/schema.ts';
import type { AppDeps } from '../lib/types.ts';
import { formatWallTime } from '../lib/time-zone.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import type { Executor } from './assignment.ts';
import { describeReasons, label, LEVEL_LABELS, PRIORITY_LABELS, type CaseLocale } from './describe.ts';
import { canSendCaseEmail, deliverQueuedEmail } from './mail.ts';
import * as q from './notifications.queries.ts';
import type { TriggerReason } from './rules.ts';

export type NotificationKind = (typeof caseNotifications.$inferInsert)['kind'];

type CaseRow = typeof cases.$inferSelect;

export interface EmailFacts {
  number: number;
  priority: string;
  branchName: string | null;
  branchNameEn: string | null;
  reasons: TriggerReason[];
  definition: SurveyDefinition | null;
  timeZone: string;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  ownerName: string | null;
  ownerEmail: string | null;
  escalationLevel: number;
  link: string;
}

const TITLES: Record<NotificationKind, Record<CaseLocale, string>> = {
  created: { 'zh-CN': '新投诉工单', en: 'New case' },
  first_response_due_soon: { 'zh-CN': '首次响应即将超时', en: 'First response due soon' },
  resolution_due_soon: { 'zh-CN': '解决时限即将到期', en: 'Resolution due soon' },
  first_response_breached: { 'zh-CN': '首次响应已超时', en: 'First response overdue' },
  resolution_breached: { 'zh-CN': '解决已超时', en: 'Resolution overdue' },
  escalated: { 'zh-CN': '工单已升级给您', en: 'Case escalated to you' },
};

const LEADS: Record<NotificationKind, Record<CaseLocale, string>> = {
  created: { 'zh-CN': '一位客户的反馈触发了告警，工单已分配给您。', en: 'A customer’s answers raised an alert; the case is assigned to you.' },
  first_response_due_soon: {
    'zh-CN': '该工单尚未联系客户，首次响应时限即将到期。',
    en: 'Nobody has contacted the customer yet and the first-response time is nearly up.',
  },
  resolution_due_soon: { 'zh-CN': '该工单尚未解决，解决时限即将到期。', en: 'The case is not resolved yet and the resolution time is nearly up.' },
  first_response_breached: { 'zh-CN': '该工单已超过首次响应时限，已按规定升级。', en: 'The first-response time has passed; the case was escalated.' },
  resolution_breached: { 'zh-CN': '该工单已超过解决时限，已按规定升级。', en: 'The resolution time has passed; the case was escalated.' },
  escalated: { 'zh-CN': '该工单超过时限仍未处理完毕，现升级给您跟进。', en: 'The case missed its time limit and is escalated to you.' },
};

/** Subject and plain-text body, Chinese first then English. No customer contact details. */
export function composeCaseEmail(kind: NotificationKind, facts: EmailFacts): { subject: string; body: string } {
  const branchZh = facts.branchName ?? '–';
  const branchEn = facts.branchNameEn ?? facts.branchName ?? '–';
  const subject = `[#${facts.number}] ${TITLES[kind]['zh-CN']} / ${TITLES[kind].en} · ${branchZh} · ${label(PRIORITY_LABELS, 'zh-CN', facts.priority)}`;
  const block = (locale: CaseLocale) => {
    const zh = locale === 'zh-CN';
    const lines = [
      LEADS[kind][locale],
      '',
      `${zh ? '工单' : 'Case'}: #${facts.number}`,
      `${zh ? '门店' : 'Branch'}: ${zh ? branchZh : branchEn}`,
      `${zh ? '优先级' : 'Priority'}: ${label(PRIORITY_LABELS, locale, facts.priority)}`,
      `${zh ? '触发原因' : 'Why'}: ${describeReasons(facts.reasons, facts.definition, locale)}`,
      `${zh ? '首次响应时限' : 'First response due'}: ${formatWallTime(facts.firstResponseDueAt, facts.timeZone)} (${facts.timeZone})`,
      `${zh ? '解决时限' : 'Resolution due'}: ${formatWallTime(facts.resolutionDueAt, facts.timeZone)} (${facts.timeZone})`,
    ];
    if (kind === 'escalated' || kind.endsWith('_breached')) {
      lines.push(`${zh ? '负责人' : 'Owner'}: ${facts.ownerName ?? facts.ownerEmail ?? '–'}`);
      lines.push(`${zh ? '当前级别' : 'Escalation level'}: ${label(LEVEL_LABELS, locale, facts.escalationLevel)}`);
    }
    lines.push('', `${zh ? '处理工单' : 'Open the case'}: ${facts.link}`);
    return lines.join('\n');
  };
  return { subject, body: `${block('zh-CN')}\n\n———\n\n${block('en')}\n` };
}

/** Loads what an e-mail about this case needs. */
export async function emailFacts(db: Executor, row: CaseRow, publicUrl: string): Promise<EmailFacts> {
  const extra = await q.caseEmailContext(db, row.id);
  return {
    number: row.number,
    priority: row.priority,
    branchName: extra?.branchName ?? null,
    branchNameEn: extra?.branchNameEn ?? null,
    reasons: row.trigger as TriggerReason[],
    definition: (extra?.definition as SurveyDefinition | undefined) ?? null,
    timeZone: row.timeZone,
    firstResponseDueAt: row.firstResponseDueAt,
    resolutionDueAt: row.resolutionDueAt,
    ownerName: row.ownerName,
    ownerEmail: row.ownerEmail,
    escalationLevel: row.escalationLevel,
    link: `${publicUrl}/cases/${row.id}`,
  };
}

/**
 * Queues one e-mail; a second call with the same kind, case, due time and recipient does nothing.
 * Returns the notification id when it was queued now.
 */
export async function queueCaseEmail(
  db: Executor,
  row: CaseRow,
  kind: NotificationKind,
  recipient: string | null,
  publicUrl: string,
  at: Date,
  dueAt?: Date,
): Promise<string | null> {
  if (!recipient) return null;
  const facts = await emailFacts(db, row, publicUrl);
  const { subject, body } = composeCaseEmail(kind, facts);
  const key = `case:${row.id}:${kind}:${dueAt ? dueAt.toISOString() : 'once'}:${recipient.toLowerCase()}`;
  return q.insertNotificationOnce(db, { caseId: row.id, kind, recipient, idempotencyKey: key, subject, body, createdAt: at });
}

export const MAX_ATTEMPTS = 5;

/**
 * Sends pending notifications (all of them, or these ids), each once per run. Each is claimed with a
 * row lock so two workers never send the same one; a failure stays pending for the next run, up to
 * MAX_ATTEMPTS.
 */
export async function deliverCaseNotifications(deps: AppDeps, ids?: string[]): Promise<{ sent: number; failed: number }> {
  const { db } = deps;
  if ((ids && ids.length === 0) || !canSendCaseEmail(deps)) return { sent: 0, failed: 0 };
  const candidates = await q.pendingNotifications(db, MAX_ATTEMPTS, ids);
  let sent = 0;
  let failed = 0;
  for (const { id } of candidates) {
    const outcome = await db.transaction(async (tx) => {
      const row = await q.claimNotification(tx, id);
      if (!row) return null;
      return deliverQueuedEmail(deps, row, (set) => q.setNotification(tx, row.id, set), {
        maxAttempts: MAX_ATTEMPTS,
        warning: 'case notification not sent',
      });
    });
    if (outcome === 'sent') sent++;
    else if (outcome === 'failed') failed++;
  }
  return { sent, failed };
}
