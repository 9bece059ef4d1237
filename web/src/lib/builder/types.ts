// Shapes of the survey-design API the builder pages use (the OpenAPI document is the full contract).
import type { SurveyDefinition, VersionComparison } from '@rs/api/surveys/definition/index';

export type SurveyStatus = 'draft' | 'active' | 'archived';

export interface SurveyListItem {
  id: string;
  name: string;
  kind: string;
  status: SurveyStatus;
  latestVersion: number | null;
  publishedAt: string | null;
  draftUpdatedAt: string;
  unpublishedChanges: boolean;
  responses: number;
  receivesRentalInvitations: boolean;
}

export interface VersionSummary {
  version: number;
  publishedAt: string;
  breaksComparability: boolean;
  changes: { added: number; removed: number; changed: number } | null;
  invitations: number;
  responses: number;
}

export interface SurveyDetail {
  id: string;
  name: string;
  kind: string;
  status: SurveyStatus;
  createdAt: string;
  latestVersion: number | null;
  responses: number;
  receivesRentalInvitations: boolean;
  draft: { definition: SurveyDefinition; updatedAt: string; baseVersion: number | null; unpublishedChanges: boolean };
  versions: VersionSummary[];
}

export interface VersionDetail {
  surveyId: string;
  version: number;
  publishedAt: string;
  definition: SurveyDefinition;
  changeSummary: VersionComparison | null;
  invitations: number;
  responses: number;
}

export interface PublishResult {
  surveyId: string;
  version: number;
  publishedAt: string;
  changeSummary: VersionComparison | null;
  breaksComparability: boolean;
  warnings: { path: string; message: string }[];
}

export interface PublishPreview {
  baseVersion: number | null;
  nextVersion: number;
  unpublishedChanges: boolean;
  valid: boolean;
  issues: { path: string; message: string }[];
  changeSummary: VersionComparison | null;
  breaksComparability: boolean;
}

export interface TemplateSummary {
  id: string;
  kind: string;
  name: Record<string, string>;
  description: Record<string, string>;
  defaultLocale: string;
  locales: string[];
  pages: number;
  questions: number;
}
