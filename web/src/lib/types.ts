// Response shapes of the API used by the pages (the OpenAPI document is the full contract).
export interface NpsBlock {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
  se: number | null;
  ci95: [number, number] | null;
}

export interface SummaryGroup {
  key: string;
  label: string;
  responses: number;
  suppressed: boolean;
  nps: NpsBlock;
}

export interface Summary {
  survey: string;
  from: string | null;
  to: string | null;
  groupBy: string;
  minN: number;
  groups: SummaryGroup[];
  total: SummaryGroup;
}

export interface SurveySummary {
  id: string;
  name: string;
  kind: string;
  status: 'draft' | 'active' | 'archived';
  latestVersion: number | null;
  responses: number;
}
