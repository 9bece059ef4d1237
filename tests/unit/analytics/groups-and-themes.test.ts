// Pure helpers of the analytics engine: calendar periods (labels, every period between two dates) and
// comment tokenisation for Chinese and English.
import { describe, expect, it } from 'vitest';
import { parseFinishedAt } from '../../../api/src/responses/import.queries.ts';
import { nextPeriod, periodLabel, periodStart, periodsBetween } from '../../../api/src/analytics/engine/groups.ts';
import { ThemeCounter, termsOf, tokenize } from '../../../api/src/analytics/engine/text-themes.ts';

describe('periods', () => {
  it('starts weeks on Monday and labels them by ISO week, across a year boundary', () => {
    expect(periodStart('week', '2026-01-01')).toBe('2025-12-29');
    expect(periodLabel('week', '2025-12-29')).toBe('2026-W01');
    expect(periodLabel('week', '2027-01-04')).toBe('2027-W01');
    expect(periodLabel('week', '2026-12-28')).toBe('2026-W53');
  });

  it('labels months and quarters and steps through them', () => {
    expect(periodStart('quarter', '2026-08-17')).toBe('2026-07-01');
    expect(periodLabel('quarter', '2026-07-01')).toBe('2026-Q3');
    expect(nextPeriod('quarter', '2026-10-01')).toBe('2027-01-01');
    expect(periodLabel('month', '2026-02-01')).toBe('2026-02');
    expect(periodsBetween('month', '2026-01-31', '2026-04-01')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
    expect(periodsBetween('day', '2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('comment terms', () => {
  it('drops stop words, punctuation and numbers, and pairs neighbouring words', () => {
    expect(tokenize('The car was dirty, 2 hours late!').filter(Boolean)).toEqual(['car', 'dirty', 'hour', 'late']);
    const en = termsOf('Friendly staff and a very clean car');
    expect([...en.phrases]).toEqual(['friendly staff', 'clean car']);
    const zh = termsOf('押金迟迟不退');
    expect([...zh.words]).toContain('押金');
    // Chinese words pair without a space.
    expect([...zh.phrases].every((p) => !p.includes(' '))).toBe(true);
  });

  it('counts a term once per comment and keeps a few examples', () => {
    const counter = new ThemeCounter(2);
    for (const text of ['dirty car, dirty seats', 'dirty car', 'clean car', 'dirty car again']) counter.add(text);
    const top = counter.top(3);
    expect(top.comments).toBe(4);
    expect(top.words[0]).toMatchObject({ term: 'car', count: 4, share: 100 });
    expect(top.words.find((w) => w.term === 'dirty')).toMatchObject({ count: 3, examples: ['dirty car, dirty seats', 'dirty car'] });
    expect(top.phrases.map((p) => p.term)).toEqual(['dirty car']);
  });
});

describe('import times', () => {
  it('reads wall-clock times in the company time zone and ISO times as given', () => {
    expect(parseFinishedAt('2026-05-20 10:00', 'Asia/Shanghai')?.toISOString()).toBe('2026-05-20T02:00:00.000Z');
    expect(parseFinishedAt('2026-05-20', 'Asia/Shanghai')?.toISOString()).toBe('2026-05-19T16:00:00.000Z');
    expect(parseFinishedAt('2026-03-29 12:00', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(parseFinishedAt('2026-05-20T10:00:00+08:00', 'Europe/Berlin')?.toISOString()).toBe('2026-05-20T02:00:00.000Z');
    expect(parseFinishedAt('2026-02-30', 'Asia/Shanghai')).toBeNull();
    expect(parseFinishedAt('yesterday', 'Asia/Shanghai')).toBeNull();
  });
});
