// Satisfaction index (docs/statistics.md#satisfaction-index-csi): answers rescaled to 0–100, items
// averaged into dimensions, dimensions into the CSI with design weights renormalised over the
// dimensions that have data. SQL delivers each item's n and mean rescaled score.

/** s = 100 · (x − min) / (max − min). */
export function rescaleTo100(x: number, min: number, max: number): number {
  if (!(max > min)) throw new RangeError(`scale needs max > min, got ${min}…${max}`);
  return (100 * (x - min)) / (max - min);
}

export interface CsiItem {
  dimensionId: string;
  /** Relative weight of the item inside its dimension; default 1 (equal weights). */
  itemWeight?: number;
  /** Responses that answered the item; an item with n = 0 has no data. */
  n: number;
  /** Mean of the rescaled (0–100) answers; ignored when n = 0. */
  meanRescaled: number | null;
}

export interface CsiDimensionInput {
  id: string;
  /** Design weight w_d; renormalised over the dimensions that have data. */
  weight: number;
  /**
   * Respondents who answered at least one item of the dimension, if the caller counted them. Item
   * aggregates cannot give that number, so without it the largest item n is reported (a lower bound).
   */
  n?: number;
}

export interface CsiDimensionResult {
  id: string;
  /** Mean of the item scores (item-weighted); null when no item has data. */
  score: number | null;
  /** Design weight renormalised to sum to 1 over the dimensions with data; 0 for dimensions without. */
  weight: number;
  n: number;
}

export interface CsiResult {
  /** Σ weight_d · score_d; null when no dimension has data (or all weights of those are 0). */
  score: number | null;
  dimensions: CsiDimensionResult[];
}

function hasData(item: CsiItem): item is CsiItem & { meanRescaled: number } {
  return item.n > 0 && item.meanRescaled !== null && Number.isFinite(item.meanRescaled);
}

/** Dimension score = item-weighted mean of the item scores that have data; null if none have. */
export function dimensionScore(items: readonly CsiItem[]): number | null {
  let weightSum = 0;
  let weighted = 0;
  for (const item of items) {
    if (!hasData(item)) continue;
    const w = item.itemWeight ?? 1;
    if (!(w >= 0)) throw new RangeError(`item weights must be ≥ 0, got ${w}`);
    weightSum += w;
    weighted += w * item.meanRescaled;
  }
  return weightSum > 0 ? weighted / weightSum : null;
}

/**
 * CSI over the given dimensions. Dimensions are reported in the order of `dimensions`; items whose
 * dimension is not listed are ignored (a dimension must have a design weight to enter the index).
 */
export function csiScore(items: readonly CsiItem[], dimensions: readonly CsiDimensionInput[]): CsiResult {
  const byDimension = new Map<string, CsiItem[]>();
  for (const item of items) {
    const list = byDimension.get(item.dimensionId) ?? [];
    list.push(item);
    byDimension.set(item.dimensionId, list);
  }

  const scored = dimensions.map((dimension) => {
    if (!(dimension.weight >= 0)) throw new RangeError(`dimension weights must be ≥ 0, got ${dimension.weight}`);
    const dimensionItems = byDimension.get(dimension.id) ?? [];
    const score = dimensionScore(dimensionItems);
    const n = dimension.n ?? dimensionItems.reduce((max, item) => Math.max(max, hasData(item) ? item.n : 0), 0);
    return { id: dimension.id, score, designWeight: dimension.weight, n };
  });

  // Renormalise the design weights over the dimensions that have data.
  const weightWithData = scored.reduce((sum, d) => sum + (d.score === null ? 0 : d.designWeight), 0);
  let score: number | null = null;
  if (weightWithData > 0) {
    score = 0;
    for (const d of scored) if (d.score !== null) score += (d.designWeight / weightWithData) * d.score;
  }

  return {
    score,
    dimensions: scored.map((d) => ({
      id: d.id,
      score: d.score,
      weight: d.score === null || weightWithData === 0 ? 0 : d.designWeight / weightWithData,
      n: d.n,
    })),
  };
}
