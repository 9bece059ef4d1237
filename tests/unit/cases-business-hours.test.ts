import { describe, expect, it } from 'vitest';
import {
  addWorkingTime,
  businessHoursProblem,
  slaTimes,
  workingTimeBetween,
  zonedTimeToInstant,
  type BusinessHours,
} from '../../api/src/cases/business-hours.ts';

const H = 3_600_000;
const weekdays: BusinessHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
const SH = 'Asia/Shanghai';
// 2026-06-05 is a Friday; Shanghai is UTC+8 all year.
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('addWorkingTime', () => {
  it('is plain addition without business hours', () => {
    expect(addWorkingTime(shanghai('2026-06-05T16:00:00'), 24 * H, null, SH).toISOString()).toBe(shanghai('2026-06-06T16:00:00').toISOString());
  });

  it('carries what is left on Friday evening over the weekend to Monday', () => {
    // 2 h left on Friday (16:00–18:00), the other 2 h from Monday 09:00.
    expect(addWorkingTime(shanghai('2026-06-05T16:00:00'), 4 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-08T11:00:00').toISOString());
  });

  it('starts counting at opening time when started before it', () => {
    expect(addWorkingTime(shanghai('2026-06-03T06:30:00'), 1 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-03T10:00:00').toISOString());
  });

  it('starts on the next working day when started after closing or on a weekend', () => {
    expect(addWorkingTime(shanghai('2026-06-03T19:00:00'), 30 * 60_000, weekdays, SH).toISOString()).toBe(shanghai('2026-06-04T09:30:00').toISOString());
    expect(addWorkingTime(shanghai('2026-06-06T12:00:00'), 1 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-08T10:00:00').toISOString());
  });

  it('ends exactly at closing time when the duration fills the day', () => {
    expect(addWorkingTime(shanghai('2026-06-03T09:00:00'), 9 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-03T18:00:00').toISOString());
  });

  it('counts 24 business hours as two days and six hours of 9-hour days', () => {
    // Wed 10:00: 8 h Wed, 9 h Thu, 7 h Fri → Fri 16:00.
    expect(addWorkingTime(shanghai('2026-06-03T10:00:00'), 24 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-05T16:00:00').toISOString());
    // 72 h from Wed 10:00: 8 + 9 + 9 (Fri) + 9·5 (next week Mon–Fri) = 71 → 1 h on the Monday after: 10:00.
    expect(addWorkingTime(shanghai('2026-06-03T10:00:00'), 72 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-15T10:00:00').toISOString());
  });

  it('uses the local day of the given time zone, not UTC', () => {
    // 2026-06-05 23:30 UTC is Saturday 07:30 in Shanghai: nothing counts until Monday 09:00 there.
    expect(addWorkingTime(new Date('2026-06-05T23:30:00Z'), 1 * H, weekdays, SH).toISOString()).toBe(shanghai('2026-06-08T10:00:00').toISOString());
    // 2026-06-04 23:30 UTC is already Friday 00:30 in London (BST): the hour lands on Friday 10:00 BST.
    expect(addWorkingTime(new Date('2026-06-04T23:30:00Z'), 1 * H, weekdays, 'Europe/London').toISOString()).toBe('2026-06-05T09:00:00.000Z');
  });

  it('keeps opening hours in local time across a daylight-saving change', () => {
    // Berlin moves to summer time on Sunday 2026-03-29: Friday 17:00 CET (16:00Z) + 2 h → Monday 10:00 CEST (08:00Z).
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
    expect(addWorkingTime(new Date('2026-03-27T16:00:00Z'), 2 * H, hours, 'Europe/Berlin').toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('allows a window to the end of the day', () => {
    const late = { days: [1, 2, 3, 4, 5, 6, 7], start: '20:00', end: '24:00' };
    expect(addWorkingTime(shanghai('2026-06-03T23:00:00'), 2 * H, late, SH).toISOString()).toBe(shanghai('2026-06-04T21:00:00').toISOString());
  });

  it('refuses a broken calendar and a negative duration', () => {
    expect(() => addWorkingTime(new Date(), H, { days: [], start: '09:00', end: '18:00' })).toThrow(/working day/);
    expect(() => addWorkingTime(new Date(), H, { days: [1], start: '18:00', end: '09:00' })).toThrow(/after start/);
    expect(() => addWorkingTime(new Date(), -1, null)).toThrow();
  });
});

describe('workingTimeBetween', () => {
  it('is the inverse of addWorkingTime', () => {
    const start = shanghai('2026-06-04T17:15:00');
    for (const hours of [0.5, 3, 9, 20, 50]) {
      const end = addWorkingTime(start, hours * H, weekdays, SH);
      expect(workingTimeBetween(start, end, weekdays, SH)).toBe(hours * H);
    }
  });

  it('counts nothing over a weekend', () => {
    expect(workingTimeBetween(shanghai('2026-06-05T18:00:00'), shanghai('2026-06-08T09:00:00'), weekdays, SH)).toBe(0);
  });
});

describe('slaTimes', () => {
  it('reminds at three quarters of each time limit', () => {
    const t = slaTimes(shanghai('2026-06-01T10:00:00'), { firstResponseHours: 24, resolutionHours: 72 }, null, SH);
    expect(t.firstResponseWarnAt.toISOString()).toBe(shanghai('2026-06-02T04:00:00').toISOString());
    expect(t.firstResponseDueAt.toISOString()).toBe(shanghai('2026-06-02T10:00:00').toISOString());
    expect(t.resolutionWarnAt.toISOString()).toBe(shanghai('2026-06-03T16:00:00').toISOString());
    expect(t.resolutionDueAt.toISOString()).toBe(shanghai('2026-06-04T10:00:00').toISOString());
  });
});

describe('zonedTimeToInstant and businessHoursProblem', () => {
  it('maps local midnight in Shanghai to 16:00 UTC the day before', () => {
    expect(new Date(zonedTimeToInstant(2026, 6, 1, 0, SH)).toISOString()).toBe('2026-05-31T16:00:00.000Z');
  });
  it('names what is wrong', () => {
    expect(businessHoursProblem({ days: [1], start: '9:00', end: '18:00' })).toMatch(/start/);
    expect(businessHoursProblem({ days: [8], start: '09:00', end: '18:00' })).toMatch(/1 \(Monday\)/);
    expect(businessHoursProblem(weekdays)).toBeNull();
  });
});
