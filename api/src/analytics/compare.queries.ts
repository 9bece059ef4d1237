// /api/analytics/compare: each group against the rest of the filtered responses, or against itself in
// the previous period. NPS: z-test of the difference; CSAT: pooled two-proportion z-test of the
// top-2-box; CSI: Welch's t-test on the per-respondent index. Holm-adjusted across the groups.
import type { Sql } from '../db/client.ts';
import { badRequest } from '../lib/problem.ts';
import { blocksOf } from './engine/blocks.ts';
import type { CompareQuery } from './compare.schemas.ts';
import { isPeriod } from './engine/filters.schemas.ts';
import { addDays, dayBefore, daysInclusive } from './engine/groups.ts';
import { subtractCells, type CellSums } from './engine/metrics.queries.ts';
import { holmAdjust, meanVarianceFromSums, npsDifference, twoProportionZTest, welchTTest } from './engine/statistics/index.ts';
import { groupedBlocks, prepare, type AnalyticsRequest } from './engine/request.queries.ts';

const ALPHA = 0.05;

interface Comparison {
  key: string;
  label: string;
  cell: CellSums;
  reference: CellSums;
}

function compareOne(req: AnalyticsRequest, c: Comparison) {
  const minN = req.survey.minN;
  const ctx = { plan: req.plan, survey: req.survey, locale: req.locale, minN };
  const mine = blocksOf(c.cell, ctx);
  const theirs = blocksOf(c.reference, ctx);
  const suppressed = c.cell.responses < minN || c.reference.responses < minN;

  const npsTestable = !suppressed && mine.nps.score !== null && theirs.nps.score !== null;
  const nps = npsTestable ? npsDifference(mine.nps, theirs.nps) : { difference: null, se: null, z: null, p: null };

  const csatTestable = !suppressed && mine.csat.top2 !== null && theirs.csat.top2 !== null;
  const csatTest = csatTestable ? twoProportionZTest(c.cell.csat.top2, c.cell.csat.n, c.reference.csat.top2, c.reference.csat.n) : null;

  const csiTestable = !suppressed && mine.csi.score !== null && theirs.csi.score !== null;
  const a = meanVarianceFromSums(c.cell.csi.n, c.cell.csi.sum, c.cell.csi.sumSquares);
  const b = meanVarianceFromSums(c.reference.csi.n, c.reference.csi.sum, c.reference.csi.sumSquares);
  const welch =
    csiTestable && a.mean !== null && a.variance !== null && b.mean !== null && b.variance !== null
      ? welchTTest({ n: a.n, mean: a.mean, variance: a.variance }, { n: b.n, mean: b.mean, variance: b.variance })
      : null;

  return {
    key: c.key,
    label: c.label,
    responses: c.cell.responses,
    referenceResponses: c.reference.responses,
    suppressed,
    nps: {
      n: mine.nps.n,
      score: mine.nps.score,
      referenceN: theirs.nps.n,
      reference: suppressed ? null : theirs.nps.score,
      difference: nps.difference,
      se: nps.se,
      z: nps.z,
      p: nps.p,
      pAdjusted: null as number | null,
      significant: false,
    },
    csat: {
      n: mine.csat.n,
      top2: mine.csat.top2,
      referenceN: theirs.csat.n,
      reference: suppressed ? null : theirs.csat.top2,
      difference: csatTest?.difference == null ? null : 100 * csatTest.difference,
      z: csatTest?.z ?? null,
      p: csatTest?.p ?? null,
      pAdjusted: null as number | null,
      significant: false,
    },
    csi: {
      n: mine.csi.n,
      score: mine.csi.score,
      referenceN: theirs.csi.n,
      reference: suppressed ? null : theirs.csi.score,
      difference: csiTestable ? mine.csi.score! - theirs.csi.score! : null,
      meanDifference: welch?.difference ?? null,
      t: welch?.t ?? null,
      df: welch?.df ?? null,
      p: welch?.p ?? null,
      pAdjusted: null as number | null,
      significant: false,
    },
  };
}

type Compared = ReturnType<typeof compareOne>;

/** Holm across the groups, per metric, over the tests that have a p-value. */
function adjust(groups: Compared[]) {
  for (const metric of ['nps', 'csat', 'csi'] as const) {
    const tested = groups.filter((g) => g[metric].p !== null);
    const adjusted = holmAdjust(tested.map((g) => g[metric].p!));
    tested.forEach((g, i) => {
      g[metric].pAdjusted = adjusted[i];
      g[metric].significant = adjusted[i] < ALPHA;
    });
  }
}

export async function buildCompare(sql: Sql, query: CompareQuery, options: { timeZone: string; branchScope: string[] | null }) {
  if (query.against === 'previous') {
    if (!query.from || !query.to) {
      throw badRequest('Invalid query', [{ path: query.from ? 'to' : 'from', message: 'against=previous needs both from and to' }]);
    }
    if (isPeriod(query.groupBy)) {
      throw badRequest('Invalid query', [
        { path: 'groupBy', message: 'against=previous compares segments; use a period grouping with against=rest, or the trend' },
      ]);
    }
  }
  const req = await prepare(sql, query, options);
  const current = await groupedBlocks(sql, req, query.groupBy);
  let previous: { from: string; to: string } | null = null;
  let groups: Compared[];
  let total: Compared | null = null;

  if (query.against === 'previous') {
    const length = daysInclusive(query.from!, query.to!);
    previous = { from: addDays(query.from!, -length), to: dayBefore(query.from!) };
    const before = await groupedBlocks(sql, req, query.groupBy, { period: previous });
    const empty = subtractCells(current.total.cell, current.total.cell);
    const beforeByKey = new Map(before.groups.map((g) => [g.key, g.cell]));
    groups = current.groups.map((g) => compareOne(req, { key: g.key, label: g.label, cell: g.cell, reference: beforeByKey.get(g.key) ?? empty }));
    total = compareOne(req, { key: 'total', label: current.total.label, cell: current.total.cell, reference: before.total.cell });
    if (total.nps.p !== null) Object.assign(total.nps, { pAdjusted: total.nps.p, significant: total.nps.p < ALPHA });
    if (total.csat.p !== null) Object.assign(total.csat, { pAdjusted: total.csat.p, significant: total.csat.p < ALPHA });
    if (total.csi.p !== null) Object.assign(total.csi, { pAdjusted: total.csi.p, significant: total.csi.p < ALPHA });
  } else {
    groups = current.groups.map((g) => compareOne(req, { key: g.key, label: g.label, cell: g.cell, reference: subtractCells(current.total.cell, g.cell) }));
  }
  adjust(groups);
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: query.groupBy,
    against: query.against,
    previous,
    minN: req.survey.minN,
    groups,
    total,
  };
}
