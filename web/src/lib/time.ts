// Dates and times as the company reads them: every page formats them here, in the company time zone.
// The server says which zone that is (COMPANY_TIME_ZONE, sent with the signed-in user by GET /api/auth/me);
// the root layout hands it to setCompanyTimeZone before any page renders. The zone is one setting of the
// whole installation, so keeping it in this module is safe on the server too (every request has the same).

/** The zone used until the server has said otherwise: the API's own default for COMPANY_TIME_ZONE. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

let zone = DEFAULT_TIME_ZONE;

/** Sets the company time zone (from the root layout's data); an unknown zone name is ignored. */
export function setCompanyTimeZone(timeZone: string | null | undefined): void {
  if (!timeZone || timeZone === zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    zone = timeZone;
  } catch {
    // Not a zone this runtime knows: keep the one before rather than fail every page.
  }
}

export const companyTimeZone = (): string => zone;

const format = (locale: string, options: Intl.DateTimeFormatOptions, iso: string | null | undefined, timeZone: string) =>
  iso ? new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso)) : '–';

/** "2 Jun 2026, 18:00": a moment, medium date and short time. */
export const formatDateTime = (locale: string, iso: string | null | undefined, timeZone = zone): string =>
  format(locale, { dateStyle: 'medium', timeStyle: 'short' }, iso, timeZone);

/** "2 Jun 2026": the day a moment falls on. */
export const formatDate = (locale: string, iso: string | null | undefined, timeZone = zone): string => format(locale, { dateStyle: 'medium' }, iso, timeZone);

/** "2026-06-02 18:00" (short date, 24-hour clock): dense lists and timelines. */
export const formatShortDateTime = (locale: string, iso: string | null | undefined, timeZone = zone): string =>
  format(locale, { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }, iso, timeZone);

/** "2 June 2026": a date in running text, such as a customer's rental date. */
export const formatLongDate = (locale: string, iso: string | null | undefined, timeZone = zone): string => format(locale, { dateStyle: 'long' }, iso, timeZone);

/** Today's calendar day (YYYY-MM-DD) in the zone. */
export function todayIn(timeZone = zone, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
