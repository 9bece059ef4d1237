import { describe, expect, it } from 'vitest';
import { csiScore, dimensionScore, rescaleTo100 } from '../../../api/src/analytics/engine/statistics/index.ts';

describe('rescaleTo100', () => {
  it('maps min…max onto 0–100', () => {
    expect(rescaleTo100(4, 1, 5)).toBe(75);
    expect(rescaleTo100(1, 1, 5)).toBe(0);
    expect(rescaleTo100(7, 0, 10)).toBe(70);
    expect(() => rescaleTo100(3, 5, 5)).toThrow(RangeError);
  });
});

describe('dimensionScore', () => {
  it('averages item scores equally, or by item weight, ignoring items without data', () => {
    expect(
      dimensionScore([
        { dimensionId: 'a', n: 10, meanRescaled: 80 },
        { dimensionId: 'a', n: 8, meanRescaled: 60 },
        { dimensionId: 'a', n: 0, meanRescaled: null },
      ]),
    ).toBe(70); // not weighted by n (that would be 71.1)
    expect(
      dimensionScore([
        { dimensionId: 'a', n: 10, meanRescaled: 80, itemWeight: 3 },
        { dimensionId: 'a', n: 8, meanRescaled: 60, itemWeight: 1 },
      ]),
    ).toBe(75);
    expect(dimensionScore([{ dimensionId: 'a', n: 0, meanRescaled: null }])).toBeNull();
  });
});

describe('csiScore', () => {
  const items = [
    { dimensionId: 'staff', n: 10, meanRescaled: 80 },
    { dimensionId: 'staff', n: 8, meanRescaled: 60 },
    { dimensionId: 'car', n: 5, meanRescaled: 50 },
    { dimensionId: 'pickup', n: 0, meanRescaled: null },
  ];
  const dimensions = [
    { id: 'staff', weight: 0.5 },
    { id: 'car', weight: 0.3 },
    { id: 'pickup', weight: 0.2 },
  ];

  it('renormalises the design weights over the dimensions that have data', () => {
    const result = csiScore(items, dimensions);
    // weights 0.5 and 0.3 become 0.625 and 0.375: 0.625·70 + 0.375·50 (not 0.5·70 + 0.3·50 = 50)
    expect(result.score).toBeCloseTo(62.5, 12);
    expect(result.dimensions).toEqual([
      { id: 'staff', score: 70, weight: expect.closeTo(0.625, 12), n: 10 },
      { id: 'car', score: 50, weight: expect.closeTo(0.375, 12), n: 5 },
      { id: 'pickup', score: null, weight: 0, n: 0 },
    ]);
  });

  it('uses a respondent count for the dimension when the caller gives one', () => {
    const result = csiScore(items, [{ id: 'staff', weight: 1, n: 12 }]);
    expect(result.score).toBe(70);
    expect(result.dimensions[0].n).toBe(12);
  });

  it('has no score when no dimension has data', () => {
    expect(csiScore([], dimensions).score).toBeNull();
  });
});
