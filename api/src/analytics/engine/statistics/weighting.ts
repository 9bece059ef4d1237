// Post-stratification (docs/statistics.md#weighting): responses in cell h are weighted so each cell
// counts in proportion to its known volume N_h (finished rentals) instead of its response count n_h.

export interface StratumCounts {
  /** Cell key, e.g. a branch id or "branch|segment". */
  key: string;
  /** Known population volume N_h. */
  population: number;
  /** Responses n_h in the cell. */
  sample: number;
}

export interface StratumWeight {
  key: string;
  population: number;
  sample: number;
  /** (N_h / N) / (n_h / n); null for a cell without responses (nothing to weight). */
  weight: number | null;
}

/** Weights per cell. N and n are the totals over all given cells. */
export function postStratificationWeights(cells: readonly StratumCounts[]): StratumWeight[] {
  for (const cell of cells) {
    if (!(cell.population >= 0) || !(cell.sample >= 0)) throw new RangeError(`cell ${cell.key}: counts must be ≥ 0`);
  }
  const N = cells.reduce((sum, cell) => sum + cell.population, 0);
  const n = cells.reduce((sum, cell) => sum + cell.sample, 0);
  return cells.map((cell) => ({
    ...cell,
    weight: cell.sample > 0 && N > 0 ? cell.population / N / (cell.sample / n) : null,
  }));
}

/** Kish's effective sample size (Σw)² / Σw²; null when there is no weight. */
export function effectiveN(sumWeights: number, sumSquaredWeights: number): number | null {
  return sumSquaredWeights > 0 ? (sumWeights * sumWeights) / sumSquaredWeights : null;
}

/** Σw and Σw² over the responses of the given cells (every response in a cell has the cell's weight). */
export function weightSums(cells: readonly StratumWeight[]): { n: number; sumWeights: number; sumSquaredWeights: number } {
  let n = 0;
  let sumWeights = 0;
  let sumSquaredWeights = 0;
  for (const cell of cells) {
    if (cell.weight === null) continue;
    n += cell.sample;
    sumWeights += cell.sample * cell.weight;
    sumSquaredWeights += cell.sample * cell.weight * cell.weight;
  }
  return { n, sumWeights, sumSquaredWeights };
}

/** Weighted mean Σw·y / Σw; null when Σw = 0. */
export function weightedMean(sumWeights: number, sumWeightedValues: number): number | null {
  return sumWeights > 0 ? sumWeightedValues / sumWeights : null;
}
