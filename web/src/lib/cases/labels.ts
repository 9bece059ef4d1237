// Names of case values (status, priority, root cause…) in the UI's language: the same words as the
// owners' e-mails (api/src/cases/describe.ts).
import {
  CHANNEL_LABELS,
  COMPENSATION_LABELS,
  label,
  LEVEL_LABELS,
  PRIORITY_LABELS,
  ROOT_CAUSE_LABELS,
  STATUS_LABELS,
} from '@rs/api/cases/describe';
import type { UiLocale } from '$lib/i18n';

export const statusLabel = (l: UiLocale, v: string | null | undefined) => label(STATUS_LABELS, l, v);
export const priorityLabel = (l: UiLocale, v: string | null | undefined) => label(PRIORITY_LABELS, l, v);
export const rootCauseLabel = (l: UiLocale, v: string | null | undefined) => label(ROOT_CAUSE_LABELS, l, v);
export const compensationLabel = (l: UiLocale, v: string | null | undefined) => label(COMPENSATION_LABELS, l, v);
export const channelLabel = (l: UiLocale, v: string | null | undefined) => label(CHANNEL_LABELS, l, v);
export const levelLabel = (l: UiLocale, v: number | null | undefined) => label(LEVEL_LABELS, l, v);

export const STATUSES = ['open', 'in_progress', 'reopened', 'resolved', 'closed'] as const;
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const ROOT_CAUSES = ['vehicle_condition', 'staff', 'price_fees', 'waiting_time', 'billing', 'other'] as const;
export const COMPENSATIONS = ['none', 'voucher', 'refund', 'discount', 'upgrade', 'points', 'other'] as const;
export const CHANNELS = ['call', 'email', 'sms'] as const;

/** "2026-06-01 18:00" in the given zone (company zone by default). */
export function formatTime(locale: UiLocale, iso: string | null | undefined, timeZone = 'Asia/Shanghai'): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso));
}

export function branchName(locale: UiLocale, b: { name: string; nameEn: string | null } | null | undefined): string {
  if (!b) return '–';
  return locale === 'en' && b.nameEn ? b.nameEn : b.name;
}

/** "in 3 h", "2 d overdue"… */
export function relative(locale: UiLocale, iso: string, now: Date): string {
  const diff = new Date(iso).getTime() - now.getTime();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 2 * 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}
