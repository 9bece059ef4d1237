import { findTemplate } from '@rs/survey-templates';
import { describe, expect, it } from 'vitest';
import { composeCaseEmail } from '../../api/src/cases/notifications.ts';
import { describeReasons } from '../../api/src/cases/describe.ts';
import { evaluateRule, filterSchema, triggerProblems, triggerSchema, type RuleContext } from '../../api/src/cases/rules.ts';
import type { Answers } from '@rs/survey-definition';

const definition = findTemplate('post-rental')!.definition;

function ctx(answers: Answers, extra: Partial<RuleContext> = {}): RuleContext {
  return {
    definition,
    answers,
    customer: { valueTier: 'A', customerType: 'leisure', memberLevel: '金卡' },
    rental: { vehicleClass: 'suv', bookingChannel: 'app', amount: 1500 },
    branch: { code: 'SH01', region: '华东' },
    ...extra,
  };
}

const detractorRule = { triggers: [{ type: 'nps_at_most' as const, value: 6 }], filters: [] };

describe('evaluateRule', () => {
  it('matches NPS at or below the threshold and not above', () => {
    expect(evaluateRule(detractorRule, ctx({ q_nps: 6 }))).toEqual({ matched: true, reasons: [{ type: 'nps', questionId: 'q_nps', value: 6 }] });
    expect(evaluateRule(detractorRule, ctx({ q_nps: 7 })).matched).toBe(false);
    expect(evaluateRule(detractorRule, ctx({})).matched).toBe(false);
  });

  it('fires when any trigger fires and reports every one that did', () => {
    const rule = {
      triggers: [
        { type: 'nps_at_most' as const, value: 6 },
        { type: 'csat_at_most' as const, value: 2 },
      ],
      filters: [],
    };
    expect(evaluateRule(rule, ctx({ q_nps: 9, q_csat: 2 })).reasons).toEqual([{ type: 'csat', questionId: 'q_csat', value: 2 }]);
    expect(evaluateRule(rule, ctx({ q_nps: 3, q_csat: 1 })).reasons.map((r) => r.type)).toEqual(['nps', 'csat']);
    expect(evaluateRule(rule, ctx({ q_nps: 9, q_csat: 3 })).matched).toBe(false);
  });

  it('counts checked problems but not "no problem"', () => {
    const rule = { triggers: [{ type: 'any_problem' as const }], filters: [] };
    const q = definition.pages.flatMap((p) => p.questions).find((x) => x.id === 'q_problems');
    const none = q?.type === 'problems' ? q.noProblem?.id : undefined;
    expect(none).toBeTruthy();
    expect(evaluateRule(rule, ctx({ q_problems: { choices: [none!] } })).matched).toBe(false);
    expect(evaluateRule(rule, ctx({ q_problems: { choices: ['counter_wait', 'vehicle_not_clean'] } })).reasons).toEqual([
      { type: 'problem', questionId: 'q_problems', choiceIds: ['counter_wait', 'vehicle_not_clean'] },
    ]);
    const onlyFees = { triggers: [{ type: 'any_problem' as const, choiceIds: ['unexpected_fees'] }], filters: [] };
    expect(evaluateRule(onlyFees, ctx({ q_problems: { choices: ['counter_wait'] } })).matched).toBe(false);
    expect(evaluateRule(onlyFees, ctx({ q_problems: { choices: ['counter_wait', 'unexpected_fees'] } })).reasons[0]).toMatchObject({
      choiceIds: ['unexpected_fees'],
    });
  });

  it('finds keywords in comments regardless of case and full-width letters', () => {
    const rule = { triggers: [{ type: 'comment_contains' as const, keywords: ['投诉', 'refund'] }], filters: [] };
    expect(evaluateRule(rule, ctx({ q_comment: '我要投诉这个门店' })).reasons).toEqual([{ type: 'keyword', questionId: 'q_comment', keyword: '投诉' }]);
    expect(evaluateRule(rule, ctx({ q_comment: 'I want a ＲＥＦＵＮＤ now' })).matched).toBe(true);
    expect(evaluateRule(rule, ctx({ q_comment: 'all fine' })).matched).toBe(false);
  });

  it('applies every filter: tier A only', () => {
    const rule = { triggers: [{ type: 'nps_at_most' as const, value: 6 }], filters: [{ type: 'customer_tier' as const, values: ['A' as const] }] };
    expect(evaluateRule(rule, ctx({ q_nps: 2 })).matched).toBe(true);
    expect(evaluateRule(rule, ctx({ q_nps: 2 }, { customer: { valueTier: 'B', customerType: 'leisure', memberLevel: null } })).matched).toBe(false);
    // No tier known is not tier A.
    expect(evaluateRule(rule, ctx({ q_nps: 2 }, { customer: { valueTier: null, customerType: 'leisure', memberLevel: null } })).matched).toBe(false);
    const twoFilters = { ...rule, filters: [...rule.filters, { type: 'rental_amount_at_least' as const, value: 2000 }] };
    expect(evaluateRule(twoFilters, ctx({ q_nps: 2 })).matched).toBe(false);
  });

  it('reads one matrix item with score_at_most', () => {
    const matrix = definition.pages.flatMap((p) => p.questions).find((x) => x.type === 'matrix')!;
    const item = matrix.type === 'matrix' ? matrix.items[0].id : '';
    const rule = { triggers: [{ type: 'score_at_most' as const, questionId: matrix.id, itemId: item, value: 2 }], filters: [] };
    expect(evaluateRule(rule, ctx({ [matrix.id]: { [item]: 2 } })).matched).toBe(true);
    expect(evaluateRule(rule, ctx({ [matrix.id]: { [item]: 3 } })).matched).toBe(false);
  });
});

describe('rule schemas and checks', () => {
  it('rejects unknown condition types and bad thresholds', () => {
    expect(triggerSchema.safeParse({ type: 'nps_at_most', value: 11 }).success).toBe(false);
    expect(triggerSchema.safeParse({ type: 'whatever' }).success).toBe(false);
    expect(filterSchema.safeParse({ type: 'customer_tier', values: ['D'] }).success).toBe(false);
    expect(filterSchema.safeParse({ type: 'customer_tier', values: ['A'] }).success).toBe(true);
  });

  it('names triggers the survey cannot satisfy', () => {
    const followUp = findTemplate('complaint-follow-up')!.definition;
    expect(triggerProblems([{ type: 'any_problem' }], followUp)).toEqual([{ path: 'triggers.0', message: 'the survey has no problems question' }]);
    expect(triggerProblems([{ type: 'any_problem', choiceIds: ['nope'] }], definition)[0].path).toBe('triggers.0.choiceIds');
    expect(triggerProblems([{ type: 'nps_at_most', value: 6 }], definition)).toEqual([]);
  });
});

describe('texts', () => {
  it('describes reasons with the survey’s own choice texts', () => {
    const text = describeReasons(
      [
        { type: 'nps', questionId: 'q_nps', value: 3 },
        { type: 'problem', questionId: 'q_problems', choiceIds: ['counter_wait'] },
      ],
      definition,
      'en',
    );
    expect(text).toMatch(/^NPS 3; Problems: /);
    expect(text).not.toContain('counter_wait');
  });

  it('writes the e-mail in both languages with the due time in the branch’s zone and no customer details', () => {
    const mail = composeCaseEmail('created', {
      number: 17,
      priority: 'high',
      branchName: '上海虹桥机场店',
      branchNameEn: 'Shanghai Hongqiao Airport',
      reasons: [{ type: 'nps', questionId: 'q_nps', value: 2 }],
      definition,
      timeZone: 'Asia/Shanghai',
      firstResponseDueAt: new Date('2026-06-02T02:00:00Z'),
      resolutionDueAt: new Date('2026-06-04T02:00:00Z'),
      ownerName: '王经理',
      ownerEmail: 'manager@example.com',
      escalationLevel: 0,
      link: 'http://survey.test/cases/abc',
    });
    expect(mail.subject).toBe('[#17] 新投诉工单 / New case · 上海虹桥机场店 · 高');
    expect(mail.body).toContain('首次响应时限: 2026-06-02 10:00 (Asia/Shanghai)');
    expect(mail.body).toContain('First response due: 2026-06-02 10:00');
    expect(mail.body).toContain('http://survey.test/cases/abc');
  });
});
