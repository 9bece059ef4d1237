// The loyalty ladder, index and value formulas against hand-computed values (docs/statistics.md#loyalty-ladder-index-and-customer-value).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOYALTY_SETTINGS,
  bootstrapIndexInterval,
  compareBands,
  expectedRentals,
  indexParts,
  ladderRung,
  lifetimeValue,
  loyaltyIndex,
  normaliseWeights,
  quantileType7,
  sumUnits,
  tierRetention,
  topBandSize,
  usualGapDays,
  type CustomerAtDate,
  type IndexUnit,
} from '../../api/src/analytics/engine/statistics/loyalty.ts';

const customer = (c: Partial<CustomerAtDate>): CustomerAtDate => ({
  rentals: 6,
  rentals12m: 5,
  recencyDays: 30,
  usualGapDays: 40,
  tier: 'A',
  attitude: null,
  ...c,
});

describe('ladderRung (defaults: A ≥ 4 rentals / ≤ 90 days, B ≥ 3 / ≤ 120, C ≥ 2 / ≤ 180, overdue at 1.5 × usual gap)', () => {
  it('no rental in the lookback: not on the ladder; one rental: one-time', () => {
    expect(ladderRung(customer({ rentals: 0, rentals12m: 0 }))).toBeNull();
    expect(ladderRung(customer({ rentals: 1, rentals12m: 1, usualGapDays: null, attitude: 'promoter' }))).toBe('one_time');
  });
  it('below the tier frequency: repeat renter (B needs 3 in 12 months, 2 is not enough)', () => {
    expect(ladderRung(customer({ tier: 'B', rentals: 5, rentals12m: 2, attitude: 'promoter' }))).toBe('repeat');
  });
  it('frequent and recent: advocate when a promoter, loyal when passive or silent', () => {
    expect(ladderRung(customer({ attitude: 'promoter' }))).toBe('advocate');
    expect(ladderRung(customer({ attitude: 'passive' }))).toBe('loyal');
    expect(ladderRung(customer({ attitude: null }))).toBe('loyal');
  });
  it('at risk: a frequent detractor, one overdue (61 days > 1.5 × 40), or one past the tier recency', () => {
    expect(ladderRung(customer({ attitude: 'detractor' }))).toBe('at_risk');
    expect(ladderRung(customer({ recencyDays: 61, attitude: 'promoter' }))).toBe('at_risk');
    expect(ladderRung(customer({ recencyDays: 60, attitude: 'promoter' }))).toBe('advocate');
    // Tier C (no tier): 2 rentals 100 days apart; 181 days since the last is past 180.
    expect(ladderRung(customer({ tier: null, rentals: 2, rentals12m: 2, usualGapDays: 100, recencyDays: 181 }))).toBe('at_risk');
    expect(ladderRung(customer({ tier: null, rentals: 2, rentals12m: 2, usualGapDays: 100, recencyDays: 150 }))).toBe('loyal');
  });
  it('thresholds come from the settings', () => {
    const strict = { ...DEFAULT_LOYALTY_SETTINGS, tiers: { ...DEFAULT_LOYALTY_SETTINGS.tiers, A: { minRentals12m: 6, maxRecencyDays: 90 } } };
    expect(ladderRung(customer({ attitude: 'promoter' }), strict)).toBe('repeat');
  });
  it('usual gap: (last − first) / (n − 1) in days', () => {
    expect(usualGapDays(new Date('2026-01-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'), 3)).toBe(30);
    expect(usualGapDays(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 1)).toBeNull();
  });
});

const unit = (u: Partial<IndexUnit>): IndexUnit => ({
  csiN: 0,
  csiSum: 0,
  promoters: 0,
  passives: 0,
  detractors: 0,
  renter: 0,
  repeater: 0,
  revenue: 0,
  repeatRevenue: 0,
  ...u,
});

describe('loyalty evaluation index', () => {
  // CSI 300/4 = 75; NPS (5 P, 3 passive, 2 D) = 30 → 65; repeat 4 of 10 = 40 %; repeat revenue 550 of 1000 = 55 %.
  const sums = unit({ csiN: 4, csiSum: 300, promoters: 5, passives: 3, detractors: 2, renter: 10, repeater: 4, revenue: 1000, repeatRevenue: 550 });

  it('parts on 0–100', () => {
    const parts = indexParts(sums, 4);
    expect(parts.csi).toBe(75);
    expect(parts.nps).toBeCloseTo(30, 12);
    expect(parts.npsRescaled).toBeCloseTo(65, 12);
    expect(parts.repeatRate).toBe(40);
    expect(parts.repeatRevenue).toBe(55);
  });
  it('default weights 0.3 / 0.3 / 0.2 / 0.2: 22.5 + 19.5 + 8 + 11 = 61', () => {
    expect(loyaltyIndex(indexParts(sums, 4), DEFAULT_LOYALTY_SETTINGS.weights)).toBeCloseTo(61, 10);
  });
  it('weights are renormalised: 3 / 1 / 0 / 0 → 0.75 · 75 + 0.25 · 65 = 72.5', () => {
    const w = { csi: 3, nps: 1, repeatRate: 0, repeatRevenue: 0 };
    expect(normaliseWeights(w)).toEqual({ csi: 0.75, nps: 0.25, repeatRate: 0, repeatRevenue: 0 });
    expect(loyaltyIndex(indexParts(sums, 4), w)).toBeCloseTo(72.5, 10);
    expect(() => normaliseWeights({ csi: 0, nps: 0, repeatRate: 0, repeatRevenue: 0 })).toThrow(RangeError);
  });
  it('a part under minN (4 CSI answers, minN 5) leaves the index null unless its weight is 0', () => {
    const parts = indexParts(sums, 5);
    expect(parts.csi).toBeNull();
    expect(loyaltyIndex(parts, DEFAULT_LOYALTY_SETTINGS.weights)).toBeNull();
    expect(loyaltyIndex(parts, { csi: 0, nps: 1, repeatRate: 1, repeatRevenue: 0 })).toBeCloseTo((65 + 40) / 2, 10);
  });
  it('sums units; the bootstrap interval of identical customers is the point itself, and it is seeded', () => {
    const same = Array.from({ length: 20 }, () => unit({ csiN: 1, csiSum: 80, promoters: 1, renter: 1, repeater: 1, revenue: 100, repeatRevenue: 100 }));
    expect(sumUnits(same).csiSum).toBe(1600);
    // 0.3 · 80 + 0.3 · 100 + 0.2 · 100 + 0.2 · 100 = 94
    const boot = bootstrapIndexInterval(same, DEFAULT_LOYALTY_SETTINGS.weights, 5, { replicates: 50 });
    expect(boot.ci95![0]).toBeCloseTo(94, 10);
    expect(boot.ci95![1]).toBeCloseTo(94, 10);
    const mixed = Array.from({ length: 40 }, (_, i) =>
      unit({
        csiN: 1,
        csiSum: i % 2 ? 90 : 50,
        promoters: i % 3 === 0 ? 1 : 0,
        detractors: i % 3 === 1 ? 1 : 0,
        passives: i % 3 === 2 ? 1 : 0,
        renter: 1,
        repeater: i % 2,
        revenue: 100,
        repeatRevenue: (i % 2) * 100,
      }),
    );
    const a = bootstrapIndexInterval(mixed, DEFAULT_LOYALTY_SETTINGS.weights, 5);
    const b = bootstrapIndexInterval(mixed, DEFAULT_LOYALTY_SETTINGS.weights, 5);
    expect(a).toEqual(b);
    const point = loyaltyIndex(indexParts(sumUnits(mixed), 5), DEFAULT_LOYALTY_SETTINGS.weights)!;
    expect(a.ci95![0]).toBeLessThan(point);
    expect(a.ci95![1]).toBeGreaterThan(point);
    expect(a.valid).toBe(500);
  });
  it('type-7 quantiles', () => {
    expect(quantileType7([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileType7([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });
});

describe('customer value', () => {
  it('expected rentals f · Σ r^t over 5 years: 4 · (0.5 + 0.25 + 0.125 + 0.0625 + 0.03125) = 3.875', () => {
    expect(expectedRentals(4, 0.5, 5)).toBeCloseTo(3.875, 12);
    expect(expectedRentals(3, 0, 5)).toBe(0);
  });
  it('lifetime value 0.25 · 400 · 3.875 = 387.5', () => {
    expect(lifetimeValue({ averageAmount: 400, rentals12m: 4, retention: 0.5 }, { marginRate: 0.25, horizonYears: 5 })).toBeCloseTo(387.5, 10);
  });
  it('tier retention: measured from minN customers, else the default', () => {
    expect(tierRetention(10, 6, 5, 0.6)).toEqual({ retention: 0.6, measured: true });
    expect(tierRetention(10, 3, 5, 0.6)).toEqual({ retention: 0.3, measured: true });
    expect(tierRetention(3, 3, 5, 0.6)).toEqual({ retention: 0.6, measured: false });
  });
  it('top band: ⌈0.2 · n⌉ customers', () => {
    expect(topBandSize(10)).toBe(2);
    expect(topBandSize(11)).toBe(3);
    expect(topBandSize(1)).toBe(1);
  });
  it('top 20 % against the rest: NPS 50 − 40 … difference 20 ± 1.96 · 11.402; index (10, 20, 16) against (15, 17, 9)', () => {
    const c = compareBands(
      { nps: { detractors: 20, passives: 30, promoters: 50 }, csi: { n: 10, mean: 20, variance: 16 } },
      { nps: { detractors: 30, passives: 30, promoters: 40 }, csi: { n: 15, mean: 17, variance: 9 } },
      5,
    );
    expect(c.nps.top).toBeCloseTo(30, 10);
    expect(c.nps.rest).toBeCloseTo(10, 10);
    expect(c.nps.difference).toBeCloseTo(20, 10);
    expect(c.nps.ci95![0]).toBeCloseTo(20 - 1.959964 * 11.40175, 3);
    expect(c.nps.ci95![1]).toBeCloseTo(42.347, 3);
    expect(c.nps.p).toBeCloseTo(0.0794, 4);
    expect(c.nps.significant).toBe(false);
    expect(c.csi.difference).toBe(3);
    // SE = √(16/10 + 9/15) = √2.2
    expect(c.csi.ci95![0]).toBeCloseTo(3 - 1.959964 * Math.sqrt(2.2), 10);
    expect(c.csi.p).toBeCloseTo(0.0605992, 6);
  });
  it('a band under minN is not compared', () => {
    const c = compareBands(
      { nps: { detractors: 1, passives: 1, promoters: 1 }, csi: { n: 3, mean: 50, variance: 1 } },
      { nps: { detractors: 30, passives: 30, promoters: 40 }, csi: { n: 15, mean: 17, variance: 9 } },
      5,
    );
    expect(c.nps.difference).toBeNull();
    expect(c.nps.top).toBeNull();
    expect(c.csi.p).toBeNull();
    expect(c.csi.significant).toBe(false);
  });
});
