// The responses explorer's own URL parameters (besides the dashboard period and filters).
import { apiParams, withoutBrand, type DashboardState, type QueryValue } from './filters';

export const NPS_CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export const RESPONSE_SORTS = ['-finishedAt', 'finishedAt', '-nps', 'nps'] as const;
export const PAGE_SIZE = 50;

export interface ExplorerParams {
  status: 'finished' | 'partial' | null;
  npsCategory: string[];
  problem: string[];
  /** Topics of the comment lexicon (the comments mention one of them). */
  topic: string[];
  hasComment: 'true' | 'false' | null;
  q: string | null;
  sort: (typeof RESPONSE_SORTS)[number];
  page: number;
}

export function readExplorerParams(params: URLSearchParams): ExplorerParams {
  const status = params.get('status');
  const hasComment = params.get('hasComment');
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  return {
    status: status === 'finished' || status === 'partial' ? status : null,
    npsCategory: params.getAll('npsCategory').filter((c) => (NPS_CATEGORIES as readonly string[]).includes(c)),
    problem: params.getAll('problem').filter((p) => /^[a-z][a-z0-9_]{0,63}$/.test(p)),
    topic: params.getAll('topic').filter((p) => /^[a-z][a-z0-9_]{0,39}$/.test(p)),
    hasComment: hasComment === 'true' || hasComment === 'false' ? hasComment : null,
    q: q || null,
    sort: (RESPONSE_SORTS as readonly string[]).includes(sort ?? '') ? (sort as ExplorerParams['sort']) : '-finishedAt',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The explorer API's filters (shared by the list and the CSV export). */
export function explorerFilters(state: DashboardState, p: ExplorerParams): Record<string, QueryValue> {
  // The explorer reads its own filter list, without brand: not sent rather than ignored.
  const base = withoutBrand(apiParams(state));
  return { ...base, status: p.status, npsCategory: p.npsCategory, problem: p.problem, topic: p.topic, hasComment: p.hasComment, q: p.q };
}
