// When digests go out and which days they cover (api/src/reports/schedule.ts), worked out by hand: local
// hours in Shanghai and in Berlin across the start of summer time, month ends, and the catch-up window.
import { describe, expect, it } from 'vitest';
import { digestPeriod, dueOccurrence, latestOccurrence, nextOccurrence, trendStart } from '../../api/src/reports/schedule.ts';

const weekly = { frequency: 'weekly' as const, weekday: 1, sendHour: 8 };
const monthly = { frequency: 'monthly' as const, weekday: 1, sendHour: 8 };

describe('send times', () => {
  it('puts a weekly digest on the chosen weekday at the local hour (Shanghai, UTC+8)', () => {
    // Wednesday 3 June 2026, 12:00 in Shanghai: the latest Monday 08:00 was 1 June, 00:00 UTC.
    const at = new Date('2026-06-03T04:00:00Z');
    expect(latestOccurrence(weekly, at, 'Asia/Shanghai')).toEqual({ date: '2026-06-01', at: new Date('2026-06-01T00:00:00Z'), periodKey: 'weekly:2026-06-01' });
    expect(nextOccurrence(weekly, at, 'Asia/Shanghai')).toEqual(new Date('2026-06-08T00:00:00Z'));
    // Monday 07:59 local is still the week before.
    expect(latestOccurrence(weekly, new Date('2026-05-31T23:59:00Z'), 'Asia/Shanghai').date).toBe('2026-05-25');
    // A Friday digest.
    expect(latestOccurrence({ ...weekly, weekday: 5 }, at, 'Asia/Shanghai').date).toBe('2026-05-29');
  });

  it('follows summer time: Berlin 08:00 is 07:00 UTC in March before the change and 06:00 UTC after', () => {
    expect(latestOccurrence(weekly, new Date('2026-03-24T12:00:00Z'), 'Europe/Berlin').at).toEqual(new Date('2026-03-23T07:00:00Z'));
    expect(latestOccurrence(weekly, new Date('2026-03-31T12:00:00Z'), 'Europe/Berlin').at).toEqual(new Date('2026-03-30T06:00:00Z'));
  });

  it('puts a monthly digest on the 1st, and before its hour on the 1st the month before counts', () => {
    expect(latestOccurrence(monthly, new Date('2026-07-15T00:00:00Z'), 'Asia/Shanghai')).toMatchObject({ date: '2026-07-01', periodKey: 'monthly:2026-07' });
    expect(latestOccurrence(monthly, new Date('2026-06-30T23:30:00Z'), 'Asia/Shanghai').date).toBe('2026-06-01');
    expect(nextOccurrence(monthly, new Date('2026-12-05T00:00:00Z'), 'Asia/Shanghai')).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('is due from its time for a day, and never for a time before the subscription', () => {
    const createdAt = new Date('2026-05-31T04:00:00Z');
    expect(dueOccurrence({ ...weekly, createdAt }, new Date('2026-05-31T23:59:00Z'), 'Asia/Shanghai')).toBeNull();
    expect(dueOccurrence({ ...weekly, createdAt }, new Date('2026-06-01T00:00:00Z'), 'Asia/Shanghai')?.periodKey).toBe('weekly:2026-06-01');
    expect(dueOccurrence({ ...weekly, createdAt }, new Date('2026-06-01T23:59:00Z'), 'Asia/Shanghai')?.periodKey).toBe('weekly:2026-06-01');
    expect(dueOccurrence({ ...weekly, createdAt }, new Date('2026-06-02T00:00:00Z'), 'Asia/Shanghai')).toBeNull();
    // Subscribed on Monday after 08:00: that Monday's digest is not sent.
    expect(dueOccurrence({ ...weekly, createdAt: new Date('2026-06-01T02:00:00Z') }, new Date('2026-06-01T03:00:00Z'), 'Asia/Shanghai')).toBeNull();
  });
});

describe('the days a digest covers', () => {
  it('is the seven days before a weekly digest and the calendar month before a monthly one', () => {
    expect(digestPeriod('weekly', '2026-06-01')).toEqual({ from: '2026-05-25', to: '2026-05-31' });
    expect(digestPeriod('monthly', '2026-03-01')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(digestPeriod('monthly', '2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    // A test in the middle of a month covers the whole month before.
    expect(digestPeriod('monthly', '2028-03-17')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('draws the trend over twelve weeks or twelve months', () => {
    expect(trendStart('weekly', { from: '2026-05-25' })).toBe('2026-03-09');
    expect(trendStart('monthly', { from: '2026-05-01' })).toBe('2025-06-01');
  });
});
