// /api/analytics/trend: one metric per day/week/month/quarter (one series per group), every period
// between the bounds present (empty ones with n = 0), from the same GROUP BY pass as the summary.
import type { Sql } from '../db/client.ts';
import { badRequest } from '../lib/problem.ts';
import { blocksOf, type MetricBlocks } from './engine/blocks.ts';
import { isPeriod } from './engine/filters.schemas.ts';
import { groupLabel, periodLabel, periodsBetween } from './engine/groups.ts';
import { addCells, metricCells, type CellSums } from './engine/metrics.queries.ts';
import { prepare } from './engine/request.queries.ts';
import type { TrendQuery } from './trend.schemas.ts';

interface Point {
  n: number;
  value: number | null;
  se: number | null;
  ci95: [number, number] | null;
}

function pointOf(metric: string, blocks: MetricBlocks, cell: CellSums): Point {
  switch (metric) {
    case 'nps':
      return { n: blocks.nps.n, value: blocks.nps.score, se: blocks.nps.se, ci95: blocks.nps.ci95 };
    case 'csat':
      return { n: blocks.csat.n, value: blocks.csat.top2, se: null, ci95: blocks.csat.ci95 };
    case 'csatTopBox':
      return { n: blocks.csat.n, value: blocks.csat.topBox, se: null, ci95: blocks.csat.topBoxCi95 };
    case 'csatMean':
      return { n: blocks.csat.n, value: blocks.csat.mean, se: null, ci95: null };
    case 'csi':
      return { n: blocks.csi.n, value: blocks.csi.score, se: null, ci95: null };
    case 'pp100':
      return { n: blocks.pp100.n, value: blocks.pp100.value, se: blocks.pp100.se, ci95: null };
    case 'incidence':
      return { n: blocks.pp100.n, value: blocks.pp100.incidence, se: null, ci95: null };
    case 'responses':
      return { n: cell.responses, value: cell.responses, se: null, ci95: null };
    default: {
      const id = metric.slice('dimension.'.length);
      const dimension = blocks.csi.dimensions.find((d) => d.id === id)!;
      return { n: dimension.n, value: dimension.score, se: null, ci95: null };
    }
  }
}

export async function buildTrend(sql: Sql, query: TrendQuery, options: { timeZone: string; branchScope: string[] | null }) {
  if (isPeriod(query.groupBy)) {
    throw badRequest('Invalid query', [{ path: 'groupBy', message: 'the interval is the time axis; group the series by a segment (or none)' }]);
  }
  const req = await prepare(sql, query, options);
  if (query.metric.startsWith('dimension.') && !req.plan.dimensions.some((d) => d.id === query.metric.slice('dimension.'.length))) {
    throw badRequest('Invalid query', [{ path: 'metric', message: `the survey has no dimension "${query.metric.slice('dimension.'.length)}"` }]);
  }
  const keys = query.groupBy === 'none' ? [query.interval] : [query.groupBy, query.interval];
  const cells = await metricCells(sql, req.filters, req.plan, { keys, lang: req.locale });
  const seriesOf = (c: CellSums) => (query.groupBy === 'none' ? 'all' : c.keys[0]);
  const periodOf = (c: CellSums) => c.keys[keys.length - 1];

  const present = [...new Set(cells.map(periodOf))].sort();
  const from = query.from ?? present[0];
  const to = query.to ?? present[present.length - 1];
  const periods = from && to ? periodsBetween(query.interval, from, to) : [];

  const series = new Map<string, { label: string; cells: Map<string, CellSums> }>();
  if (query.groupBy === 'none') series.set('all', { label: 'all', cells: new Map() });
  for (const cell of cells) {
    const key = seriesOf(cell);
    const entry = series.get(key) ?? { label: cell.labels[0] ?? key, cells: new Map() };
    entry.cells.set(periodOf(cell), cell);
    series.set(key, entry);
  }
  const ctx = { plan: req.plan, survey: req.survey, locale: req.locale, minN: req.survey.minN };
  const empty = addCells([], { items: req.plan.items.length, dimensions: req.plan.dimensions.length });
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    interval: query.interval,
    metric: query.metric,
    groupBy: query.groupBy,
    minN: req.survey.minN,
    series: [...series.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => ({
        key,
        label: groupLabel(query.groupBy, key, entry.label, req.locale),
        points: periods.map((period) => {
          const cell = entry.cells.get(period) ?? empty;
          const point = pointOf(query.metric, blocksOf(cell, ctx), cell);
          return { period, label: periodLabel(query.interval, period), ...point, suppressed: cell.responses < req.survey.minN };
        }),
      })),
  };
}
