import { describe, expect, it } from 'vitest';
import { effectiveN, postStratificationWeights, weightSums, weightedMean } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('post-stratification', () => {
  const weights = postStratificationWeights([
    { key: 'airport', population: 600, sample: 20 },
    { key: 'city', population: 400, sample: 80 },
    { key: 'station', population: 50, sample: 0 },
  ]);

  it('weights a cell by (N_h / N) / (n_h / n)', () => {
    // N = 1050, n = 100
    expect(weights[0].weight).toBeCloseTo(600 / 1050 / 0.2, 12);
    expect(weights[1].weight).toBeCloseTo(400 / 1050 / 0.8, 12);
    expect(weights[2].weight).toBeNull();
  });

  it('gives the effective n (Σw)² / Σw²', () => {
    const cells = postStratificationWeights([
      { key: 'a', population: 600, sample: 20 },
      { key: 'b', population: 400, sample: 80 },
    ]);
    const sums = weightSums(cells); // weights 3 and 0.5
    expect(sums.sumWeights).toBeCloseTo(100, 12);
    expect(sums.sumSquaredWeights).toBeCloseTo(200, 12);
    expect(effectiveN(sums.sumWeights, sums.sumSquaredWeights)).toBeCloseTo(50, 12);
    expect(effectiveN(0, 0)).toBeNull();
    // equal weights lose nothing
    expect(effectiveN(10 * 2, 10 * 4)).toBe(10);
  });

  it('weighted mean is Σw·y / Σw', () => {
    // cell a mean 80 (w 3, n 20), cell b mean 50 (w 0.5, n 80)
    expect(weightedMean(100, 20 * 3 * 80 + 80 * 0.5 * 50)).toBeCloseTo(68, 12);
    expect(weightedMean(0, 0)).toBeNull();
  });
});
