// Seeded random numbers for reproducible test data (mulberry32 + Box–Muller).
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** n rows of [y, x1..xp] with correlated drivers (a shared factor with random loadings) and y depending on them. */
export function correlatedData(seed: number, n: number, p: number): number[][] {
  const normal = seededNormal(seed);
  const loadings = Array.from({ length: p }, () => 0.2 + 0.8 * Math.abs(normal()));
  const effects = Array.from({ length: p }, () => normal());
  return Array.from({ length: n }, () => {
    const factor = normal();
    const x = loadings.map((loading) => loading * factor + normal());
    const y = x.reduce((sum, xj, j) => sum + effects[j] * xj, 0) + 2 * normal();
    return [y, ...x];
  });
}

/** Pearson correlation matrix by the two-pass textbook formula (independent of the library's sums route). */
export function correlationMatrix(rows: number[][]): number[][] {
  const k = rows[0].length;
  const n = rows.length;
  const means = Array.from({ length: k }, (_, j) => rows.reduce((s, row) => s + row[j], 0) / n);
  const cov = (i: number, j: number) => rows.reduce((s, row) => s + (row[i] - means[i]) * (row[j] - means[j]), 0);
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => cov(i, j) / Math.sqrt(cov(i, i) * cov(j, j))));
}

/** SQL-style aggregates: Σx_i and Σx_i·x_j. */
export function sumsOf(rows: ReadonlyArray<ReadonlyArray<number>>): { n: number; sums: number[]; crossProducts: number[][] } {
  const k = rows[0].length;
  const sums = new Array<number>(k).fill(0);
  const crossProducts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of rows) {
    for (let i = 0; i < k; i++) {
      sums[i] += row[i];
      for (let j = 0; j < k; j++) crossProducts[i][j] += row[i] * row[j];
    }
  }
  return { n: rows.length, sums, crossProducts };
}
