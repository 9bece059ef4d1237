// The dashboard's state lives in the URL (a view is shared as a link): survey, period and segment filters.

export const FILTER_KEYS = ['branch', 'region', 'brand', 'tier', 'customerType', 'vehicleClass', 'channel'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string[]>;

export const PERIOD_KINDS = ['all', '30d', '90d', 'quarter', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const INTERVALS = ['day', 'week', 'month', 'quarter'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Weighting of the summary figures: none, or post-stratified by branch volume (docs/statistics.md#weighting). */
export const WEIGHTS = ['none', 'branchVolume'] as const;
export type Weight = (typeof WEIGHTS)[number];

export interface DateRange {
  from: string;
  to: string;
}

/** A period; `from` null = since the first answer. */
export interface Period {
  from: string | null;
  to: string;
}

export interface DashboardState {
  survey: string | null;
  period: PeriodKind;
  /** For `quarter`: e.g. 2026Q3 (default the current quarter). */
  quarter: string | null;
  range: Period;
  /** The period of the same length just before `range`: what changes are measured against (none for all time). */
  previous: DateRange | null;
  interval: Interval;
  weight: Weight;
  /** Answers through open links (QR codes) left out of every figure (docs/statistics.md, open-link answers). */
  openLinks: 'exclude' | null;
  filters: Filters;
}

const DAY_MS = 86_400_000;
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

export { todayIn } from '$lib/time';

export function quarterOf(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

export function quarterRange(quarter: string): DateRange | null {
  const match = /^(\d{4})Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const y = Number(match[1]);
  const q = Number(match[2]);
  const from = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  const nextStart = q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(nextStart, -1) };
}

/** The last `count` quarters up to the one containing `today`, newest first. */
export function recentQuarters(today: string, count = 6): string[] {
  const out: string[] = [];
  let q = quarterOf(today);
  for (let i = 0; i < count; i++) {
    out.push(q);
    const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(5))];
    q = n === 1 ? `${y - 1}Q4` : `${y}Q${n - 1}`;
  }
  return out;
}

export function previousRange(range: DateRange): DateRange {
  const days = daysBetween(range);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** A sensible trend interval for a period: days up to two weeks, weeks up to half a year, then months. */
export function defaultInterval(range: Period): Interval {
  if (range.from === null) return 'month';
  const days = daysBetween({ from: range.from, to: range.to });
  return days <= 14 ? 'day' : days <= 190 ? 'week' : 'month';
}

export function readFilters(params: URLSearchParams): Filters {
  const filters = {} as Filters;
  for (const key of FILTER_KEYS) {
    filters[key] = [
      ...new Set(
        params
          .getAll(key)
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
  }
  return filters;
}

/**
 * The dashboard state of a URL; anything missing or invalid falls back to `defaultPeriod` (all answers up
 * to today unless the page asks for another, e.g. the overview's last 90 days, which has a previous period).
 */
export function readState(url: URL, today: string, defaultPeriod: PeriodKind = 'all'): DashboardState {
  const p = url.searchParams;
  const kind = (PERIOD_KINDS as readonly string[]).includes(p.get('period') ?? '') ? (p.get('period') as PeriodKind) : null;
  const from = p.get('from');
  const to = p.get('to');
  let period: PeriodKind = kind ?? (isDate(from) && isDate(to) ? 'custom' : defaultPeriod === 'custom' ? 'all' : defaultPeriod);
  let range: Period;
  let quarter: string | null = null;
  if (period === 'custom' && isDate(from) && isDate(to) && from <= to) {
    range = { from, to };
  } else if (period === 'quarter') {
    quarter = quarterRange(p.get('quarter') ?? '') ? p.get('quarter')! : quarterOf(today);
    const full = quarterRange(quarter)!;
    range = { from: full.from, to: full.to < today ? full.to : today };
  } else if (period === '30d' || period === '90d') {
    const days = period === '90d' ? 90 : 30;
    range = { from: addDays(today, -(days - 1)), to: today };
  } else {
    period = 'all';
    range = { from: null, to: today };
  }
  const interval = (INTERVALS as readonly string[]).includes(p.get('interval') ?? '') ? (p.get('interval') as Interval) : defaultInterval(range);
  const previous = range.from === null ? null : previousRange({ from: range.from, to: range.to });
  const weight: Weight = p.get('weight') === 'branchVolume' ? 'branchVolume' : 'none';
  const openLinks = p.get('openLinks') === 'exclude' ? 'exclude' : null;
  return { survey: p.get('survey'), period, quarter, range, previous, interval, weight, openLinks, filters: readFilters(p) };
}

export type QueryValue = string | number | null | undefined | string[];

/** `?a=1&b=x&b=y` from a record; empty values are left out (the API client's own query builder). */
export { query as toQuery } from '$lib/api';

/** The analytics API's query parameters for this state (period `range` unless another is given). */
export function apiParams(state: DashboardState, extra: Record<string, QueryValue> = {}, range: Period = state.range): Record<string, QueryValue> {
  return { survey: state.survey, from: range.from, to: range.to, ...state.filters, openLinks: state.openLinks, ...extra };
}

/**
 * The parameters without the brand filter, for the endpoints that do not take `brand` (they read their own
 * list of filters, not the analytics engine's): the response explorer (/responses, /responses/export.csv)
 * and the PDF report (/reports/pdf). Sending it there would be ignored, not applied.
 */
export function withoutBrand(params: Record<string, QueryValue>): Record<string, QueryValue> {
  const { brand: _brand, ...rest } = params;
  return rest;
}

/** The last day of the period (day, ISO week, month, quarter) that starts on `key`. */
export function periodLastDay(key: string, interval: Interval): string {
  if (interval === 'day') return key;
  if (interval === 'week') return addDays(key, 6);
  const [y, m] = key.split('-').map(Number);
  const months = interval === 'month' ? 1 : 3;
  const next = m + months > 12 ? `${y + 1}-${String(m + months - 12).padStart(2, '0')}-01` : `${y}-${String(m + months).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * A trend point covers only part of its period when the period ends after the last day with data (today
 * in the company time zone, or the end of the chosen range) or starts before the chosen range: its n is
 * small and its score not comparable with the full periods beside it.
 */
export function isPartialPeriod(key: string, interval: Interval, range: Period, today: string): boolean {
  const lastDay = range.to < today ? range.to : today;
  return periodLastDay(key, interval) > lastDay || (range.from !== null && key < range.from);
}

/** A link to `pathname` keeping the current URL's parameters, with some changed (null removes one). */
export function hrefWith(url: URL, pathname: string, changes: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams(url.searchParams);
  for (const [key, value] of Object.entries(changes)) {
    search.delete(key);
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `${pathname}?${s}` : pathname;
}

export function activeFilterCount(filters: Filters): number {
  return FILTER_KEYS.reduce((n, key) => n + filters[key].length, 0);
}
