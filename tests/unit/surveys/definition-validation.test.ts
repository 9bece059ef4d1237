import { describe, expect, it } from 'vitest';
import { surveyDefinitionSchema, validateSurveyDefinition } from '@rs/survey-definition';
import { baseInput, issuesOf, parse, t, variant } from './fixtures.ts';

/** Exactly one issue, at this path, whose message contains `text`. */
function expectOnly(input: unknown, path: string, text: string | RegExp) {
  const issues = issuesOf(input);
  expect(issues).toHaveLength(1);
  expect(issues[0].path).toBe(path);
  if (typeof text === 'string') expect(issues[0].message).toContain(text);
  else expect(issues[0].message).toMatch(text);
}

describe('a valid definition', () => {
  it('passes and gets its defaults', () => {
    const r = validateSurveyDefinition(baseInput());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.definition;
    expect(d.schemaVersion).toBe(1);
    expect(d.settings).toEqual({ minN: 5 });
    expect(d.pages[0].questions[1].required).toBe(false); // q_csat has no "required"
    expect(d.pages[0].questions[0].required).toBe(true);
    const matrix = d.pages[1].questions[1];
    expect(matrix.type === 'matrix' && matrix.display).toBe('numbers');
    const long = d.pages[1].questions[3];
    expect(long.type === 'text' && long.variant).toBe('long');
  });

  it('keeps settings.minN when given', () => {
    expect(parse(variant((d) => (d.settings = { minN: 30 }))).settings.minN).toBe(30);
  });

  it('surveyDefinitionSchema applies the cross-reference rules too', () => {
    const bad = variant((d) => (d.pages[1].questions[0].id = 'q_nps'));
    const r = surveyDefinitionSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['pages.1.questions.0.id']);
  });

  it('accepts an id of 64 characters and rejects 65', () => {
    const id64 = 'q' + 'x'.repeat(63);
    expect(issuesOf(variant((d) => (d.pages[1].questions[3].id = id64)))).toEqual([]);
    expectOnly(
      variant((d) => (d.pages[1].questions[3].id = id64 + 'x')),
      'pages.1.questions.3.id',
      'Must match',
    );
  });

  it('rejects ids that are not lower-case identifiers', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[3].choices[1].id = 'B')),
      'pages.0.questions.3.choices.1.id',
      'Must match',
    );
    expectOnly(
      variant((d) => (d.pages[0].id = '1st')),
      'pages.0.id',
      'Must match',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[1].items[2].id = 'pick-up')),
      'pages.1.questions.1.items.2.id',
      'Must match',
    );
  });
});

describe('duplicate ids', () => {
  it('question ids across pages', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[0].id = 'q_nps')),
      'pages.1.questions.0.id',
      'Duplicate question id "q_nps"',
    );
  });
  it('page ids', () => {
    expectOnly(
      variant((d) => (d.pages[1].id = 'p1')),
      'pages.1.id',
      'Duplicate page id "p1"',
    );
  });
  it('a question id equal to a page id', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].id = 'p1')),
      'pages.1.questions.3.id',
      'already the id of a page',
    );
  });
  it('choices within a question (also other / noProblem), but not across questions', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[3].choices[1].id = 'a')),
      'pages.0.questions.3.choices.1.id',
      'Duplicate choice id "a"',
    );
    expectOnly(
      variant((d) => (d.pages[0].questions[4].other.id = 'c')),
      'pages.0.questions.4.other.id',
      'Duplicate choice id "c"',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[0].noProblem.id = 'wait')),
      'pages.1.questions.0.noProblem.id',
      'Duplicate choice id "wait"',
    );
    // q_single and q_multi both have choices "a" and "b": fine
    expect(issuesOf(baseInput())).toEqual([]);
  });
  it('matrix items', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[1].items[2].id = 'speed')),
      'pages.1.questions.1.items.2.id',
      'Duplicate item id "speed"',
    );
  });
  it('dimensions', () => {
    expectOnly(
      variant((d) => (d.dimensions[1].id = 'pickup')),
      'dimensions.1.id',
      'Duplicate dimension id "pickup"',
    );
  });
});

describe('logic references', () => {
  it('unknown question id, also inside nested groups', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nope', op: 'answered' })),
      'pages.1.questions.3.visibleIf.question',
      'Unknown question id "q_nope"',
    );
    expectOnly(
      variant(
        (d) =>
          (d.pages[1].questions[3].visibleIf = {
            all: [
              { question: 'q_nps', op: 'gte', value: 9 },
              {
                any: [
                  { question: 'q_csat', op: 'answered' },
                  { question: 'q_gone', op: 'answered' },
                ],
              },
            ],
          }),
      ),
      'pages.1.questions.3.visibleIf.all.1.any.1.question',
      'Unknown question id "q_gone"',
    );
  });

  it('forward reference within a page', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[1].visibleIf = { question: 'q_rating', op: 'answered' })),
      'pages.0.questions.1.visibleIf.question',
      'forward reference',
    );
  });

  it('forward reference to a later page', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[4].visibleIf = { question: 'q_short', op: 'answered' })),
      'pages.0.questions.4.visibleIf.question',
      'forward reference',
    );
  });

  it('a page condition may not refer to a question on the same page, but may to an earlier page', () => {
    expectOnly(
      variant((d) => (d.pages[1].visibleIf = { question: 'q_problems', op: 'answered' })),
      'pages.1.visibleIf.question',
      'forward reference',
    );
    expect(issuesOf(variant((d) => (d.pages[1].visibleIf = { question: 'q_multi', op: 'answered' })))).toEqual([]);
  });

  it('a question referring to itself is a cycle', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[2].visibleIf = { question: 'q_rating', op: 'gt', value: 3 })),
      'pages.0.questions.2.visibleIf.question',
      'refers to itself (cycle)',
    );
  });

  it('a two-question cycle is reported at its forward edge only', () => {
    expectOnly(
      variant((d) => {
        d.pages[0].questions[0].visibleIf = { question: 'q_csat', op: 'answered' };
        d.pages[0].questions[1].visibleIf = { question: 'q_nps', op: 'answered' };
      }),
      'pages.0.questions.0.visibleIf.question',
      'forward reference or cycle',
    );
  });

  it('unknown choice ids in values', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_single', op: 'eq', value: 'z' })),
      'pages.1.questions.3.visibleIf.value',
      'Unknown choice id "z"',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_multi', op: 'in', value: ['a', 'zz', 'other'] })),
      'pages.1.questions.3.visibleIf.value.1',
      'Unknown choice id "zz"',
    );
    // the noProblem id is a valid choice in logic
    expect(issuesOf(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_problems', op: 'neq', value: 'none' })))).toEqual([]);
  });

  it('numeric values must be integers on the scale', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'lte', value: 11 })),
      'pages.1.questions.3.visibleIf.value',
      'from 0 to 10',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_rating', op: 'in', value: [1, 8] })),
      'pages.1.questions.3.visibleIf.value.1',
      'from 1 to 7',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_csat', op: 'eq', value: 'a' })),
      'pages.1.questions.3.visibleIf.value',
      'from 1 to 5',
    );
    expect(issuesOf(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'lte', value: 0 })))).toEqual([]);
  });

  it('operators must fit the question type', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_single', op: 'gt', value: 'a' })),
      'pages.1.questions.3.visibleIf.op',
      'does not apply to the choice question',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_short', op: 'eq', value: 'x' })),
      'pages.1.questions.3.visibleIf.op',
      'use answered, not_answered',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_matrix', op: 'lte', value: 2 })),
      'pages.1.questions.3.visibleIf.op',
      'needs an "item"',
    );
  });

  it('matrix items in logic', () => {
    expect(issuesOf(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_matrix', item: 'staff', op: 'lte', value: 2 })))).toEqual([]);
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_matrix', item: 'nope', op: 'lte', value: 2 })),
      'pages.1.questions.3.visibleIf.item',
      'Unknown item id "nope"',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', item: 'speed', op: 'lte', value: 2 })),
      'pages.1.questions.3.visibleIf.item',
      'only applies to matrix questions',
    );
  });

  it('shape errors in conditions: missing value, empty group, unknown operator', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'eq' })),
      'pages.1.questions.3.visibleIf.value',
      'Expected a value',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[3].visibleIf = { any: [] })),
      'pages.1.questions.3.visibleIf.any',
      '',
    );
    expect(issuesOf(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'between', value: 1 })))[0].path).toBe(
      'pages.1.questions.3.visibleIf.op',
    );
  });
});

describe('dimensions', () => {
  it('unknown question, unknown item, missing item, wrong type, item on a non-matrix', () => {
    expectOnly(
      variant((d) => (d.dimensions[0].items[0].questionId = 'q_x')),
      'dimensions.0.items.0.questionId',
      'Unknown question id "q_x"',
    );
    expectOnly(
      variant((d) => (d.dimensions[0].items[1].itemId = 'nope')),
      'dimensions.0.items.1.itemId',
      'Unknown item id "nope"',
    );
    expectOnly(
      variant((d) => delete d.dimensions[0].items[0].itemId),
      'dimensions.0.items.0.itemId',
      'choose the item',
    );
    expectOnly(
      variant((d) => (d.dimensions[1].items[0] = { questionId: 'q_nps' })),
      'dimensions.1.items.0.questionId',
      'is nps',
    );
    expectOnly(
      variant((d) => (d.dimensions[1].items[0].itemId = 'speed')),
      'dimensions.1.items.0.itemId',
      'not a matrix question',
    );
  });

  it('an item may belong to one dimension only', () => {
    expectOnly(
      variant((d) => d.dimensions[1].items.push({ questionId: 'q_matrix', itemId: 'speed' })),
      'dimensions.1.items.2',
      'already assigned (dimensions.0.items.0)',
    );
  });

  it('negative weights', () => {
    expectOnly(
      variant((d) => (d.dimensions[0].weight = -1)),
      'dimensions.0.weight',
      'must not be negative',
    );
    expectOnly(
      variant((d) => (d.dimensions[0].items[1].weight = -0.5)),
      'dimensions.0.items.1.weight',
      'must not be negative',
    );
  });

  it('all-zero weights (one zero is fine)', () => {
    expect(issuesOf(variant((d) => (d.dimensions[0].weight = 0)))).toEqual([]);
    expectOnly(
      variant((d) => {
        d.dimensions[0].weight = 0;
        d.dimensions[1].weight = 0;
      }),
      'dimensions',
      'All dimension weights are 0',
    );
    expectOnly(
      variant((d) => {
        d.dimensions[0].items[0].weight = 0;
        d.dimensions[0].items[1].weight = 0;
      }),
      'dimensions.0.items',
      'All item weights',
    );
  });

  it('a dimension needs at least one item', () => {
    expectOnly(
      variant((d) => (d.dimensions[1].items = [])),
      'dimensions.1.items',
      '',
    );
  });
});

describe('outcomes', () => {
  it('unknown and wrongly typed outcome questions', () => {
    expectOnly(
      variant((d) => (d.outcomes.recommend = 'q_x')),
      'outcomes.recommend',
      'Unknown question id "q_x"',
    );
    expectOnly(
      variant((d) => (d.outcomes.recommend = 'q_csat')),
      'outcomes.recommend',
      'must be an nps question',
    );
    expectOnly(
      variant((d) => (d.outcomes.overall = 'q_nps')),
      'outcomes.overall',
      'csat or rating',
    );
    expect(issuesOf(variant((d) => (d.outcomes.overall = 'q_rating')))).toEqual([]);
    expect(issuesOf(variant((d) => (d.outcomes = {})))).toEqual([]);
  });
});

describe('texts and locales', () => {
  it('a text missing in the default locale', () => {
    expectOnly(
      variant((d) => delete d.pages[0].questions[3].choices[1].text.en),
      'pages.0.questions.3.choices.1.text',
      'default locale (en)',
    );
    expectOnly(
      variant((d) => (d.dimensions[0].name = { 'zh-CN': '取车' })),
      'dimensions.0.name',
      'default locale (en)',
    );
    expectOnly(
      variant((d) => (d.title.en = '   ')),
      'title',
      'default locale (en)',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[1].items[1].text = { 'zh-CN': '员工' })),
      'pages.1.questions.1.items.1.text',
      'default locale',
    );
  });

  it('another locale missing is fine; the default locale decides', () => {
    expect(issuesOf(variant((d) => delete d.pages[0].questions[0].text['zh-CN']))).toEqual([]);
    expect(issuesOf(variant((d) => (d.defaultLocale = 'zh-CN')))).toEqual([]);
    expectOnly(
      variant((d) => {
        d.defaultLocale = 'zh-CN';
        d.pages[0].questions[0].text = { en: 'Recommend?' };
      }),
      'pages.0.questions.0.text',
      'default locale (zh-CN)',
    );
  });

  it('the default locale must be listed; locales unique; only supported locales', () => {
    expectOnly(
      variant((d) => (d.locales = ['zh-CN'])),
      'defaultLocale',
      'The default locale en must be one of',
    );
    expectOnly(
      variant((d) => (d.locales = ['en', 'zh-CN', 'en'])),
      'locales.2',
      'listed twice',
    );
    expectOnly(
      variant((d) => (d.title.fr = 'Enquête')),
      'title',
      'fr',
    );
  });

  it('unknown placeholders, with the locale in the path', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[0].text = t('Hi {customer.email}', '您好 {customer.name}'))),
      'pages.0.questions.0.text.en',
      'Unknown placeholder {customer.email}',
    );
    expect(issuesOf(variant((d) => (d.intro = t('Hi {customer.name} at {branch.name}, {rental.returnedAt}'))))).toEqual([]);
  });
});

describe('question shapes', () => {
  it('rating scales out of range', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[2].max = 11)),
      'pages.0.questions.2.max',
      '<=10',
    );
    expectOnly(
      variant((d) => (d.pages[0].questions[2].max = 1)),
      'pages.0.questions.2.max',
      '>=2',
    );
    expectOnly(
      variant((d) => (d.pages[0].questions[2].max = 4.5)),
      'pages.0.questions.2.max',
      'int',
    );
    expectOnly(
      variant((d) => (d.pages[1].questions[1].max = 12)),
      'pages.1.questions.1.max',
      '<=10',
    );
    expect(issuesOf(variant((d) => (d.pages[0].questions[2].max = 10)))).toEqual([]);
  });

  it('unknown question type', () => {
    expectOnly(
      variant((d) => (d.pages[0].questions[1].type = 'slider')),
      'pages.0.questions.1.type',
      'discriminator',
    );
  });

  it('unknown keys are rejected (typos must not silently drop logic)', () => {
    const issues = issuesOf(variant((d) => (d.pages[0].questions[1].visibileIf = { question: 'q_nps', op: 'answered' })));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('pages.0.questions.1');
    expect(issues[0].message).toContain('visibileIf');
  });

  it('text maxLength is capped at 5000; maxChoices at the number of options', () => {
    expectOnly(
      variant((d) => (d.pages[1].questions[3].maxLength = 5001)),
      'pages.1.questions.3.maxLength',
      '<=5000',
    );
    expectOnly(
      variant((d) => (d.pages[0].questions[4].maxChoices = 5)),
      'pages.0.questions.4.maxChoices',
      'more than the 4 choices',
    );
    expect(issuesOf(variant((d) => (d.pages[0].questions[4].maxChoices = 4)))).toEqual([]);
  });

  it('a page needs questions; a survey needs pages', () => {
    // shape and cross-reference faults are reported together: emptying page 2 also orphans q_matrix
    expect(issuesOf(variant((d) => (d.pages[1].questions = []))).map((i) => i.path)).toEqual([
      'pages.1.questions',
      'dimensions.0.items.0.questionId',
      'dimensions.0.items.1.questionId',
    ]);
    expect(issuesOf(variant((d) => (d.pages = [])))[0]).toEqual({ path: 'pages', code: 'too_few_items', params: { minimum: 1 }, message: expect.any(String) });
  });

  it('not an object at all', () => {
    expect(validateSurveyDefinition(null)).toEqual({ ok: false, issues: [{ path: '', code: 'expected_object', params: {}, message: expect.any(String) }] });
  });
});
