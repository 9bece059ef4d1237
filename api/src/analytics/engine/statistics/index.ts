// Public surface of the statistics library: pure functions over aggregates (no I/O). Definitions
// follow docs/statistics.md.

export * from './errors.ts';
export * from './distributions.ts';
export * from './nps.ts';
export * from './proportions.ts';
export * from './means.ts';
export * from './multiple-comparisons.ts';
export * from './pp100.ts';
export * from './csi.ts';
export * from './linear-algebra.ts';
export * from './correlation.ts';
export * from './drivers.ts';
export * from './weighting.ts';
export * from './suppression.ts';
export * from './top-box.ts';
export * from './target-status.ts';
