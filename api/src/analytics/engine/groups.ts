// Group keys and labels: calendar periods (every period between two dates, so empty ones show as n = 0)
// and readable names for segment values.
import type { Locale } from '@rs/survey-definition';
import type { GroupBy, Period } from './filters.schemas.ts';
import { isPeriod } from './filters.schemas.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const parseDate = (s: string) => new Date(`${s}T00:00:00Z`);

/** First day of the period containing `date` (weeks start on Monday, as PostgreSQL's date_trunc). */
export function periodStart(period: Period, date: string): string {
  const d = parseDate(date);
  switch (period) {
    case 'day':
      return isoDate(d);
    case 'week': {
      const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
      return isoDate(new Date(d.getTime() - weekday * 86_400_000));
    }
    case 'month':
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01`;
    case 'quarter':
      return `${d.getUTCFullYear()}-${pad(Math.floor(d.getUTCMonth() / 3) * 3 + 1)}-01`;
  }
}

export function nextPeriod(period: Period, start: string): string {
  const d = parseDate(start);
  switch (period) {
    case 'day':
      return isoDate(new Date(d.getTime() + 86_400_000));
    case 'week':
      return isoDate(new Date(d.getTime() + 7 * 86_400_000));
    case 'month':
      return isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
    case 'quarter':
      return isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1)));
  }
}

/** Start of every period from the one containing `from` to the one containing `to` (at most `limit`). */
export function periodsBetween(period: Period, from: string, to: string, limit = 5000): string[] {
  const out: string[] = [];
  const last = periodStart(period, to);
  for (let p = periodStart(period, from); p <= last && out.length < limit; p = nextPeriod(period, p)) out.push(p);
  return out;
}

/** 2026-05-31 (day), 2026-W22 (ISO week), 2026-05 (month), 2026-Q2 (quarter). */
export function periodLabel(period: Period, start: string): string {
  const d = parseDate(start);
  switch (period) {
    case 'day':
      return start;
    case 'week': {
      // ISO week: the week belongs to the year of its Thursday.
      const thursday = new Date(d.getTime() + 3 * 86_400_000);
      const year = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
      return `${year}-W${pad(week)}`;
    }
    case 'month':
      return start.slice(0, 7);
    case 'quarter':
      return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  }
}

/** Day arithmetic on YYYY-MM-DD strings. */
export const dayBefore = (date: string) => isoDate(new Date(parseDate(date).getTime() - 86_400_000));
export const daysInclusive = (from: string, to: string) => Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000) + 1;
export const addDays = (date: string, days: number) => isoDate(new Date(parseDate(date).getTime() + days * 86_400_000));

const SEGMENT_LABELS: Record<string, Record<string, { en: string; zh: string }>> = {
  tier: { A: { en: 'Tier A', zh: 'A 类客户' }, B: { en: 'Tier B', zh: 'B 类客户' }, C: { en: 'Tier C', zh: 'C 类客户' } },
  customerType: { business: { en: 'Business', zh: '商务' }, leisure: { en: 'Leisure', zh: '休闲' } },
  channel: { app: { en: 'App', zh: 'App' }, web: { en: 'Website', zh: '网站' }, phone: { en: 'Phone', zh: '电话' }, store: { en: 'Store', zh: '门店' } },
  newReturning: { new: { en: 'New customer', zh: '新客户' }, returning: { en: 'Returning customer', zh: '回头客' } },
};
const UNKNOWN = { en: 'Unknown', zh: '未知' };
const ALL = { en: 'All', zh: '全部' };

/** Label of a group: periods formatted, segment values named, branch names as SQL gave them. */
export function groupLabel(groupBy: GroupBy, key: string, sqlLabel: string, locale: Locale): string {
  const lang = locale === 'en' ? 'en' : 'zh';
  if (groupBy === 'none') return ALL[lang];
  if (isPeriod(groupBy)) return periodLabel(groupBy, key);
  if (key === 'unknown') return UNKNOWN[lang];
  return SEGMENT_LABELS[groupBy]?.[key]?.[lang] ?? sqlLabel;
}

export const totalLabel = (locale: Locale) => (locale === 'en' ? 'Total' : '合计');
