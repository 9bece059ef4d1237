// The dashboard's state lives in the URL (a view is shared as a link): survey, period and segment filters.

export const FILTER_KEYS = ['branch', 'region', 'tier', 'customerType', 'vehicleClass', 'channel'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string[]>;

export const PERIOD_KINDS = ['all', '30d', '90d', 'quarter', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const INTERVALS = ['day', 'week', 'month', 'quarter'] as const;
export type Interval = (typeof INTERVALS)[number];

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

/** Today's date in a time zone (the company's). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

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
    filters[key] = [...new Set(params.getAll(key).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
  }
  return filters;
}

/** The dashboard state of a URL; anything missing or invalid falls back to all answers up to today. */
export function readState(url: URL, today: string): DashboardState {
  const p = url.searchParams;
  const kind = (PERIOD_KINDS as readonly string[]).includes(p.get('period') ?? '') ? (p.get('period') as PeriodKind) : null;
  const from = p.get('from');
  const to = p.get('to');
  let period: PeriodKind = kind ?? (isDate(from) && isDate(to) ? 'custom' : 'all');
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
  return { survey: p.get('survey'), period, quarter, range, previous, interval, filters: readFilters(p) };
}

export type QueryValue = string | number | null | undefined | string[];

/** `?a=1&b=x&b=y` from a record; empty values are left out. */
export function toQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The analytics API's query parameters for this state (period `range` unless another is given). */
export function apiParams(state: DashboardState, extra: Record<string, QueryValue> = {}, range: Period = state.range): Record<string, QueryValue> {
  return { survey: state.survey, from: range.from, to: range.to, ...state.filters, ...extra };
}

/** The URL parameters that describe the state (what a shared link carries). */
export function stateParams(state: DashboardState): Record<string, QueryValue> {
  return {
    survey: state.survey,
    period: state.period,
    quarter: state.period === 'quarter' ? state.quarter : null,
    from: state.period === 'custom' ? state.range.from : null,
    to: state.period === 'custom' ? state.range.to : null,
    ...state.filters,
  };
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
