// Shapes of the distribution API as the pages use them.
export interface FunnelCounts {
  eligible: number;
  invited: number;
  sent: number;
  failed: number;
  opened: number;
  started: number;
  finished: number;
  optedOut: number;
  responseRate: number | null;
}

export interface Funnel {
  surveyId: string;
  from: string | null;
  to: string | null;
  groupBy: string;
  total: FunnelCounts;
  groups: (FunnelCounts & { key: string; label: string })[];
}

export interface DistributionStatus {
  transports: { email: 'smtp' | 'outbox'; sms: 'sms_webhook' | 'outbox' };
  ratePerSecond: { email: number; sms: number };
  deliveries: Record<string, number>;
  unconfirmed: number;
  badAddresses: number;
  segmentsRefreshedAt: string | null;
  nextDueAt: string | null;
}

export interface OutboxMessage {
  id: number;
  deliveryId: string;
  invitationId: string;
  kind: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  link: string;
  createdAt: string;
}

export interface Delivery {
  id: string;
  invitationId: string;
  step: number;
  kind: string;
  channel: 'email' | 'sms';
  status: 'scheduled' | 'queued' | 'sent' | 'failed' | 'dead' | 'skipped' | 'cancelled';
  outcome: string | null;
  attempts: number;
  lastError: string | null;
  dueAt: string;
  sentAt: string | null;
  updatedAt: string;
  branchCode: string;
  surveyName: string;
  to: string | null;
}

export interface ImportJob {
  id: string;
  fileName: string;
  status: 'uploaded' | 'queued' | 'running' | 'done' | 'failed';
  bytesTotal: number;
  bytesDone: number;
  header: string[];
  mapping: Record<string, number> | null;
  rowsDone: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  invitationsCreated: number;
  rowsPerSecond: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  createdAt: string;
}

export interface ImportUpload extends ImportJob {
  encoding: string;
  sample: string[][];
  suggestedMapping: Record<string, number>;
  fields: { key: string; required: boolean }[];
}

export interface Rejection {
  row: number;
  fields: string[];
  reason: string;
  externalId: string | null;
}

export type Channel = 'email' | 'sms';
export type MessageKind = 'invitation' | 'reminder_not_opened' | 'reminder_unfinished';
export type MessageLocale = 'zh-CN' | 'zh-TW' | 'en';

export interface InvitationRules {
  enabled: boolean;
  eligibility: { branches: string[]; vehicleClasses: string[]; bookingChannels: string[]; sampleRatePercent: number; maxDaysSinceReturn: number };
  delayMinutes: number;
  quietHours: { enabled: boolean; start: string; end: string; channels: Channel[] };
  channelOrder: Channel[];
  fatigueDays: number;
  expiryDays: number;
  reminders: { count: number; afterDays: number; notOpened: boolean; openedNotFinished: boolean };
  templates: Partial<Record<MessageKind, Partial<Record<MessageLocale, { subject?: string; body?: string; sms?: string }>>>>;
}

export interface RulesResult {
  surveyId: string;
  rules: InvitationRules;
  isDefault: boolean;
  updatedAt: string | null;
  defaultTexts: Record<MessageKind, Record<MessageLocale, { subject: string; body: string; sms: string }>>;
}

export interface SurveyListItem {
  id: string;
  name: string;
  kind: string;
  status: string;
  receivesRentalInvitations: boolean;
  latestVersion: number | null;
}

export const FIELD_KEYS = [
  'externalId',
  'customerExternalId',
  'customerName',
  'email',
  'phone',
  'preferredLanguage',
  'consentEmail',
  'consentSms',
  'customerType',
  'memberLevel',
  'pickupBranch',
  'returnBranch',
  'vehicleClass',
  'pickedUpAt',
  'returnedAt',
  'amount',
  'bookingChannel',
] as const;
