// Wall-clock arithmetic in a branch's time zone (IANA names), for quiet hours.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The instant at which the wall clock in `timeZone` shows the given date and time. */
export function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  // Two rounds settle the offset, also next to a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const w = wallTime(new Date(guess), timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    guess += wanted - shown;
  }
  return new Date(guess);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `instant` falls inside [start, end) on the branch's wall clock; the window may span midnight. */
export function inQuietHours(instant: Date, timeZone: string, start: string, end: string): boolean {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === e) return false;
  const w = wallTime(instant, timeZone);
  const m = w.hour * 60 + w.minute;
  return s < e ? m >= s && m < e : m >= s || m < e;
}

/** `instant`, or the end of the quiet hours it falls into (e.g. 21:30 → 09:00 the next morning). */
export function afterQuietHours(instant: Date, timeZone: string, start: string, end: string): Date {
  if (!inQuietHours(instant, timeZone, start, end)) return instant;
  const e = minutesOf(end);
  const w = wallTime(instant, timeZone);
  const m = w.hour * 60 + w.minute;
  // Before the end on the same day (e.g. 02:00 → 09:00), otherwise the end on the next day.
  const nextDay = m >= e;
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day + (nextDay ? 1 : 0)));
  return zonedToInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.floor(e / 60), e % 60, timeZone);
}

/** A date and time as the customer reads it in the branch's zone, e.g. "2026-05-31 18:00". */
export function formatWallTime(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}
