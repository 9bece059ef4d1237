// When a digest goes out and which days it covers, in the company time zone. Pure functions of the
// subscription and the clock: the periodic job (reports.jobs.ts) and the tests use the same ones.
import { addDays } from '../analytics/engine/groups.ts';
import { wallTime, zoneOffsetMs } from '../lib/time-zone.ts';
import type { Frequency } from './reports.schemas.ts';

export interface Schedule {
  frequency: Frequency;
  /** ISO weekday (1 = Monday) of a weekly digest. */
  weekday: number;
  /** Local hour. */
  sendHour: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date (YYYY-MM-DD) at an instant. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The instant a local date and hour is (the zone's offset at that moment). */
export function localInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour);
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return new Date(guess);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export interface Occurrence {
  /** The local date it goes out. */
  date: string;
  /** The instant it goes out. */
  at: Date;
  /** One per subscription and occurrence: the claim's key (weekly:2026-06-01, monthly:2026-06). */
  periodKey: string;
}

/** The latest send time at or before `now`. */
export function latestOccurrence(schedule: Schedule, now: Date, timeZone: string): Occurrence {
  const today = localDate(now, timeZone);
  let date: string;
  if (schedule.frequency === 'weekly') {
    date = addDays(today, -((isoWeekday(today) - schedule.weekday + 7) % 7));
    if (localInstant(date, schedule.sendHour, timeZone) > now) date = addDays(date, -7);
  } else {
    date = `${today.slice(0, 7)}-01`;
    if (localInstant(date, schedule.sendHour, timeZone) > now) date = `${previousMonth(date.slice(0, 7))}-01`;
  }
  return {
    date,
    at: localInstant(date, schedule.sendHour, timeZone),
    periodKey: schedule.frequency === 'weekly' ? `weekly:${date}` : `monthly:${date.slice(0, 7)}`,
  };
}

/** The next send time after `now`. */
export function nextOccurrence(schedule: Schedule, now: Date, timeZone: string): Date {
  const last = latestOccurrence(schedule, now, timeZone);
  const date = schedule.frequency === 'weekly' ? addDays(last.date, 7) : `${nextMonth(last.date.slice(0, 7))}-01`;
  return localInstant(date, schedule.sendHour, timeZone);
}

/** A digest that could not go out within this long after its time (the service was down) is skipped. */
export const CATCH_UP_MS = 24 * 3_600_000;

/**
 * The occurrence due at `now`, or null: its time has come, it is less than a day ago, and it is not from
 * before the subscription was made (subscribing on a Tuesday does not send last Monday's digest).
 */
export function dueOccurrence(schedule: Schedule & { createdAt: Date }, now: Date, timeZone: string): Occurrence | null {
  const last = latestOccurrence(schedule, now, timeZone);
  if (last.at < schedule.createdAt) return null;
  if (now.getTime() - last.at.getTime() >= CATCH_UP_MS) return null;
  return last;
}

/**
 * The days a digest sent on `date` covers: weekly, the seven days before; monthly, the calendar month
 * before. (The previous period it is compared with is as long and ends the day before: the compare API's.)
 */
export function digestPeriod(frequency: Frequency, date: string): { from: string; to: string } {
  if (frequency === 'weekly') return { from: addDays(date, -7), to: addDays(date, -1) };
  const month = previousMonth(date.slice(0, 7));
  return { from: `${month}-01`, to: addDays(`${date.slice(0, 7)}-01`, -1) };
}

/** The trend's first day: twelve weeks or twelve months up to the period's end. */
export function trendStart(frequency: Frequency, period: { from: string }): string {
  if (frequency === 'weekly') return addDays(period.from, -7 * 11);
  let month = period.from.slice(0, 7);
  for (let i = 0; i < 11; i++) month = previousMonth(month);
  return `${month}-01`;
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
}
