// Names of case values (status, priority, root cause…) in the UI's language, from the translation table
// (keys caseValue.<group>.<value>); a value the table does not know is shown as it is.
import type { CaseContactBody, CasePriority, CaseStatus, CompensationType, RootCause } from '@rs/api/contract';
import { messages, type MessageKey, t, type UiLocale } from '$lib/i18n';

function valueName(locale: UiLocale, group: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const key = `caseValue.${group}.${value}`;
  return key in messages.en ? t(locale, key as MessageKey) : String(value);
}

export const statusLabel = (l: UiLocale, v: string | null | undefined) => valueName(l, 'status', v);
export const priorityLabel = (l: UiLocale, v: string | null | undefined) => valueName(l, 'priority', v);
export const rootCauseLabel = (l: UiLocale, v: string | null | undefined) => valueName(l, 'rootCause', v);
export const compensationLabel = (l: UiLocale, v: string | null | undefined) => valueName(l, 'compensation', v);
export const channelLabel = (l: UiLocale, v: string | null | undefined) => valueName(l, 'channel', v);
export const levelLabel = (l: UiLocale, v: number | null | undefined) => valueName(l, 'level', v);

// The choices the pages offer, in display order; `satisfies` fails the type check when the API drops one.
export const STATUSES = ['open', 'in_progress', 'reopened', 'resolved', 'closed'] as const satisfies readonly CaseStatus[];
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const satisfies readonly CasePriority[];
export const ROOT_CAUSES = ['vehicle_condition', 'staff', 'price_fees', 'waiting_time', 'billing', 'other'] as const satisfies readonly RootCause[];
export const COMPENSATIONS = ['none', 'voucher', 'refund', 'discount', 'upgrade', 'points', 'other'] as const satisfies readonly CompensationType[];
export const CHANNELS = ['call', 'email', 'sms'] as const satisfies readonly CaseContactBody['channel'][];

/** "2026-06-01 18:00" in the given zone (company zone by default). */
export { formatShortDateTime as formatTime } from '$lib/time';

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
