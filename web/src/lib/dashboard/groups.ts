// Rows of the group tables (branch league table, segments): one row per group with every headline
// metric, its change or difference, and the response rate.
import type { AnalyticsFunnel, AnalyticsSummary, CompareGroup, Comparison, SummaryGroup } from '@rs/api/contract';
import type { Loaded } from './loaded';
import type { TargetFigure, TargetStatusReport } from '@rs/api/contract';

/** A metric's difference against the reference: the API's test, or a plain untested difference (significant null). */
export type MetricDifference = Pick<CompareGroup['nps'], 'difference' | 'p' | 'pAdjusted'> & { significant: boolean | null };

export interface GroupRow {
  key: string;
  label: string;
  suppressed: boolean;
  responses: number;
  n: number;
  csi: number | null;
  nps: number | null;
  ci95: [number, number] | null;
  csat: number | null;
  /** CSAT top-box share, percent. */
  csatTopBox: number | null;
  pp100: number | null;
  /** The group's figures that have a target, with their status (branch league table). */
  targets: TargetFigure[];
  /** Percent (the API's fraction × 100). */
  responseRate: number | null;
  /** NPS and CSI against the reference (previous period or the rest), with the test. */
  dNps: MetricDifference | null;
  dCsi: MetricDifference | null;
  dCsat: MetricDifference | null;
}

export function groupRows(
  summary: Loaded<AnalyticsSummary>,
  comparison: Loaded<Comparison> | null,
  funnel: Loaded<AnalyticsFunnel> | null,
  previous?: Loaded<AnalyticsSummary> | null,
  targets?: Loaded<TargetStatusReport> | null,
): GroupRow[] {
  const goals =
    targets?.status === 'ok' ? new Map(targets.data.rows.map((r) => [r.key, r.figures.filter((f) => f.target)])) : new Map<string, TargetFigure[]>();
  if (summary.status !== 'ok') return [];
  const cmp = comparison?.status === 'ok' ? new Map(comparison.data.groups.map((g) => [g.key, g])) : new Map<string, CompareGroup>();
  const rates =
    funnel?.status === 'ok'
      ? new Map(funnel.data.groups.map((g) => [g.key, g.responseRate === null ? null : 100 * g.responseRate]))
      : new Map<string, number | null>();
  const before = previous?.status === 'ok' ? new Map(previous.data.groups.map((g) => [g.key, g])) : new Map<string, SummaryGroup>();
  return summary.data.groups.map((g) => {
    const c = cmp.get(g.key);
    const p = before.get(g.key);
    // The test's own difference when there is one; else the plain difference to the previous period, untested.
    const diff = (tested: MetricDifference | null | undefined, now: number | null | undefined, then: number | null | undefined): MetricDifference | null =>
      tested && tested.difference !== null
        ? tested
        : now != null && then != null
          ? { difference: now - then, p: null, pAdjusted: null, significant: null }
          : null;
    return {
      key: g.key,
      label: g.label,
      suppressed: g.suppressed,
      responses: g.responses,
      n: g.nps.n,
      csi: g.csi?.score ?? null,
      nps: g.nps.score,
      ci95: g.nps.ci95,
      csat: g.csat?.top2 ?? null,
      csatTopBox: g.csat?.topBox ?? null,
      pp100: g.pp100?.value ?? null,
      targets: goals.get(g.key) ?? [],
      responseRate: rates.get(g.key) ?? null,
      dNps: diff(c?.nps, g.nps.score, p?.nps.score),
      dCsi: diff(c?.csi, g.csi?.score, p?.csi?.score),
      dCsat: diff(c?.csat, g.csat?.top2, p?.csat?.top2),
    };
  });
}

export const SORT_KEYS = ['label', 'n', 'csi', 'nps', 'csat', 'pp100', 'responseRate', 'dNps', 'dCsi'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const sortValue = (r: GroupRow, key: SortKey): number | string | null =>
  key === 'label' ? r.label : key === 'dNps' ? (r.dNps?.difference ?? null) : key === 'dCsi' ? (r.dCsi?.difference ?? null) : r[key];

/** Sorted copy; groups under the minimum n and missing values always last. */
export function sortRows(rows: GroupRow[], key: SortKey, dir: 'asc' | 'desc'): GroupRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (a.suppressed !== b.suppressed) return a.suppressed ? 1 : -1;
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null && y === null) return a.key.localeCompare(b.key);
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    return order !== 0 ? sign * order : a.key.localeCompare(b.key);
  });
}
