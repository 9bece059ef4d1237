// From summed cells to the headline blocks (docs/statistics.md): NPS, CSAT, CSI with its dimensions, PP100;
// unweighted, or post-stratified by branch volume; with the minimum-n rule applied per block.
import type { Locale } from '@rs/survey-definition';
import type { CellSums, MetricPlan } from './metrics.queries.ts';
import {
  csatFromCounts,
  csiScore,
  effectiveN,
  npsFromCounts,
  pp100FromCounts,
  postStratificationWeights,
  rescaleTo100,
  topBoxFromCounts,
  weightedNps,
  wilsonInterval,
  type CsiItem,
  type NpsResult,
} from './statistics/index.ts';
import { dimensionLabel, type SurveyContext } from './survey-context.ts';

export interface NpsBlock extends NpsResult {
  nEffective?: number | null;
}
export interface CsatBlock {
  n: number;
  top2: number | null;
  mean: number | null;
  ci95: [number, number] | null;
  /** Top-box share in percent (docs/statistics.md#csat) and its Wilson 95 % interval. */
  topBox: number | null;
  topBoxCi95: [number, number] | null;
  nEffective?: number | null;
}
export interface CsiBlock {
  /** Respondents who answered at least one dimension item. */
  n: number;
  score: number | null;
  dimensions: { id: string; label: string; score: number | null; weight: number; n: number }[];
}
export interface Pp100Block {
  n: number;
  value: number | null;
  incidence: number | null;
  se: number | null;
  nEffective?: number | null;
}
export interface MetricBlocks {
  nps: NpsBlock;
  csat: CsatBlock;
  csi: CsiBlock;
  pp100: Pp100Block;
}

export interface BlockContext {
  plan: MetricPlan;
  survey: SurveyContext;
  locale: Locale;
  minN: number;
}

const below = (n: number, minN: number) => n < minN;

function csiFromItemMeans(ctx: BlockContext, itemN: number[], itemMeans: (number | null)[], dimensionN: number[], respondents: number): CsiBlock {
  const { plan } = ctx;
  const items: CsiItem[] = plan.items.map((item, i) => ({
    dimensionId: item.dimensionId,
    itemWeight: item.itemWeight,
    n: itemN[i],
    meanRescaled: itemMeans[i] === null ? null : rescaleTo100(itemMeans[i]!, item.min, item.max),
  }));
  const result = csiScore(
    items,
    plan.dimensions.map((d, k) => ({ id: d.id, weight: d.weight, n: dimensionN[k] })),
  );
  return {
    n: respondents,
    score: below(respondents, ctx.minN) ? null : result.score,
    dimensions: result.dimensions.map((d) => ({
      id: d.id,
      label: dimensionLabel(ctx.survey, d.id, ctx.locale),
      score: below(d.n, ctx.minN) ? null : d.score,
      weight: d.weight,
      n: d.n,
    })),
  };
}

/** Unweighted blocks of one (summed) cell. */
export function blocksOf(cell: CellSums, ctx: BlockContext): MetricBlocks {
  const { minN } = ctx;
  const nps = npsFromCounts({
    promoters: cell.nps.promoters,
    passives: cell.nps.n - cell.nps.promoters - cell.nps.detractors,
    detractors: cell.nps.detractors,
  });
  const top2 = csatFromCounts({ n: cell.csat.n, top2: cell.csat.top2, sum: cell.csat.sum });
  const topBox = topBoxFromCounts({ n: cell.csat.n, topBox: cell.csat.topBox });
  const csat: CsatBlock = { ...top2, topBox: topBox.topBox, topBoxCi95: topBox.ci95 };
  const pp = pp100FromCounts({
    n: cell.problems.n,
    totalProblems: cell.problems.sum,
    sumSquaresProblems: cell.problems.sumSquares,
    withAnyProblem: cell.problems.any,
  });
  const itemMeans = cell.items.n.map((n, i) => (n > 0 ? cell.items.sum[i] / n : null));
  return {
    nps: below(nps.n, minN) ? { ...nps, score: null, se: null, ci95: null } : nps,
    csat: below(csat.n, minN) ? { ...csat, top2: null, mean: null, ci95: null, topBox: null, topBoxCi95: null } : csat,
    csi: csiFromItemMeans(ctx, cell.items.n, itemMeans, cell.dimensions.n, cell.csi.n),
    pp100: below(pp.n, minN) ? { ...pp, value: null, incidence: null, se: null } : pp,
  };
}

export interface WeightedCell {
  cell: CellSums;
  weight: number;
}

/**
 * Post-stratification weights by branch (docs/statistics.md#weighting): for the cells of one group,
 * w_h = (N_h / N) / (n_h / n) with N_h the branch's finished rentals and n_h its responses.
 */
export function branchWeights(cells: readonly CellSums[], volumes: ReadonlyMap<string, number>): WeightedCell[] {
  const strata = cells.map((cell) => ({ key: cell.branchId ?? '', population: volumes.get(cell.branchId ?? '') ?? 0, sample: cell.responses }));
  const weights = postStratificationWeights(strata);
  return cells.map((cell, i) => ({ cell, weight: weights[i].weight ?? 0 }));
}

/** Blocks of a group whose cells carry weights; counts stay raw, scores are weighted, nEffective added. */
export function weightedBlocksOf(cells: readonly WeightedCell[], raw: CellSums, ctx: BlockContext): MetricBlocks & { nEffective: number | null } {
  const { minN } = ctx;
  const sum = (f: (c: CellSums) => number, power = 1) => cells.reduce((acc, { cell, weight }) => acc + weight ** power * f(cell), 0);

  const npsW = sum((c) => c.nps.n);
  const npsResult = weightedNps({
    n: raw.nps.n,
    sumWeights: npsW,
    sumWeightedScores: sum((c) => c.nps.promoters - c.nps.detractors),
    sumSquaredWeights: sum((c) => c.nps.n, 2),
    sumWeightedSquaredScores: sum((c) => c.nps.promoters + c.nps.detractors),
  });
  let npsCi: [number, number] | null = null;
  if (npsResult.effectiveN !== null && npsW > 0) {
    // The adjusted-Wald interval on effective counts: the weighted shares times the effective n.
    const pShare = sum((c) => c.nps.promoters) / npsW;
    const dShare = sum((c) => c.nps.detractors) / npsW;
    const ne = npsResult.effectiveN;
    npsCi = npsFromCounts({ promoters: pShare * ne, detractors: dShare * ne, passives: Math.max(0, (1 - pShare - dShare) * ne) }).ci95;
  }
  const npsSuppressed = below(raw.nps.n, minN);
  const nps: NpsBlock = {
    n: raw.nps.n,
    promoters: raw.nps.promoters,
    passives: raw.nps.n - raw.nps.promoters - raw.nps.detractors,
    detractors: raw.nps.detractors,
    score: npsSuppressed ? null : npsResult.score,
    se: npsSuppressed ? null : npsResult.se,
    ci95: npsSuppressed ? null : npsCi,
    nEffective: npsResult.effectiveN,
  };

  const csatW = sum((c) => c.csat.n);
  const csatNe = effectiveN(
    csatW,
    sum((c) => c.csat.n, 2),
  );
  const csatShare = csatW > 0 ? sum((c) => c.csat.top2) / csatW : null;
  const csatInterval = csatShare !== null && csatNe !== null ? wilsonInterval(csatShare * csatNe, csatNe) : null;
  const csatSuppressed = below(raw.csat.n, minN) || csatShare === null;
  const topBoxShare = csatW > 0 ? sum((c) => c.csat.topBox) / csatW : null;
  const topBoxInterval = topBoxShare !== null && csatNe !== null ? wilsonInterval(Math.min(csatNe, topBoxShare * csatNe), csatNe) : null;
  const csat: CsatBlock = {
    n: raw.csat.n,
    top2: csatSuppressed ? null : 100 * csatShare!,
    mean: csatSuppressed ? null : sum((c) => c.csat.sum) / csatW,
    ci95: csatSuppressed || !csatInterval ? null : [100 * csatInterval[0], 100 * csatInterval[1]],
    topBox: csatSuppressed || topBoxShare === null ? null : 100 * topBoxShare,
    topBoxCi95: csatSuppressed || !topBoxInterval ? null : [100 * topBoxInterval[0], 100 * topBoxInterval[1]],
    nEffective: csatNe,
  };

  const itemMeans = raw.items.n.map((_, i) => {
    const w = sum((c) => c.items.n[i]);
    return w > 0 ? sum((c) => c.items.sum[i]) / w : null;
  });
  const csi = csiFromItemMeans(ctx, raw.items.n, itemMeans, raw.dimensions.n, raw.csi.n);

  const ppW = sum((c) => c.problems.n);
  const ppNe = effectiveN(
    ppW,
    sum((c) => c.problems.n, 2),
  );
  const ppSuppressed = below(raw.problems.n, minN) || !(ppW > 0);
  let pp100: Pp100Block = { n: raw.problems.n, value: null, incidence: null, se: null, nEffective: ppNe };
  if (!ppSuppressed) {
    const mean = sum((c) => c.problems.sum) / ppW;
    // Weighted variance of problems per response, with the effective-n correction; not defined in
    // docs/statistics.md#weighting.
    const variance = Math.max(0, sum((c) => c.problems.sumSquares) / ppW - mean * mean);
    const se = ppNe !== null && ppNe > 1 ? (100 * Math.sqrt((variance * ppNe) / (ppNe - 1))) / Math.sqrt(ppNe) : null;
    pp100 = { n: raw.problems.n, value: 100 * mean, incidence: (100 * sum((c) => c.problems.any)) / ppW, se, nEffective: ppNe };
  }
  return {
    nps,
    csat,
    csi,
    pp100,
    nEffective: effectiveN(
      sum((c) => c.responses),
      sum((c) => c.responses, 2),
    ),
  };
}
