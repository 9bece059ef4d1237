import type { Role } from '$lib/access';

export interface BranchRef {
  id: string;
  code: string;
  name: string;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  branches: BranchRef[];
  status: 'active' | 'invited' | 'locked' | 'disabled';
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserOptions {
  roles: Role[];
  branches: (BranchRef & { region: string; city: string })[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export interface Webhook {
  id: string;
  description: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
  pending: number;
  failed: number;
  lastDeliveryAt: string | null;
  lastStatus: 'pending' | 'delivered' | 'failed' | null;
}

export interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface CustomerMatch {
  id: string;
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  erasedAt: string | null;
  rentals: number;
  responses: number;
  lastRentalAt: string | null;
}

export const API_KEY_SCOPES = ['rentals:write', 'responses:read', 'analytics:read', 'surveys:read'] as const;
export const WEBHOOK_EVENTS = ['response.finished', 'case.created', 'case.updated', 'case.assigned', 'case.escalated', 'case.resolved', 'case.closed', 'case.reopened'] as const;

/** A date-time in the UI language, in the browser-independent company format. */
export function when(locale: string, iso: string | null): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}
