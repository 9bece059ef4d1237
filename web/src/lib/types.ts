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

export interface CsatBlock {
  n: number;
  top2: number | null;
  mean: number | null;
  ci95: [number, number] | null;
}

export interface CsiDimension {
  id: string;
  label: string;
  score: number | null;
  weight: number;
  n: number;
}

export interface CsiBlock {
  score: number | null;
  dimensions: CsiDimension[];
}

export interface Pp100Block {
  n: number;
  value: number | null;
  incidence: number | null;
  se: number | null;
}

export interface SummaryGroup {
  key: string;
  label: string;
  responses: number;
  suppressed: boolean;
  nps: NpsBlock;
  // The analytics API adds these blocks; older servers send only nps.
  csat?: CsatBlock;
  csi?: CsiBlock;
  pp100?: Pp100Block;
  nEffective?: number;
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
