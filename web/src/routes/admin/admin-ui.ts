// What the admin pages share: the choices their forms offer and how they show a date-time.
import type { ApiKey, Webhook } from '@rs/api/contract';

// The form's checkboxes; `satisfies` fails the type check when the API drops or renames one.
export const API_KEY_SCOPES = ['rentals:write', 'responses:read', 'analytics:read', 'surveys:read'] as const satisfies readonly ApiKey['scopes'][number][];
export const WEBHOOK_EVENTS = [
  'response.finished',
  'case.created',
  'case.updated',
  'case.assigned',
  'case.escalated',
  'case.resolved',
  'case.closed',
  'case.reopened',
] as const satisfies readonly Webhook['events'][number][];

// …and when the API adds one the forms do not offer yet.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyScope: Same<(typeof API_KEY_SCOPES)[number], ApiKey['scopes'][number]> = true;
const everyEvent: Same<(typeof WEBHOOK_EVENTS)[number], Webhook['events'][number]> = true;
void everyScope;
void everyEvent;

/** A date-time in the UI language and the company time zone. */
export { formatDateTime as when } from '$lib/time';
