// Every problem of a survey definition carries a stable code and its parameters (the builder translates
// them; the API returns them): one case per code, each checking the path, the code and the parameters.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CROSS_REFERENCE_PROBLEM_CODES, DEFINITION_PROBLEM_CODES, type DefinitionProblemCode } from '@rs/survey-definition';
import { shapeProblem } from '@rs/survey-definition/problems';
import { issuesOf, variant } from './fixtures.ts';

type Expected = { path: string; params: Record<string, string | number> };
type Case = { input: unknown; expected: Expected } | { zodIssue: () => z.core.$ZodIssue; params: Record<string, string | number> };

const only = (mutate: (d: any) => void, path: string, params: Expected['params'] = {}): Case => ({
  input: variant(mutate),
  expected: { path, params },
});

/** The one issue a small schema gives for a value: for codes the survey schema has no field for (yet). */
const zodIssueOf = (schema: z.ZodType, value: unknown) => () => {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error('expected a failure');
  return r.error.issues[0];
};

// A Record over the code list: a new code without a case here does not compile.
const CASES: Record<DefinitionProblemCode, Case> = {
  duplicate_locale: only((d) => (d.locales = ['en', 'zh-CN', 'en']), 'locales.2', { locale: 'en' }),
  default_locale_not_listed: only((d) => (d.locales = ['zh-CN']), 'defaultLocale', { locale: 'en' }),
  missing_default_text: only((d) => (d.pages[0].questions[1].text = { 'zh-CN': '满意吗' }), 'pages.0.questions.1.text', { locale: 'en' }),
  unknown_placeholder: only((d) => (d.intro = { en: 'Hello {customer.age}' }), 'intro.en', { placeholder: 'customer.age' }),
  duplicate_page_id: only((d) => (d.pages[1].id = 'p1'), 'pages.1.id', { id: 'p1', also: 'pages.0' }),
  duplicate_question_id: only((d) => (d.pages[1].questions[0].id = 'q_nps'), 'pages.1.questions.0.id', { id: 'q_nps', also: 'pages.0.questions.0' }),
  question_id_is_page_id: only((d) => (d.pages[1].questions[3].id = 'p1'), 'pages.1.questions.3.id', { id: 'p1' }),
  duplicate_choice_id: only((d) => (d.pages[0].questions[3].choices[1].id = 'a'), 'pages.0.questions.3.choices.1.id', { id: 'a', also: 'choices.0' }),
  max_choices_exceeds_choices: only((d) => (d.pages[0].questions[4].maxChoices = 9), 'pages.0.questions.4.maxChoices', { maxChoices: 9, choices: 4 }),
  duplicate_item_id: only((d) => (d.pages[1].questions[1].items[2].id = 'speed'), 'pages.1.questions.1.items.2.id', { id: 'speed', also: 'items.0' }),
  logic_unknown_question: only((d) => (d.pages[1].visibleIf = { question: 'q_gone', op: 'answered' }), 'pages.1.visibleIf.question', { question: 'q_gone' }),
  logic_self_reference: only((d) => (d.pages[0].questions[1].visibleIf = { question: 'q_csat', op: 'answered' }), 'pages.0.questions.1.visibleIf.question', {
    question: 'q_csat',
  }),
  logic_forward_reference: only((d) => (d.pages[0].questions[0].visibleIf = { question: 'q_csat', op: 'answered' }), 'pages.0.questions.0.visibleIf.question', {
    question: 'q_csat',
  }),
  logic_item_not_matrix: only((d) => (d.pages[1].visibleIf = { question: 'q_csat', item: 'speed', op: 'eq', value: 3 }), 'pages.1.visibleIf.item', {
    question: 'q_csat',
    type: 'csat',
  }),
  logic_unknown_item: only(
    (d) => (d.pages[1].questions[2].visibleIf = { question: 'q_matrix', item: 'price', op: 'eq', value: 3 }),
    'pages.1.questions.2.visibleIf.item',
    { item: 'price', question: 'q_matrix' },
  ),
  logic_value_out_of_scale: only((d) => (d.pages[1].visibleIf = { question: 'q_rating', op: 'gte', value: 8 }), 'pages.1.visibleIf.value', {
    min: 1,
    max: 7,
    question: 'q_rating',
  }),
  logic_operator_not_for_choice: only((d) => (d.pages[1].visibleIf = { question: 'q_single', op: 'gt', value: 'a' }), 'pages.1.visibleIf.op', {
    op: 'gt',
    question: 'q_single',
  }),
  logic_unknown_choice: only((d) => (d.pages[1].visibleIf = { question: 'q_multi', op: 'in', value: ['a', 'z'] }), 'pages.1.visibleIf.value.1', {
    choice: 'z',
    question: 'q_multi',
  }),
  logic_matrix_needs_item: only(
    (d) => (d.pages[1].questions[2].visibleIf = { question: 'q_matrix', op: 'lte', value: 2 }),
    'pages.1.questions.2.visibleIf.op',
    { op: 'lte', question: 'q_matrix' },
  ),
  logic_operator_not_for_type: only(
    (d) => (d.pages[1].questions[3].visibleIf = { question: 'q_short', op: 'eq', value: 'x' }),
    'pages.1.questions.3.visibleIf.op',
    { op: 'eq', type: 'text', question: 'q_short' },
  ),
  duplicate_dimension_id: only((d) => (d.dimensions[1].id = 'pickup'), 'dimensions.1.id', { id: 'pickup', also: 'dimensions.0' }),
  dimension_weight_negative: only((d) => (d.dimensions[1].weight = -1), 'dimensions.1.weight'),
  item_weight_negative: only((d) => (d.dimensions[0].items[1].weight = -2), 'dimensions.0.items.1.weight'),
  dimension_unknown_question: only((d) => (d.dimensions[1].items[0].questionId = 'q_gone'), 'dimensions.1.items.0.questionId', {
    question: 'q_gone',
    dimension: 'overall',
  }),
  dimension_matrix_needs_item: only((d) => delete d.dimensions[0].items[0].itemId, 'dimensions.0.items.0.itemId', { question: 'q_matrix' }),
  dimension_unknown_item: only((d) => (d.dimensions[0].items[0].itemId = 'price'), 'dimensions.0.items.0.itemId', {
    item: 'price',
    question: 'q_matrix',
    dimension: 'pickup',
  }),
  dimension_not_matrix: only((d) => (d.dimensions[1].items[1].itemId = 'speed'), 'dimensions.1.items.1.itemId', { question: 'q_csat' }),
  dimension_question_type: only((d) => (d.dimensions[1].items[0].questionId = 'q_nps'), 'dimensions.1.items.0.questionId', { question: 'q_nps', type: 'nps' }),
  dimension_item_assigned_twice: only((d) => (d.dimensions[1].items[1] = { questionId: 'q_matrix', itemId: 'speed' }), 'dimensions.1.items.1', {
    item: 'q_matrix.speed',
    also: 'dimensions.0.items.0',
  }),
  dimension_item_weights_zero: only(
    (d) =>
      (d.dimensions[1].items = [
        { questionId: 'q_rating', weight: 0 },
        { questionId: 'q_csat', weight: 0 },
      ]),
    'dimensions.1.items',
    { dimension: 'overall' },
  ),
  dimension_weights_zero: only((d) => d.dimensions.forEach((x: { weight: number }) => (x.weight = 0)), 'dimensions'),
  outcome_unknown_question: only((d) => (d.outcomes.recommend = 'q_gone'), 'outcomes.recommend', { question: 'q_gone' }),
  outcome_recommend_type: only((d) => (d.outcomes.recommend = 'q_csat'), 'outcomes.recommend', { question: 'q_csat', type: 'csat' }),
  outcome_overall_type: only((d) => (d.outcomes.overall = 'q_single'), 'outcomes.overall', { question: 'q_single', type: 'single' }),

  // shape (zod issues, mapped)
  required: only((d) => delete d.pages[0].questions[1].text, 'pages.0.questions.1.text'),
  expected_number: only((d) => (d.pages[1].questions[1].max = '5'), 'pages.1.questions.1.max'),
  expected_integer: only((d) => (d.pages[1].questions[1].max = 4.5), 'pages.1.questions.1.max'),
  expected_text: only((d) => (d.title = { en: 5 }), 'title.en'),
  expected_boolean: only((d) => (d.pages[0].questions[0].required = 'yes'), 'pages.0.questions.0.required'),
  expected_list: only((d) => (d.pages = 3), 'pages'),
  expected_object: only((d) => (d.title = 'Test'), 'title'),
  expected_number_or_text: only((d) => (d.pages[1].visibleIf = { question: 'q_nps', op: 'eq', value: true }), 'pages.1.visibleIf.value'),
  invalid_value: only((d) => (d.pages[0].questions[2].display = 'slider'), 'pages.0.questions.2.display', { values: 'stars, numbers' }),
  unknown_key: only((d) => (d.pages[0].questions[0].colour = 'red'), 'pages.0.questions.0', { keys: 'colour' }),
  invalid_id: only((d) => (d.pages[0].id = 'Page-1'), 'pages.0.id'),
  too_small: only((d) => (d.pages[1].questions[2].maxLength = 0), 'pages.1.questions.2.maxLength', { minimum: 1 }),
  too_big: only((d) => (d.pages[1].questions[1].max = 11), 'pages.1.questions.1.max', { maximum: 10 }),
  too_few_items: only((d) => (d.pages[0].questions[3].choices = []), 'pages.0.questions.3.choices', { minimum: 1 }),
  // no field of today's schema gives these; the mapping must still hold when one does
  too_many_items: { zodIssue: zodIssueOf(z.array(z.string()).max(2), ['a', 'b', 'c']), params: { maximum: 2 } },
  text_too_short: { zodIssue: zodIssueOf(z.string().min(3), 'ab'), params: { minimum: 3 } },
  text_too_long: { zodIssue: zodIssueOf(z.string().max(3), 'abcd'), params: { maximum: 3 } },
  invalid_format: { zodIssue: zodIssueOf(z.email(), 'not an address'), params: { format: 'email' } },
  invalid_type: { zodIssue: zodIssueOf(z.bigint(), 5), params: { expected: 'bigint' } },
  invalid: { zodIssue: zodIssueOf(z.number().multipleOf(5), 7), params: {} },
};

describe('definition problems: code and parameters', () => {
  it('the code list is the cases here, each code once', () => {
    expect(new Set(DEFINITION_PROBLEM_CODES).size).toBe(DEFINITION_PROBLEM_CODES.length);
    expect(Object.keys(CASES).sort()).toEqual([...DEFINITION_PROBLEM_CODES].sort());
  });

  for (const code of DEFINITION_PROBLEM_CODES) {
    const c = CASES[code];
    it(code, () => {
      if ('input' in c) {
        const issues = issuesOf(c.input);
        expect(issues.map(({ path, code, params }) => ({ path, code, params }))).toEqual([{ path: c.expected.path, code, params: c.expected.params }]);
        // an English message for API consumers; a rule's own message names the values
        expect(issues[0].message.length).toBeGreaterThan(3);
        if ((CROSS_REFERENCE_PROBLEM_CODES as readonly string[]).includes(code)) {
          for (const value of Object.values(c.expected.params)) expect(issues[0].message).toContain(String(value));
        }
      } else {
        expect(shapeProblem(c.zodIssue())).toEqual({ code, params: c.params });
      }
    });
  }

  it('a problem that is absent is "required", the same field present with a wrong value is not', () => {
    expect(issuesOf(variant((d) => delete d.title)).map((i) => i.code)).toEqual(['required']);
    expect(issuesOf(variant((d) => (d.title = null))).map((i) => i.code)).toEqual(['expected_object']);
  });

  it('an unknown question type lists the types', () => {
    const [issue] = issuesOf(variant((d) => (d.pages[0].questions[0].type = 'slider')));
    expect(issue.path).toBe('pages.0.questions.0.type');
    expect(issue.code).toBe('invalid_value');
    expect(String(issue.params.values).split(', ')).toEqual(['nps', 'csat', 'rating', 'single', 'multi', 'problems', 'text', 'matrix']);
  });
});
