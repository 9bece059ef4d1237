import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalTwoSidedP, studentTCdf, studentTTwoSidedP, erf } from '../../../api/src/analytics/engine/statistics/index.ts';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('standard normal', () => {
  it('Φ matches high-precision reference values (mpmath, 30 digits)', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 8);
    expect(normalCdf(1.959964)).toBeCloseTo(0.9750000009035576, 13);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(0.5)).toBeCloseTo(0.6914624612740131, 14);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('keeps relative accuracy far in the lower tail (no 1 − x cancellation)', () => {
    expect(relativeError(normalCdf(-3), 0.0013498980316300945)).toBeLessThan(1e-13);
    expect(relativeError(normalCdf(-10), 7.619853024160526e-24)).toBeLessThan(1e-12);
    expect(relativeError(normalCdf(-20), 2.7536241186062337e-89)).toBeLessThan(1e-12);
  });

  it('erf is odd and erf(1) = 0.8427007929497149', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 14);
  });

  it('quantile inverts Φ', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400542, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.9599639845400542, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [1e-6, 0.01, 0.3, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });

  it('two-sided p of z = 1.959964 is 0.05 and of z = −3 is 2 Φ(−3)', () => {
    expect(normalTwoSidedP(1.959964)).toBeCloseTo(0.05, 8);
    expect(normalTwoSidedP(-3)).toBeCloseTo(2 * 0.0013498980316300945, 15);
  });
});

describe('Student t', () => {
  it('matches table critical values', () => {
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05001177181711132, 12);
    expect(studentTTwoSidedP(4.032143, 5)).toBeCloseTo(0.01, 7);
    expect(studentTTwoSidedP(2.042272, 30)).toBeCloseTo(0.05, 6);
  });

  it('matches the closed forms for df = 1 (Cauchy) and df = 2', () => {
    for (const t of [0.1, 0.7, 1.5, 3, 12.706, 40]) {
      expect(studentTTwoSidedP(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 13);
      expect(studentTTwoSidedP(t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 13);
    }
  });

  it('CDF is a CDF: lower tail for negative t, and tends to Φ for large df', () => {
    expect(studentTCdf(-2.228, 10)).toBeCloseTo(0.02500588590855566, 12);
    expect(studentTCdf(2.228, 10)).toBeCloseTo(1 - 0.02500588590855566, 12);
    expect(studentTCdf(1.959964, 1e7)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(1.5, Infinity)).toBeCloseTo(normalCdf(1.5), 15);
  });
});
