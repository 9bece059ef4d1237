// Minimum-n rule (docs/statistics.md#minimum-n): a group with fewer than minN answers keeps its counts
// but shows no scores, so tiny groups (one branch, one agent) cannot be read as results or de-anonymised.

/** Default minN when the survey sets none. */
export const DEFAULT_MIN_N = 5;

/** Score fields of each result type that are nulled when suppressed (everything else is a count). */
export const NPS_SCORE_FIELDS = ['score', 'se', 'ci95'] as const;
export const CSAT_SCORE_FIELDS = ['top2', 'mean', 'ci95'] as const;
export const PP100_SCORE_FIELDS = ['value', 'incidence', 'se'] as const;

export type Suppressed<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null } & { suppressed: boolean };

export function isBelowMinN(n: number, minN: number = DEFAULT_MIN_N): boolean {
  if (!(Number.isInteger(minN) && minN >= 0)) throw new RangeError(`minN must be an integer ≥ 0, got ${minN}`);
  return n < minN;
}

/**
 * Applies minN to one result: when result.n < minN the listed score fields become null; always adds
 * `suppressed`. Returns a new object.
 */
export function applyMinN<T extends { n: number }, K extends keyof T>(result: T, scoreFields: readonly K[], minN: number = DEFAULT_MIN_N): Suppressed<T, K> {
  const suppressed = isBelowMinN(result.n, minN);
  const out: Record<string, unknown> = { ...result, suppressed };
  if (suppressed) for (const field of scoreFields) out[field as string] = null;
  return out as Suppressed<T, K>;
}
