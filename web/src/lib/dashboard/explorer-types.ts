// Shapes of the responses explorer API (GET /api/responses, /api/responses/{id}).

export interface BranchRef {
  code: string;
  name: string;
  nameEn: string | null;
  region: string;
}

export interface ResponseListItem {
  id: string;
  status: 'finished' | 'partial';
  source: 'web' | 'import';
  locale: string;
  startedAt: string;
  finishedAt: string | null;
  branch: BranchRef | null;
  customer: { externalId: string; name: string | null; customerType: string; valueTier: string | null } | null;
  rental: { externalId: string; vehicleClass: string; channel: string; returnedAt: string } | null;
  nps: number | null;
  npsCategory: 'promoter' | 'passive' | 'detractor' | null;
  csat: number | null;
  problems: number | null;
  comment: string | null;
}

export interface ResponseList {
  items: ResponseListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export type Localized = Record<string, string>;

export interface AnswerView {
  questionId: string;
  pageId: string;
  type: string;
  question: Localized;
  answered: boolean;
  number: number | null;
  scale: { min: number; max: number } | null;
  choices: { id: string; text: Localized; role: 'choice' | 'other' | 'noProblem' }[];
  otherText: string | null;
  text: string | null;
  items: { id: string; text: Localized; value: number | null }[];
}

export interface ResponseDetail {
  id: string;
  status: 'finished' | 'partial';
  source: 'web' | 'import';
  locale: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  survey: { id: string; name: string; version: number; defaultLocale: string };
  branch: (BranchRef & { city: string }) | null;
  customer: {
    externalId: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    preferredLanguage: string | null;
    customerType: string;
    valueTier: string | null;
    memberLevel: string | null;
    erased: boolean;
  } | null;
  rental: {
    externalId: string;
    vehicleClass: string;
    channel: string;
    pickedUpAt: string;
    returnedAt: string;
    amount: number;
    pickupBranch: { code: string; name: string };
    returnBranch: { code: string; name: string };
  } | null;
  invitation: { channel: string; sentAt: string | null; openedAt: string | null } | null;
  nps: number | null;
  npsCategory: 'promoter' | 'passive' | 'detractor' | null;
  csat: number | null;
  problems: number | null;
  answers: AnswerView[];
}
