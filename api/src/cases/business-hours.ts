// SLA arithmetic: adding a duration either around the clock or in business hours only, in a branch's
// time zone. Pure functions (no clock, no database).
import { wallTime, zoneOffsetMs } from '../lib/time-zone.ts';

/** Opening hours: ISO weekdays (1 = Monday … 7 = Sunday) and a daily window "HH:MM"–"HH:MM" (end may be 24:00). */
export interface BusinessHours {
  days: number[];
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DAY_MS = 86_400_000;

export function parseHhmm(value: string): number {
  if (!HHMM.test(value)) throw new Error(`not a time of day: ${value}`);
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

/** Why a calendar cannot be used, or null when it can. */
export function businessHoursProblem(hours: BusinessHours): string | null {
  if (!HHMM.test(hours.start) || hours.start === '24:00') return 'start must be a time of day (HH:MM)';
  if (!HHMM.test(hours.end)) return 'end must be a time of day (HH:MM, or 24:00)';
  if (parseHhmm(hours.end) <= parseHhmm(hours.start)) return 'end must be after start';
  if (hours.days.length === 0) return 'at least one working day is needed';
  if (hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'days are 1 (Monday) to 7 (Sunday)';
  return null;
}

/**
 * The instant a wall-clock time in the zone happens. A time skipped by a daylight-saving jump is moved
 * forward by the jump; a repeated time maps to its first occurrence.
 */
export function zonedTimeToInstant(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  let guess = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(guess, timeZone);
  if (second !== guess) {
    // Near a change of offset: take the earlier candidate that still reads as this wall time, else the later.
    const a = Math.min(guess, second);
    const b = Math.max(guess, second);
    guess = a + zoneOffsetMs(a, timeZone) === wall ? a : b;
  }
  return guess;
}

/** ISO weekday (1 = Monday) of a calendar date. */
function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

function nextDate(year: number, month: number, day: number) {
  const d = new Date(Date.UTC(year, month - 1, day) + DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * `start` plus `durationMs` of working time. Without business hours this is plain addition; with them,
 * only time inside the opening window on working days counts: 4 h added on Friday 16:00 with Monday–Friday
 * 09:00–18:00 ends on Monday 11:00 (local time of `timeZone`).
 */
export function addWorkingTime(start: Date, durationMs: number, hours: BusinessHours | null | undefined, timeZone = 'UTC'): Date {
  if (durationMs < 0) throw new Error('duration must not be negative');
  if (!hours) return new Date(start.getTime() + durationMs);
  const problem = businessHoursProblem(hours);
  if (problem) throw new Error(`invalid business hours: ${problem}`);
  if (durationMs === 0) return new Date(start.getTime());
  const open = parseHhmm(hours.start);
  const close = parseHhmm(hours.end);
  const workdays = new Set(hours.days);

  let cursor = start.getTime();
  let remaining = durationMs;
  let { year, month, day } = wallTime(cursor, timeZone);
  // Ten years of calendar days is far beyond any SLA; the bound only guards against a broken calendar.
  for (let i = 0; i < 3660; i++) {
    if (workdays.has(isoWeekday(year, month, day))) {
      const windowStart = zonedTimeToInstant(year, month, day, open, timeZone);
      const windowEnd = zonedTimeToInstant(year, month, day, close, timeZone);
      const from = Math.max(cursor, windowStart);
      if (from < windowEnd) {
        const available = windowEnd - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
      cursor = Math.max(cursor, windowEnd);
    }
    ({ year, month, day } = nextDate(year, month, day));
  }
  throw new Error('business hours calendar has no working time');
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingTimeBetween(from: Date, to: Date, hours: BusinessHours | null | undefined, timeZone = 'UTC'): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!hours) return b - a;
  const problem = businessHoursProblem(hours);
  if (problem) throw new Error(`invalid business hours: ${problem}`);
  const open = parseHhmm(hours.start);
  const close = parseHhmm(hours.end);
  const workdays = new Set(hours.days);
  let total = 0;
  let { year, month, day } = wallTime(a, timeZone);
  for (let i = 0; i < 3660; i++) {
    const dayStart = zonedTimeToInstant(year, month, day, 0, timeZone);
    if (dayStart >= b) break;
    if (workdays.has(isoWeekday(year, month, day))) {
      const windowStart = Math.max(a, zonedTimeToInstant(year, month, day, open, timeZone));
      const windowEnd = Math.min(b, zonedTimeToInstant(year, month, day, close, timeZone));
      if (windowEnd > windowStart) total += windowEnd - windowStart;
    }
    ({ year, month, day } = nextDate(year, month, day));
  }
  return total;
}

export interface SlaTimes {
  firstResponseDueAt: Date;
  firstResponseWarnAt: Date;
  resolutionDueAt: Date;
  resolutionWarnAt: Date;
}

/** A reminder goes out when this share of the SLA's working time has passed. */
export const WARN_AT_SHARE = 0.75;

/** Due and reminder times of both SLAs for a case opened (or reopened) at `start`. */
export function slaTimes(
  start: Date,
  sla: { firstResponseHours: number; resolutionHours: number },
  hours: BusinessHours | null | undefined,
  timeZone: string,
): SlaTimes {
  const h = 3_600_000;
  return {
    firstResponseDueAt: addWorkingTime(start, sla.firstResponseHours * h, hours, timeZone),
    firstResponseWarnAt: addWorkingTime(start, sla.firstResponseHours * h * WARN_AT_SHARE, hours, timeZone),
    resolutionDueAt: addWorkingTime(start, sla.resolutionHours * h, hours, timeZone),
    resolutionWarnAt: addWorkingTime(start, sla.resolutionHours * h * WARN_AT_SHARE, hours, timeZone),
  };
}
