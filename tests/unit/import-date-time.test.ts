// Wall times in an import file (no offset) are read in the import's zone. The offset is cached per zone and
// day, and per hour on the days it changes: every hour of a year, in zones that change at 02:00, 03:00,
// midnight and by half an hour, reads as reading the zone's clock for that very hour does.
import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../api/src/distribution/import.mapping.ts';
import { zonedToInstant } from '../../api/src/distribution/time.ts';
import { wallTime } from '../../api/src/lib/time-zone.ts';

/** The instant of a wall time, the offset read from the zone's clock at that hour (no cache). */
function expected(timeZone: string, y: number, mo: number, d: number, h: number, mi: number): number {
  const instant = zonedToInstant(y, mo, d, h, 0, timeZone);
  const w = wallTime(instant, timeZone);
  const offsetMinutes = (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - instant.getTime()) / 60_000;
  return Date.UTC(y, mo - 1, d, h, mi) - offsetMinutes * 60_000;
}

const pad = (n: number) => String(n).padStart(2, '0');

describe('wall times of an import file', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York', 'America/Santiago', 'Asia/Beirut', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
    it(`read in ${zone} as the zone's clock tells, every hour of 2026`, () => {
      const wrong: string[] = [];
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
        const date = new Date(day);
        const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        for (let h = 0; h < 24; h++) {
          const text = `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:30`;
          const got = parseDateTime(text, zone)?.getTime();
          if (got !== expected(zone, y, mo, d, h, 30)) wrong.push(text);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
