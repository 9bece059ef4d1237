import { describe, expect, it } from 'vitest';
import { fromAnswerRows, toAnswerRows, validateAnswers, type AnswerFault, type AnswerRow } from '@rs/survey-definition';
import { base, parse, variant } from './fixtures.ts';

const def = base();
const partial = { final: false };

/** [questionId, code, itemId?] of each fault. */
const codes = (faults: AnswerFault[]) => faults.map((f) => (f.itemId ? [f.questionId, f.code, f.itemId] : [f.questionId, f.code]));
const check = (answers: unknown, final = false) => codes(validateAnswers(def, answers, { final }));

describe('nps / csat / rating', () => {
  it('accepts integers on the scale, including both ends', () => {
    expect(check({ q_nps: 0, q_csat: 1, q_rating: 7 })).toEqual([]);
    expect(check({ q_nps: 10, q_csat: 5, q_rating: 1 })).toEqual([]);
  });
  it('out of range', () => {
    expect(check({ q_nps: 11 })).toEqual([['q_nps', 'out_of_range']]);
    expect(check({ q_nps: -1 })).toEqual([['q_nps', 'out_of_range']]);
    expect(check({ q_csat: 0 })).toEqual([['q_csat', 'out_of_range']]);
    expect(check({ q_csat: 6 })).toEqual([['q_csat', 'out_of_range']]);
    expect(check({ q_rating: 8 })).toEqual([['q_rating', 'out_of_range']]); // scale 1–7
  });
  it('wrong types: strings, fractions, objects', () => {
    expect(check({ q_nps: '7' })).toEqual([['q_nps', 'wrong_type']]);
    expect(check({ q_csat: 4.5 })).toEqual([['q_csat', 'wrong_type']]);
    expect(check({ q_rating: { value: 3 } })).toEqual([['q_rating', 'wrong_type']]);
  });
});

describe('single', () => {
  it('a choice, or other with its text', () => {
    expect(check({ q_single: { choice: 'b' } })).toEqual([]);
    expect(check({ q_single: { choice: 'other', other: 'by bike' } })).toEqual([]);
  });
  it('unknown choice, wrong shape, other text without the other choice', () => {
    expect(check({ q_single: { choice: 'z' } })).toEqual([['q_single', 'unknown_choice']]);
    expect(check({ q_single: 'a' })).toEqual([['q_single', 'wrong_type']]);
    expect(check({ q_single: { choices: ['a'] } })).toEqual([['q_single', 'wrong_type']]);
    expect(check({ q_single: { choice: 'a', other: 'x' } })).toEqual([['q_single', 'other_not_allowed']]);
    expect(check({ q_single: { choice: 'other', other: 'x'.repeat(501) } })).toEqual([['q_single', 'too_long']]);
    expect(check({ q_single: { choice: 'other', other: 'x'.repeat(500) } })).toEqual([]);
  });
});

describe('multi', () => {
  it('choices and other', () => {
    expect(check({ q_multi: { choices: ['a', 'other'], other: 'rain' } })).toEqual([]);
  });
  it('unknown, duplicate, too many, other without other', () => {
    expect(check({ q_multi: { choices: ['a', 'x'] } })).toEqual([['q_multi', 'unknown_choice']]);
    expect(check({ q_multi: { choices: ['a', 'a'] } })).toEqual([['q_multi', 'duplicate_choice']]);
    expect(check({ q_multi: { choices: ['a', 'b', 'c'] } })).toEqual([['q_multi', 'too_many_choices']]); // maxChoices 2
    expect(check({ q_multi: { choices: ['a'], other: 'x' } })).toEqual([['q_multi', 'other_not_allowed']]);
    expect(check({ q_multi: { choices: 'a' } })).toEqual([['q_multi', 'wrong_type']]);
    expect(check({ q_multi: { choices: [1] } })).toEqual([['q_multi', 'wrong_type']]);
    expect(check({ q_multi: { choice: 'a' } })).toEqual([['q_multi', 'wrong_type']]);
  });
  it('no choice at all is "not answered", not a fault', () => {
    expect(check({ q_multi: { choices: [] } })).toEqual([]);
  });
});

describe('problems', () => {
  it('problems, other problem, or no problem alone', () => {
    expect(check({ q_problems: { choices: ['wait', 'dirty'] } })).toEqual([]);
    expect(check({ q_problems: { choices: ['other_problem'], other: 'flat tyre' } })).toEqual([]);
    expect(check({ q_problems: { choices: ['none'] } })).toEqual([]);
  });
  it('"no problem" is exclusive', () => {
    expect(check({ q_problems: { choices: ['none', 'wait'] } })).toEqual([['q_problems', 'no_problem_exclusive']]);
    expect(check({ q_problems: { choices: ['other_problem', 'none'], other: 'x' } })).toEqual([['q_problems', 'no_problem_exclusive']]);
  });
  it('unknown problem ids', () => {
    expect(check({ q_problems: { choices: ['smoke'] } })).toEqual([['q_problems', 'unknown_choice']]);
  });
});

describe('text', () => {
  it('respects the question maxLength (10 here)', () => {
    expect(check({ q_short: 'x'.repeat(10) })).toEqual([]);
    expect(check({ q_short: 'x'.repeat(11) })).toEqual([['q_short', 'too_long']]);
    expect(check({ q_short: '车'.repeat(10) })).toEqual([]);
  });
  it('hard cap 5000 without maxLength', () => {
    expect(check({ q_long: 'x'.repeat(5000) })).toEqual([]);
    expect(check({ q_long: 'x'.repeat(5001) })).toEqual([['q_long', 'too_long']]);
  });
  it('wrong type', () => {
    expect(check({ q_long: 42 })).toEqual([['q_long', 'wrong_type']]);
  });
});

describe('matrix', () => {
  it('integers per item; items may be left out in a partial save', () => {
    expect(check({ q_matrix: { speed: 1, staff: 5 } })).toEqual([]);
  });
  it('unknown item, out of range and wrong type name the item', () => {
    expect(check({ q_matrix: { speed: 6, smell: 3, staff: '4' } })).toEqual([
      ['q_matrix', 'out_of_range', 'speed'],
      ['q_matrix', 'unknown_item', 'smell'],
      ['q_matrix', 'wrong_type', 'staff'],
    ]);
    expect(check({ q_matrix: [1, 2, 3] })).toEqual([['q_matrix', 'wrong_type']]);
  });
});

describe('questions, visibility and final submit', () => {
  it('unknown question ids', () => {
    expect(check({ q_nope: 3 })).toEqual([['q_nope', 'unknown_question']]);
  });

  it('answers must be an object', () => {
    expect(check([1, 2])).toEqual([['', 'invalid_answers']]);
    expect(check(null)).toEqual([['', 'invalid_answers']]);
  });

  it('answers to questions the logic hides', () => {
    const d = parse(variant((x) => (x.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'lte', value: 6 })));
    expect(codes(validateAnswers(d, { q_nps: 9, q_long: 'why' }, partial))).toEqual([['q_long', 'hidden']]);
    expect(codes(validateAnswers(d, { q_nps: 6, q_long: 'why' }, partial))).toEqual([]);
    // a cleared (null) hidden answer is no fault
    expect(codes(validateAnswers(d, { q_nps: 9, q_long: null }, partial))).toEqual([]);
  });

  it('final submit reports required visible questions, and each unrated item of a required matrix', () => {
    expect(check({}, false)).toEqual([]);
    expect(check({ q_matrix: { staff: 3 } }, true)).toEqual([
      ['q_nps', 'required'],
      ['q_matrix', 'required', 'speed'],
      ['q_matrix', 'required', 'clean'],
    ]);
    expect(check({ q_nps: 0, q_matrix: { speed: 1, staff: 1, clean: 1 } }, true)).toEqual([]);
  });

  it('a required question hidden by logic is not required', () => {
    const d = parse(variant((x) => (x.pages[1].visibleIf = { question: 'q_nps', op: 'lte', value: 6 })));
    expect(codes(validateAnswers(d, { q_nps: 9 }, { final: true }))).toEqual([]);
    expect(codes(validateAnswers(d, { q_nps: 5 }, { final: true }))).toEqual([
      ['q_matrix', 'required', 'speed'],
      ['q_matrix', 'required', 'staff'],
      ['q_matrix', 'required', 'clean'],
    ]);
  });

  it('blank text does not satisfy required', () => {
    const d = parse(variant((x) => (x.pages[1].questions[3].required = true)));
    const faults = validateAnswers(d, { q_nps: 5, q_matrix: { speed: 1, staff: 1, clean: 1 }, q_long: '  ' }, { final: true });
    expect(codes(faults)).toEqual([['q_long', 'required']]);
  });

  it('messages come in English and Chinese', () => {
    const [f] = validateAnswers(def, { q_nps: 11 }, partial);
    expect(f.message.en).toBe('The answer must be from 0 to 10.');
    expect(f.message['zh-CN']).toBe('答案必须在 0 到 10 之间。');
  });
});

describe('storage rows', () => {
  const answers = {
    q_nps: 0,
    q_csat: 4,
    q_rating: 7,
    q_single: { choice: 'other', other: '  by bike ' },
    q_multi: { choices: ['b', 'a'] },
    q_problems: { choices: ['none'] },
    q_matrix: { clean: 2, speed: 5 },
    q_short: ' ok ',
    q_long: '   ',
  };

  it('one row per answer, matrix one per item, in definition order, keyed by ids', () => {
    const row = (questionId: string, p: Partial<AnswerRow>): AnswerRow => ({
      questionId,
      itemId: null,
      valueNumber: null,
      choiceIds: null,
      valueText: null,
      ...p,
    });
    expect(toAnswerRows(def, answers)).toEqual([
      row('q_nps', { valueNumber: 0 }),
      row('q_csat', { valueNumber: 4 }),
      row('q_rating', { valueNumber: 7 }),
      row('q_single', { choiceIds: ['other'], valueText: 'by bike' }),
      row('q_multi', { choiceIds: ['b', 'a'] }),
      row('q_problems', { choiceIds: ['none'] }), // "no problem" is stored as checked
      row('q_matrix', { itemId: 'speed', valueNumber: 5 }), // item order of the definition
      row('q_matrix', { itemId: 'clean', valueNumber: 2 }),
      row('q_short', { valueText: 'ok' }),
      // q_long is blank: no row
    ]);
  });

  it('round-trips through fromAnswerRows (to resume)', () => {
    const back = fromAnswerRows(def, toAnswerRows(def, answers));
    expect(back).toEqual({
      q_nps: 0,
      q_csat: 4,
      q_rating: 7,
      q_single: { choice: 'other', other: 'by bike' },
      q_multi: { choices: ['b', 'a'] },
      q_problems: { choices: ['none'] },
      q_matrix: { speed: 5, clean: 2 },
      q_short: 'ok',
    });
    expect(validateAnswers(def, back, partial)).toEqual([]);
  });

  it('fromAnswerRows drops rows of questions the definition no longer has', () => {
    const rows: AnswerRow[] = [
      { questionId: 'q_old', itemId: null, valueNumber: 3, choiceIds: null, valueText: null },
      { questionId: 'q_single', itemId: null, valueNumber: null, choiceIds: ['a'], valueText: null },
    ];
    expect(fromAnswerRows(def, rows)).toEqual({ q_single: { choice: 'a' } });
  });
});
