// The case API's shapes as the pages use them (see api/src/cases/cases.schemas.ts).
import type { BusinessHours, Filter, Trigger } from '@rs/api/cases/rules';

export type CaseStatus = 'open' | 'in_progress' | 'resolved' | 'closed' | 'reopened';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type RootCause = 'vehicle_condition' | 'staff' | 'price_fees' | 'waiting_time' | 'billing' | 'other';
export type CompensationType = 'none' | 'voucher' | 'refund' | 'discount' | 'upgrade' | 'points' | 'other';

export interface BranchRef {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
}

export interface CaseSummary {
  id: string;
  number: number;
  status: CaseStatus;
  priority: Priority;
  reasonText: { 'zh-CN': string; en: string };
  branch: BranchRef | null;
  customerName: string | null;
  ownerName: string | null;
  ownerEmail: string | null;
  escalationLevel: number;
  escalatedToName: string | null;
  rootCause: RootCause | null;
  createdAt: string;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  overdue: boolean;
  breached: boolean;
}

export interface CaseEvent {
  id: number;
  at: string;
  kind: string;
  actor: string;
  channel: 'call' | 'email' | 'sms' | null;
  body: string | null;
  data: Record<string, unknown> | null;
}

export interface CaseDetail extends CaseSummary {
  version: number;
  rule: { id: string; name: string };
  surveyId: string;
  responseId: string;
  assigneeKind: 'branch_manager' | 'team' | 'user';
  teamId: string | null;
  escalatedToEmail: string | null;
  businessHours: BusinessHours | null;
  timeZone: string;
  closedAt: string | null;
  reopenedAt: string | null;
  firstResponseBreachedAt: string | null;
  resolutionBreachedAt: string | null;
  resolution: string | null;
  compensationType: CompensationType | null;
  compensationAmount: number | null;
  followUpWanted: boolean;
  followUp: { invitationId: string; status: string; sentAt: string | null; resolved: 'yes' | 'partly' | 'no' | null } | null;
  customer: {
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    preferredLanguage: string | null;
    valueTier: string | null;
    customerType: string;
    memberLevel: string | null;
  } | null;
  rental: { id: string; externalId: string; vehicleClass: string; pickedUpAt: string; returnedAt: string; amount: number; bookingChannel: string } | null;
  response: { id: string; finishedAt: string | null; locale: string; definition: unknown; answers: Record<string, unknown> };
  events: CaseEvent[];
  permissions: { write: boolean };
}

export interface CaseOptions {
  users: { id: string; name: string; email: string; role: string }[];
  teams: { id: string; name: string; email: string }[];
  branches: (BranchRef & { region: string })[];
  me: { email: string | null };
}

export interface AlertRule {
  id: string;
  surveyId: string;
  surveyName: string;
  name: string;
  enabled: boolean;
  triggers: Trigger[];
  filters: Filter[];
  priority: Priority;
  assignTo: 'branch_manager' | 'team';
  teamId: string | null;
  teamName: string | null;
  firstResponseHours: number;
  resolutionHours: number;
  businessHours: BusinessHours | null;
  followUpSurvey: boolean;
  cases: number;
}

export interface EscalationContact {
  id: string;
  level: 'regional_manager' | 'quality_manager';
  region: string | null;
  name: string;
  email: string;
}

export interface MetricsRow {
  branch: BranchRef | null;
  cases: number;
  open: number;
  medianHoursToFirstResponse: number | null;
  medianHoursToResolution: number | null;
  slaDecided: number;
  slaBreached: number;
  slaBreachRate: number | null;
  followUpAnswers: number;
  recovered: number;
  recoveryRate: number | null;
}

export interface CaseMetrics {
  from: string | null;
  to: string | null;
  rows: MetricsRow[];
  total: MetricsRow;
}
