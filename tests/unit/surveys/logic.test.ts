import { describe, expect, it } from 'vitest';
import { evaluateCondition, isVisible, pruneHiddenAnswers, visiblePages, visibleQuestionIds, type Condition } from '@rs/survey-definition';
import { base, parse, t, variant } from './fixtures.ts';

/** Visibility of q_long (last question) under `condition`, given `answers`. */
function shows(condition: Condition, answers: Record<string, unknown>): boolean {
  const def = parse(variant((d) => (d.pages[1].questions[3].visibleIf = condition)));
  return isVisible(def, answers, 'q_long');
}

describe('number operators (nps)', () => {
  const cases: [Condition, number, boolean][] = [
    [{ question: 'q_nps', op: 'eq', value: 6 }, 6, true],
    [{ question: 'q_nps', op: 'eq', value: 6 }, 7, false],
    [{ question: 'q_nps', op: 'neq', value: 6 }, 6, false],
    [{ question: 'q_nps', op: 'neq', value: 6 }, 0, true],
    [{ question: 'q_nps', op: 'lt', value: 6 }, 6, false],
    [{ question: 'q_nps', op: 'lt', value: 6 }, 5, true],
    [{ question: 'q_nps', op: 'lte', value: 6 }, 6, true],
    [{ question: 'q_nps', op: 'lte', value: 6 }, 7, false],
    [{ question: 'q_nps', op: 'gt', value: 8 }, 8, false],
    [{ question: 'q_nps', op: 'gt', value: 8 }, 9, true],
    [{ question: 'q_nps', op: 'gte', value: 9 }, 9, true],
    [{ question: 'q_nps', op: 'gte', value: 9 }, 8, false],
    [{ question: 'q_nps', op: 'in', value: [0, 10] }, 0, true],
    [{ question: 'q_nps', op: 'in', value: [0, 10] }, 5, false],
    [{ question: 'q_nps', op: 'not_in', value: [0, 10] }, 5, true],
    [{ question: 'q_nps', op: 'not_in', value: [0, 10] }, 10, false],
  ];
  it.each(cases)('%o with answer %i → %s', (condition, answer, expected) => {
    expect(shows(condition, { q_nps: answer })).toBe(expected);
  });

  it('0 is an answer (not falsy-missing)', () => {
    expect(shows({ question: 'q_nps', op: 'answered' }, { q_nps: 0 })).toBe(true);
    expect(shows({ question: 'q_nps', op: 'lte', value: 6 }, { q_nps: 0 })).toBe(true);
  });

  it('every operator except not_answered is false when unanswered (neq and not_in too)', () => {
    for (const c of [
      { question: 'q_nps', op: 'neq', value: 6 },
      { question: 'q_nps', op: 'not_in', value: [1] },
      { question: 'q_nps', op: 'lt', value: 10 },
      { question: 'q_nps', op: 'answered' },
    ] as Condition[]) {
      expect(shows(c, {})).toBe(false);
      expect(shows(c, { q_nps: null })).toBe(false);
    }
    expect(shows({ question: 'q_nps', op: 'not_answered' }, {})).toBe(true);
    expect(shows({ question: 'q_nps', op: 'not_answered' }, { q_nps: 3 })).toBe(false);
  });

  it('a wrongly typed answer never satisfies a comparison', () => {
    expect(shows({ question: 'q_nps', op: 'lte', value: 6 }, { q_nps: '3' })).toBe(false);
  });
});

describe('choice operators', () => {
  it('single: eq / neq / in / not_in on the chosen id', () => {
    const a = { q_single: { choice: 'a' } };
    expect(shows({ question: 'q_single', op: 'eq', value: 'a' }, a)).toBe(true);
    expect(shows({ question: 'q_single', op: 'eq', value: 'b' }, a)).toBe(false);
    expect(shows({ question: 'q_single', op: 'neq', value: 'a' }, a)).toBe(false);
    expect(shows({ question: 'q_single', op: 'neq', value: 'b' }, a)).toBe(true);
    expect(shows({ question: 'q_single', op: 'in', value: ['b', 'other'] }, a)).toBe(false);
    expect(shows({ question: 'q_single', op: 'in', value: ['b', 'other'] }, { q_single: { choice: 'other', other: 'x' } })).toBe(true);
    expect(shows({ question: 'q_single', op: 'not_in', value: ['b', 'other'] }, a)).toBe(true);
  });

  it('multi: eq = contains, in = contains any, not_in = contains none', () => {
    const ab = { q_multi: { choices: ['a', 'b'] } };
    expect(shows({ question: 'q_multi', op: 'eq', value: 'b' }, ab)).toBe(true);
    expect(shows({ question: 'q_multi', op: 'eq', value: 'c' }, ab)).toBe(false);
    expect(shows({ question: 'q_multi', op: 'neq', value: 'b' }, ab)).toBe(false);
    expect(shows({ question: 'q_multi', op: 'in', value: ['c', 'b'] }, ab)).toBe(true);
    expect(shows({ question: 'q_multi', op: 'not_in', value: ['c', 'b'] }, ab)).toBe(false);
    expect(shows({ question: 'q_multi', op: 'not_in', value: ['c', 'other'] }, ab)).toBe(true);
  });

  it('multi with no choice is not answered', () => {
    expect(shows({ question: 'q_multi', op: 'answered' }, { q_multi: { choices: [] } })).toBe(false);
    expect(shows({ question: 'q_multi', op: 'not_answered' }, { q_multi: { choices: [] } })).toBe(true);
  });
});

describe('text, matrix items, answered', () => {
  it('text: blank is not answered', () => {
    expect(shows({ question: 'q_short', op: 'answered' }, { q_short: '   ' })).toBe(false);
    expect(shows({ question: 'q_short', op: 'answered' }, { q_short: 'ok' })).toBe(true);
  });

  it('matrix: an item compares its own number', () => {
    const answers = { q_matrix: { speed: 2, staff: 5 } };
    expect(shows({ question: 'q_matrix', item: 'speed', op: 'lte', value: 2 }, answers)).toBe(true);
    expect(shows({ question: 'q_matrix', item: 'staff', op: 'lte', value: 2 }, answers)).toBe(false);
    expect(shows({ question: 'q_matrix', item: 'clean', op: 'answered' }, answers)).toBe(false);
    expect(shows({ question: 'q_matrix', item: 'clean', op: 'not_answered' }, answers)).toBe(true);
    expect(shows({ question: 'q_matrix', op: 'answered' }, answers)).toBe(true);
    expect(shows({ question: 'q_matrix', op: 'answered' }, { q_matrix: {} })).toBe(false);
  });
});

describe('all / any groups', () => {
  const detractorWithProblem: Condition = {
    all: [
      { question: 'q_nps', op: 'lte', value: 6 },
      {
        any: [
          { question: 'q_csat', op: 'lte', value: 2 },
          { question: 'q_single', op: 'eq', value: 'other' },
        ],
      },
    ],
  };
  it.each([
    [{ q_nps: 3, q_csat: 2 }, true],
    [{ q_nps: 3, q_csat: 3 }, false],
    [{ q_nps: 3, q_csat: 3, q_single: { choice: 'other' } }, true],
    [{ q_nps: 7, q_csat: 1 }, false],
    [{ q_nps: 6, q_single: { choice: 'other' } }, true],
    [{}, false],
  ])('all[nps ≤ 6, any[csat ≤ 2, single = other]] with %o → %s', (answers, expected) => {
    expect(shows(detractorWithProblem, answers)).toBe(expected);
  });

  it('any of all-groups', () => {
    const c: Condition = {
      any: [
        {
          all: [
            { question: 'q_nps', op: 'gte', value: 9 },
            { question: 'q_csat', op: 'eq', value: 5 },
          ],
        },
        {
          all: [
            { question: 'q_nps', op: 'lte', value: 6 },
            { question: 'q_csat', op: 'lte', value: 2 },
          ],
        },
      ],
    };
    expect(shows(c, { q_nps: 10, q_csat: 5 })).toBe(true);
    expect(shows(c, { q_nps: 10, q_csat: 4 })).toBe(false);
    expect(shows(c, { q_nps: 2, q_csat: 1 })).toBe(true);
    expect(shows(c, { q_nps: 8, q_csat: 1 })).toBe(false);
  });

  it('evaluateCondition works on a condition directly; no condition holds', () => {
    const def = base();
    expect(evaluateCondition(def, { question: 'q_rating', op: 'gt', value: 6 }, { q_rating: 7 })).toBe(true);
    expect(evaluateCondition(def, undefined, {})).toBe(true);
  });
});

describe('visibility of questions and pages', () => {
  it('hiding cascades: an answer to a hidden question does not count', () => {
    const def = parse(
      variant((d) => {
        d.pages[0].questions[1].visibleIf = { question: 'q_nps', op: 'lte', value: 6 }; // q_csat
        d.pages[0].questions[2].visibleIf = { question: 'q_csat', op: 'answered' }; // q_rating
      }),
    );
    expect(visibleQuestionIds(def, { q_nps: 3, q_csat: 4 })).toContain('q_rating');
    // nps 9 hides q_csat; its stale answer must not keep q_rating visible
    const ids = visibleQuestionIds(def, { q_nps: 9, q_csat: 4 });
    expect(ids).not.toContain('q_csat');
    expect(ids).not.toContain('q_rating');
    expect(ids).toEqual(['q_nps', 'q_single', 'q_multi', 'q_problems', 'q_matrix', 'q_short', 'q_long']);
  });

  it('a hidden page hides its questions; isVisible answers for pages too', () => {
    const def = parse(variant((d) => (d.pages[1].visibleIf = { question: 'q_nps', op: 'gte', value: 7 })));
    expect(isVisible(def, { q_nps: 6 }, 'p2')).toBe(false);
    expect(isVisible(def, { q_nps: 6 }, 'q_matrix')).toBe(false);
    expect(isVisible(def, { q_nps: 7 }, 'p2')).toBe(true);
    expect(isVisible(def, { q_nps: 7 }, 'q_matrix')).toBe(true);
    expect(isVisible(def, {}, 'q_unknown')).toBe(false);
    expect(visiblePages(def, { q_nps: 6 }).map((p) => p.id)).toEqual(['p1']);
  });

  it('visiblePages keeps only shown questions and drops pages left empty', () => {
    const def = parse(
      variant((d) => {
        d.pages.push({
          id: 'p3',
          title: t('Follow-up'),
          questions: [{ id: 'q_why', type: 'text', text: t('Why?'), visibleIf: { question: 'q_nps', op: 'lte', value: 6 } }],
        });
        d.pages[0].questions[2].visibleIf = { question: 'q_nps', op: 'gte', value: 9 };
      }),
    );
    const pages = visiblePages(def, { q_nps: 8 });
    expect(pages.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(pages[0].questions.map((q) => q.id)).toEqual(['q_nps', 'q_csat', 'q_single', 'q_multi']);
    expect(visiblePages(def, { q_nps: 2 }).map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    // the definition itself is untouched
    expect(def.pages[0].questions).toHaveLength(5);
  });

  it('pruneHiddenAnswers drops answers to hidden and unknown questions', () => {
    const def = parse(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'lte', value: 6 })));
    expect(pruneHiddenAnswers(def, { q_nps: 9, q_long: 'stale', q_x: 1, q_csat: 5 })).toEqual({ q_nps: 9, q_csat: 5 });
  });
});
