import { describe, expect, it } from 'vitest';
import { filterQuerySchema } from '../../api/src/analytics/engine/filters.schemas.ts';
import { explorerFilterSchema } from '../../api/src/responses/explorer.schemas.ts';
import { changeQuerySchema } from '../../api/src/analytics/change.schemas.ts';
import { commentsQuerySchema } from '../../api/src/analytics/comments.schemas.ts';
import { loyaltyQuerySchema } from '../../api/src/analytics/loyalty.schemas.ts';

const survey = '00000000-0000-4000-8000-000000000001';

describe('repeatable query parameters: one reading for analytics and the explorer', () => {
  it('reads ?x=a&x=b and ?x=a,b alike, trimmed, empty values dropped, in both', () => {
    for (const schema of [filterQuerySchema, explorerFilterSchema]) {
      const parsed = schema.parse({ survey, branch: ['SH01', ' BJ01 ,', ''], channel: 'app,web' });
      expect(parsed.branch).toEqual(['SH01', 'BJ01']);
      expect(parsed.channel).toEqual(['app', 'web']);
    }
  });

  it('bounds the number of values the same way in both (the analytics filters had no bound)', () => {
    const many = Array.from({ length: 201 }, (_, i) => `B${i}`);
    expect(filterQuerySchema.safeParse({ survey, branch: many }).success).toBe(false);
    expect(explorerFilterSchema.safeParse({ survey, branch: many }).success).toBe(false);
    expect(filterQuerySchema.safeParse({ survey, branch: many.slice(0, 200) }).success).toBe(true);
  });

  it('checks segment values with the same rules in both (a branch code is at most 32 characters)', () => {
    const long = 'X'.repeat(33);
    expect(filterQuerySchema.safeParse({ survey, branch: long }).success).toBe(false);
    expect(explorerFilterSchema.safeParse({ survey, branch: long }).success).toBe(false);
  });
});

describe('the other repeatable analytics parameters read values the same way', () => {
  it('loyalty windows, comment questions and change segments split on commas and repeats', () => {
    expect(loyaltyQuerySchema.parse({ survey, windows: ['90,180', '365'] }).windows).toEqual([90, 180, 365]);
    expect(commentsQuerySchema.parse({ survey, question: 'q_comment,q_other' }).question).toEqual(['q_comment', 'q_other']);
    // Segments are a set: a repeated one counts once.
    const change = changeQuerySchema.parse({ survey, from: '2026-01-01', to: '2026-01-31', segment: ['tier', 'tier,customerType'] });
    expect(change.segment).toEqual(['tier', 'customerType']);
  });
});
