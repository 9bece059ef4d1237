// Problems per 100 (docs/statistics.md#pp100-problems-per-100) from aggregates SQL can compute over the responses that
// answered the problem checklist: count, Σ problems, Σ problems², count with ≥ 1 problem.

export interface Pp100Sums {
  /** Responses that answered the checklist ("no problem" included, as 0 problems). */
  n: number;
  totalProblems: number;
  /** Σ (problems per response)². */
  sumSquaresProblems: number;
  /** Responses with at least one problem. */
  withAnyProblem: number;
}

export interface Pp100Result {
  n: number;
  /** 100 · totalProblems / n; null when n = 0. */
  value: number | null;
  /** 100 · withAnyProblem / n (percent); null when n = 0. */
  incidence: number | null;
  /** 100 · s / √n, s = sample SD of problems per response; null when n < 2. */
  se: number | null;
}

export function pp100FromCounts(sums: Pp100Sums): Pp100Result {
  const { n, totalProblems, sumSquaresProblems, withAnyProblem } = sums;
  if (!(n >= 0)) throw new RangeError(`n must be ≥ 0, got ${n}`);
  if (n === 0) return { n, value: null, incidence: null, se: null };
  const value = (100 * totalProblems) / n;
  const incidence = (100 * withAnyProblem) / n;
  if (n < 2) return { n, value, incidence, se: null };
  // Sample variance from the sums; clamp rounding noise below zero.
  const variance = Math.max(0, (sumSquaresProblems - (totalProblems * totalProblems) / n) / (n - 1));
  return { n, value, incidence, se: (100 * Math.sqrt(variance)) / Math.sqrt(n) };
}
