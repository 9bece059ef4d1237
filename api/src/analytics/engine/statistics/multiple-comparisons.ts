// Holm's step-down correction (docs/statistics.md#comparisons).
// It controls the family-wise error rate like Bonferroni but is uniformly more powerful.

/**
 * Holm-adjusted p-values, returned in the input order. The i-th smallest p (1-based) is multiplied by
 * (m − i + 1); a running maximum keeps the adjusted values monotone in the raw order; capped at 1.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
  }
  const order = pValues.map((p, index) => ({ p, index })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach(({ p, index }, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
