// Wall-clock arithmetic in a branch's time zone (IANA names), for quiet hours.

import { wallTime } from '../lib/time-zone.ts';

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
