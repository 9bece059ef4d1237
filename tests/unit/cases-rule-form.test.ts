import { describe, expect, it } from 'vitest';
import { defaultFormValues, formValuesFrom, formValuesOf, ruleInputOf } from '../../web/src/lib/cases/rule-form.ts';
import type { AlertRule } from '@rs/api/contract';

const rule: AlertRule = {
  id: 'r1',
  surveyId: 's1',
  surveyName: 'Post-rental',
  name: 'Key accounts',
  enabled: true,
  triggers: [
    { type: 'csat_at_most', value: 2 },
    { type: 'score_at_most', questionId: 'q_pickup', itemId: 'pickup_wait', value: 1 },
    { type: 'comment_contains', keywords: ['押金', 'refund'] },
  ],
  filters: [
    { type: 'customer_tier', values: ['A'] },
    { type: 'rental_amount_at_least', value: 2000 },
  ],
  priority: 'urgent',
  assignTo: 'team',
  teamId: 't1',
  teamName: 'Care',
  firstResponseHours: 4,
  resolutionHours: 24,
  businessHours: { days: [1, 2, 3, 4, 5, 6], start: '08:30', end: '20:00' },
  followUpSurvey: false,
  cases: 3,
  createdAt: '2026-06-01T08:00:00.000Z',
  updatedAt: '2026-06-02T08:00:00.000Z',
};

describe('the rule form', () => {
  it('shows a rule and saves it back unchanged, keeping conditions it has no fields for', () => {
    const input = ruleInputOf(formValuesOf(rule));
    expect(input.triggers).toEqual([
      { type: 'csat_at_most', value: 2 },
      { type: 'comment_contains', keywords: ['押金', 'refund'] },
      { type: 'score_at_most', questionId: 'q_pickup', itemId: 'pickup_wait', value: 1 },
    ]);
    expect(input).toMatchObject({
      filters: rule.filters,
      priority: 'urgent',
      assignTo: 'team',
      teamId: 't1',
      businessHours: rule.businessHours,
      followUpSurvey: false,
    });
  });

  it('reads the posted fields: keyword lists in any separator, unchecked boxes as off', () => {
    const form = new FormData();
    for (const [k, v] of [
      ['surveyId', 's1'],
      ['name', ' Waiting '],
      ['npsOn', 'on'],
      ['npsValue', '5'],
      ['keywords', '排队，等待、 wait\nslow'],
      ['tiers', 'A'],
      ['tiers', 'B'],
      ['assignTo', 'branch_manager'],
      ['teamId', 't1'],
      ['firstResponseHours', '12'],
      ['resolutionHours', '48'],
    ])
      form.append(k, v);
    const input = ruleInputOf(formValuesFrom(form));
    expect(input).toMatchObject({
      name: 'Waiting',
      enabled: false,
      triggers: [
        { type: 'nps_at_most', value: 5 },
        { type: 'comment_contains', keywords: ['排队', '等待', 'wait', 'slow'] },
      ],
      filters: [{ type: 'customer_tier', values: ['A', 'B'] }],
      teamId: null,
      businessHours: null,
      followUpSurvey: false,
    });
    // With business hours off the (hidden) days keep their defaults for when they are switched on.
    expect(formValuesFrom(form).days).toEqual(defaultFormValues().days);
  });
});
