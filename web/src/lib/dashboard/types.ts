// Shapes of the analytics endpoints the dashboards read (see issue 6 and the OpenAPI document).
import type { Summary, SummaryGroup } from '$lib/types';

export type { Summary, SummaryGroup };

/** An endpoint's answer as a page sees it: the data, "not available on this server", or an error to show. */
export type Loaded<T> =
  | { status: 'ok'; data: T }
  | { status: 'unavailable' }
  | { status: 'error'; httpStatus: number; message: string };

/** One metric's difference against the rest or the previous period. */
export interface MetricDifference {
  difference: number | null;
  p: number | null;
  /** Holm-corrected p across the groups, when the API gives it. */
  pAdjusted: number | null;
  /** null when no test is available. */
  significant: boolean | null;
}

export interface CompareGroup {
  key: string;
  label: string;
  nps: MetricDifference | null;
  csat: MetricDifference | null;
  csi: MetricDifference | null;
  pp100: MetricDifference | null;
}

export interface Comparison {
  against: 'rest' | 'previous';
  previous: { from: string; to: string } | null;
  groups: CompareGroup[];
  total: CompareGroup | null;
}

export type Quadrant = 'concentrate_here' | 'keep_up' | 'low_priority' | 'possible_overkill';

export interface Driver {
  id: string;
  label: string;
  weight: number | null;
  share: number | null;
  sign: number | null;
  r: number | null;
  beta: number | null;
  performance: number | null;
  quadrant: Quadrant | null;
}

export interface DriversResult {
  method: string;
  outcome: string;
  n: number;
  r2: number | null;
  /** Quadrant cut lines: importance 100 / p, performance the mean over the drivers. */
  shareCut: number | null;
  performanceCut: number | null;
  responsesWithOutcome: number | null;
  drivers: Driver[];
  warnings: string[];
}

export interface FunnelRow {
  key: string;
  label: string;
  sent: number | null;
  finished: number | null;
  /** finished / sent, in percent. */
  responseRate: number | null;
  steps: { id: string; count: number }[];
}

export interface Funnel {
  groups: FunnelRow[];
  total: FunnelRow | null;
}

export interface ProblemRow {
  id: string;
  label: string;
  count: number;
  /** Share of all problems checked, percent. */
  share: number | null;
  /** Share of answering responses that checked it, percent. */
  incidence: number | null;
  cumulative: number | null;
}

export interface ProblemsResult {
  n: number | null;
  problems: ProblemRow[];
}

export interface ThemeTerm {
  term: string;
  /** word or phrase (two words) */
  kind: 'word' | 'phrase';
  /** Comments that contain the term. */
  count: number;
  /** Percent of the comments. */
  share: number | null;
  examples: string[];
}

export interface ThemeGroup {
  /** detractor | passive | promoter | all */
  key: string;
  label: string;
  /** Comments analysed in this group. */
  n: number | null;
  suppressed: boolean;
  terms: ThemeTerm[];
}

export interface ThemesResult {
  groups: ThemeGroup[];
  /** More comments matched than the API analyses at once. */
  truncated: boolean;
}

export interface LoyaltyCell {
  key: string;
  label: string;
  suppressed: boolean;
  n: number;
  returned: number | null;
  rate: number | null;
  ci95: [number, number] | null;
}

export interface LoyaltyWindow {
  days: number;
  overall: LoyaltyCell | null;
  byNps: LoyaltyCell[];
  byCsi: LoyaltyCell[];
  /** Promoters' rate minus detractors', percentage points. */
  difference: { value: number | null; ci95: [number, number] | null; p: number | null; significant: boolean | null } | null;
}

export interface LoyaltyResult {
  windows: LoyaltyWindow[];
}
