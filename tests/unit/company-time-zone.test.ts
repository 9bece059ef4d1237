// Dates are formatted in one module ($lib/time) in the company time zone the server names; no other web
// file picks a zone of its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTime } from '$lib/cases/labels';
import { fmtDateTime } from '$lib/dashboard/format';
import { companyTimeZone, DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatShortDateTime, setCompanyTimeZone, todayIn } from '$lib/time';

const webSrc = fileURLToPath(new URL('../../web/src', import.meta.url));
const AT = '2026-01-15T20:00:00Z'; // 21:00 on the 15th in Berlin, 04:00 on the 16th in Shanghai

afterEach(() => setCompanyTimeZone(DEFAULT_TIME_ZONE));

describe('the company time zone', () => {
  it('is Asia/Shanghai until the server names another, like the API default', () => {
    expect(companyTimeZone()).toBe('Asia/Shanghai');
    expect(formatShortDateTime('en-CA', AT)).toBe('2026-01-16, 04:00');
    expect(todayIn(undefined, new Date(AT))).toBe('2026-01-16');
  });

  it('changes every formatter, the pages’ own names for them included', () => {
    setCompanyTimeZone('Europe/Berlin');
    expect(formatShortDateTime('en-CA', AT)).toBe('2026-01-15, 21:00');
    expect(formatTime('en-CA', AT)).toBe('2026-01-15, 21:00');
    expect(formatDate('en', AT)).toBe('Jan 15, 2026');
    expect(formatDateTime('en', AT).replace(/\s+/g, ' ')).toBe('Jan 15, 2026, 9:00 PM');
    expect(fmtDateTime('en', AT)).toBe(formatDateTime('en', AT));
    expect(todayIn(undefined, new Date(AT))).toBe('2026-01-15');
  });

  it('keeps the zone it had when the server names one this runtime does not know', () => {
    setCompanyTimeZone('Europe/Berlin');
    setCompanyTimeZone('Mars/Olympus_Mons');
    expect(companyTimeZone()).toBe('Europe/Berlin');
  });

  it('an explicit zone (a branch’s own) wins over the company zone', () => {
    setCompanyTimeZone('Europe/Berlin');
    expect(formatShortDateTime('en-CA', AT, 'Asia/Shanghai')).toBe('2026-01-16, 04:00');
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|js|svelte)$/.test(name) ? [file] : [];
  });
}

describe('web sources', () => {
  it('name a time zone only as the default in $lib/time (translation texts may cite one as an example)', () => {
    const zone = /['"`](?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_+-]+['"`]/;
    const offenders = sourceFiles(webSrc)
      .map((file) => path.relative(webSrc, file).split(path.sep).join('/'))
      .filter((rel) => rel !== 'lib/time.ts' && !/^lib\/i18n(\.ts|\/)/.test(rel))
      .filter((rel) => zone.test(readFileSync(path.join(webSrc, rel), 'utf8')));
    expect(offenders).toEqual([]);
    expect(readFileSync(path.join(webSrc, 'lib/time.ts'), 'utf8')).toMatch(/DEFAULT_TIME_ZONE = 'Asia\/Shanghai'/);
  });

  it('format dates and times only through $lib/time (else a page shows the server’s or the browser’s zone)', () => {
    const ownFormatter = /new Intl\.DateTimeFormat\(|\.toLocale(?:Date|Time)?String\([^)]*(?:dateStyle|timeStyle)/;
    const offenders = sourceFiles(webSrc)
      .map((file) => path.relative(webSrc, file).split(path.sep).join('/'))
      .filter((rel) => rel !== 'lib/time.ts')
      .filter((rel) => ownFormatter.test(readFileSync(path.join(webSrc, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
