// The company time zone on the web server. Signed-in pages take it from the API (GET /api/auth/me);
// pages without a user (the customers' survey links) read the same setting, which the API shares with
// this process, with the same default.
import { env } from '$env/dynamic/private';
import { DEFAULT_TIME_ZONE } from '$lib/time';

export function serverTimeZone(user?: { timeZone?: string } | null): string {
  return user?.timeZone || env.COMPANY_TIME_ZONE || DEFAULT_TIME_ZONE;
}
