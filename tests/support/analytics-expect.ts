// Independent computations for the analytics tests: straight from the raw generated answers, written
// apart from api/src/analytics (its statistics library is not used here), from the formulas in
// docs/statistics.md.
import type { TestResponse } from './analytics-data.ts';

export const Z = 1.959964;

// ---- distributions by numerical integration (Simpson), deliberately unlike the library's series ----

function simpson(f: (x: number) => number, a: number, b: number, steps = 20_000): number {
  const h = (b - a) / steps;
  let s = f(a) + f(b);
  for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** Two-sided normal p-value. */
export function normalP(z: number): number {
  const tail = simpson((x) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI), Math.abs(z), Math.abs(z) + 40);
  return Math.min(1, 2 * tail);
}

function lnGamma(x: number): number {
  // Stirling series with a shift, accurate to ~1e-12 for x > 0.
  let shift = 0;
  while (x < 10) {
    shift -= Math.log(x);
    x += 1;
  }
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/** Two-sided Student t p-value (integrating the density over u = 1/(1+t²/ν) … substitution-free, long range). */
export function studentP(t: number, df: number): number {
  const c = Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const density = (x: number) => c * (1 + (x * x) / df) ** (-(df + 1) / 2);
  // The tail beyond |t| + 2000 is negligible for the df here (> 10).
  return Math.min(1, 2 * simpson(density, Math.abs(t), Math.abs(t) + 2000, 400_000));
}

// ---- headline metrics ----

export function nps(values: number[]) {
  const n = values.length;
  const promoters = values.filter((v) => v >= 9).length;
  const detractors = values.filter((v) => v <= 6).length;
  const passives = n - promoters - detractors;
  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / n);
  const pa = (promoters + 0.75) / (n + 3);
  const da = (detractors + 0.75) / (n + 3);
  const centre = 100 * (pa - da);
  const half = Z * 100 * Math.sqrt((pa + da - (pa - da) ** 2) / (n + 3));
  return { n, promoters, passives, detractors, score, se, ci95: [Math.max(-100, centre - half), Math.min(100, centre + half)] };
}

export function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - half, centre + half];
}

export function csat(values: number[]) {
  const n = values.length;
  const top = values.filter((v) => v >= 4).length;
  const [lo, hi] = wilson(top, n);
  return { n, top2: (100 * top) / n, mean: values.reduce((a, b) => a + b, 0) / n, ci95: [100 * lo, 100 * hi] };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rescale = (x: number, min: number, max: number) => (100 * (x - min)) / (max - min);

/** The survey's dimensions as the test data answers them (see analyticsDefinition). */
export const DIMENSIONS = [
  {
    id: 'staff',
    weight: 0.3,
    items: [
      { get: (r: TestResponse) => r.answers.staff.friendly, max: 5, w: 1 },
      { get: (r: TestResponse) => r.answers.staff.competent, max: 5, w: 1 },
    ],
  },
  {
    id: 'vehicle',
    weight: 0.5,
    items: [
      { get: (r: TestResponse) => r.answers.car.clean, max: 5, w: 2 },
      { get: (r: TestResponse) => r.answers.car.condition, max: 5, w: 1 },
    ],
  },
  { id: 'value', weight: 0.2, items: [{ get: (r: TestResponse) => r.answers.price, max: 10, w: 1 }] },
];

export function csi(responses: TestResponse[]) {
  const dims = DIMENSIONS.map((d) => {
    const itemScores = d.items.map((item) => {
      const xs = responses.map(item.get).filter((x): x is number => x !== null);
      return { w: item.w, score: xs.length ? rescale(mean(xs), 1, item.max) : null };
    });
    const withData = itemScores.filter((i) => i.score !== null);
    const score = withData.length ? withData.reduce((a, i) => a + i.w * i.score!, 0) / withData.reduce((a, i) => a + i.w, 0) : null;
    const n = responses.filter((r) => d.items.some((item) => item.get(r) !== null)).length;
    return { id: d.id, designWeight: d.weight, score, n };
  });
  const total = dims.filter((d) => d.score !== null).reduce((a, d) => a + d.designWeight, 0);
  return {
    score: dims.filter((d) => d.score !== null).reduce((a, d) => a + (d.designWeight / total) * d.score!, 0),
    dimensions: dims.map((d) => ({ id: d.id, score: d.score, weight: d.score === null ? 0 : d.designWeight / total, n: d.n })),
  };
}

/** A respondent's dimension score: item-weighted mean of the rescaled answers; null when none. */
export function respondentDimension(r: TestResponse, index: number): number | null {
  const d = DIMENSIONS[index];
  let s = 0;
  let w = 0;
  for (const item of d.items) {
    const x = item.get(r);
    if (x === null) continue;
    s += item.w * rescale(x, 1, item.max);
    w += item.w;
  }
  return w > 0 ? s / w : null;
}

export function respondentCsi(r: TestResponse): number | null {
  let s = 0;
  let w = 0;
  DIMENSIONS.forEach((d, k) => {
    const score = respondentDimension(r, k);
    if (score === null) return;
    s += d.weight * score;
    w += d.weight;
  });
  return w > 0 ? s / w : null;
}

export function pp100(responses: TestResponse[]) {
  const counts = responses.filter((r) => r.answers.problems !== null).map((r) => r.answers.problems!.filter((p) => p !== 'none').length);
  const n = counts.length;
  const m = mean(counts);
  const sd = Math.sqrt(counts.reduce((a, c) => a + (c - m) ** 2, 0) / (n - 1));
  return { n, value: 100 * m, incidence: (100 * counts.filter((c) => c > 0).length) / n, se: (100 * sd) / Math.sqrt(n) };
}

export function holm(ps: number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length);
  let max = 0;
  order.forEach(({ p, i }, rank) => {
    max = Math.max(max, Math.min(1, (ps.length - rank) * p));
    out[i] = max;
  });
  return out;
}

export function welch(a: number[], b: number[]) {
  const ma = mean(a);
  const mb = mean(b);
  const va = a.reduce((s, x) => s + (x - ma) ** 2, 0) / (a.length - 1) / a.length;
  const vb = b.reduce((s, x) => s + (x - mb) ** 2, 0) / (b.length - 1) / b.length;
  const t = (ma - mb) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { difference: ma - mb, t, df, p: studentP(t, df) };
}

// ---- regression, straight from the data ----

/** Solves A x = b by Gauss–Jordan elimination with partial pivoting. */
export function gaussSolve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** R² of the least-squares fit of y on the columns (with an intercept), from the raw data. */
export function ols(y: number[], columns: number[][]): { r2: number; coefficients: number[] } {
  if (columns.length === 0) return { r2: 0, coefficients: [] };
  const X = y.map((_, i) => [1, ...columns.map((c) => c[i])]);
  const k = X[0].length;
  const XtX = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => X.reduce((s, row) => s + row[a] * row[b], 0)));
  const Xty = Array.from({ length: k }, (_, a) => X.reduce((s, row, i) => s + row[a] * y[i], 0));
  const beta = gaussSolve(XtX, Xty);
  const my = mean(y);
  const ssTot = y.reduce((s, v) => s + (v - my) ** 2, 0);
  const ssRes = y.reduce((s, v, i) => s + (v - X[i].reduce((a, x, j) => a + x * beta[j], 0)) ** 2, 0);
  return { r2: 1 - ssRes / ssTot, coefficients: beta.slice(1) };
}

export function pearson(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Shapley value of R² by brute force over every ordering of the drivers. */
export function shapleyByOrderings(y: number[], columns: number[][]): number[] {
  const p = columns.length;
  const perms: number[][] = [];
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) perms.push(prefix);
    rest.forEach((x, i) => permute([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute(
    [],
    Array.from({ length: p }, (_, i) => i),
  );
  const cache = new Map<string, number>();
  const r2Of = (set: number[]) => {
    const key = [...set].sort().join(',');
    if (!cache.has(key))
      cache.set(
        key,
        ols(
          y,
          set.map((j) => columns[j]),
        ).r2,
      );
    return cache.get(key)!;
  };
  const out = new Array<number>(p).fill(0);
  for (const perm of perms) {
    for (let i = 0; i < p; i++) out[perm[i]] += r2Of(perm.slice(0, i + 1)) - r2Of(perm.slice(0, i));
  }
  return out.map((v) => v / perms.length);
}

/** A⁻¹, one column at a time through gaussSolve. */
function inverse(A: number[][]): number[][] {
  const n = A.length;
  const columns = Array.from({ length: n }, (_, j) =>
    gaussSolve(
      A,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: n }, (_, i) => columns.map((column) => column[i]));
}

/**
 * Square root of a symmetric positive-definite matrix and its inverse by the Denman–Beavers iteration
 * (Y ← (Y + Z⁻¹)/2, Z ← (Z + Y⁻¹)/2 from Y = S, Z = I; Y → S^½, Z → S^−½). No eigendecomposition, so it
 * shares no step with the product's Jacobi solver.
 */
export function symmetricSqrt(S: number[][]): { root: number[][]; inverseRoot: number[][] } {
  const n = S.length;
  let Y = S.map((row) => [...row]);
  let Zm: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let step = 0; step < 100; step++) {
    const Yi = inverse(Y);
    const Zi = inverse(Zm);
    const nextY = Y.map((row, i) => row.map((v, j) => (v + Zi[i][j]) / 2));
    const nextZ = Zm.map((row, i) => row.map((v, j) => (v + Yi[i][j]) / 2));
    const change = nextY.reduce((m, row, i) => row.reduce((mm, v, j) => Math.max(mm, Math.abs(v - Y[i][j])), m), 0);
    Y = nextY;
    Zm = nextZ;
    if (change < 1e-15) break;
  }
  return { root: Y, inverseRoot: Zm };
}

/** Johnson's relative weights from the raw columns (correlations computed here): L = R^½, b = R^−½ r. */
export function relativeWeightsFromData(y: number[], columns: number[][]): number[] {
  const p = columns.length;
  const R = columns.map((a) => columns.map((b) => pearson(a, b)));
  const r = columns.map((c) => pearson(c, y));
  const { root: L, inverseRoot } = symmetricSqrt(R);
  const b = inverseRoot.map((row) => row.reduce((s, v, k) => s + v * r[k], 0));
  return Array.from({ length: p }, (_, j) => L[j].reduce((s, l, k) => s + l * l * b[k] * b[k], 0));
}

// ---- the drivers of any survey definition, and the coverage rule (docs/statistics.md#driver-analysis) ----

/** Default driver sets keep the drivers that at least this share of the filtered responses answered. */
export const DRIVER_COVERAGE_MIN = 0.5;

export interface ScaledAnswer {
  value: number | null;
  min: number;
  max: number;
  weight: number;
}

/** A respondent's dimension score: the item-weighted mean of their answers rescaled to 0–100; null when none. */
export function dimensionScore(items: ScaledAnswer[]): number | null {
  let s = 0;
  let w = 0;
  for (const item of items) {
    if (item.value === null) continue;
    s += item.weight * rescale(item.value, item.min, item.max);
    w += item.weight;
  }
  return w > 0 ? s / w : null;
}

/** Driver performance 0–100: the item-weighted mean of each item's rescaled mean over all responses. */
export function dimensionPerformance(items: { values: (number | null)[]; min: number; max: number; weight: number }[]): number | null {
  let s = 0;
  let w = 0;
  for (const item of items) {
    const xs = item.values.filter((x): x is number => x !== null);
    if (xs.length === 0) continue;
    s += item.weight * rescale(mean(xs), item.min, item.max);
    w += item.weight;
  }
  return w > 0 ? s / w : null;
}

/** The coverage rule: each driver's share of the responses with a value; those under the minimum are left out. */
export function coverageRule(drivers: { id: string; values: (number | null)[] }[]) {
  const withCoverage = drivers.map((d) => ({ id: d.id, coverage: d.values.filter((v) => v !== null).length / d.values.length }));
  return {
    kept: withCoverage.filter((d) => d.coverage >= DRIVER_COVERAGE_MIN).map((d) => d.id),
    excluded: withCoverage.filter((d) => d.coverage < DRIVER_COVERAGE_MIN),
  };
}

/** The rows with the outcome and every column present (listwise deletion). */
export function listwise(y: (number | null)[], columns: (number | null)[][]): { y: number[]; columns: number[][] } {
  const rows = y.map((v, i) => [v, ...columns.map((c) => c[i])]).filter((row) => row.every((v) => v !== null)) as number[][];
  return { y: rows.map((row) => row[0]), columns: columns.map((_, j) => rows.map((row) => row[j + 1])) };
}
