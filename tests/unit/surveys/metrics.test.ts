import { describe, expect, it } from 'vitest';
import { countProblems, dimensionItems, metricQuestions, noProblemChoiceId, type ProblemsQuestion } from '@rs/survey-definition';
import { base, parse, t, variant } from './fixtures.ts';

describe('dimensionItems', () => {
  it('lists every assignment with its scale and item weight (default 1)', () => {
    expect(dimensionItems(base())).toEqual([
      { dimensionId: 'pickup', questionId: 'q_matrix', itemId: 'speed', min: 1, max: 5, itemWeight: 1 },
      { dimensionId: 'pickup', questionId: 'q_matrix', itemId: 'staff', min: 1, max: 5, itemWeight: 3 },
      { dimensionId: 'overall', questionId: 'q_rating', itemId: null, min: 1, max: 7, itemWeight: 1 },
      { dimensionId: 'overall', questionId: 'q_csat', itemId: null, min: 1, max: 5, itemWeight: 1 },
    ]);
  });
});

describe('metricQuestions', () => {
  it('uses the outcomes and collects every text question as comments', () => {
    expect(metricQuestions(base())).toEqual({ nps: 'q_nps', csat: 'q_csat', problems: 'q_problems', comments: ['q_short', 'q_long'] });
  });

  it('a 5-point rating outcome is the CSAT question; a 7-point one is not', () => {
    const five = parse(variant((d) => ((d.pages[0].questions[2].max = 5), (d.outcomes.overall = 'q_rating'))));
    expect(metricQuestions(five).csat).toBe('q_rating');
    const seven = parse(variant((d) => (d.outcomes.overall = 'q_rating')));
    expect(metricQuestions(seven).csat).toBe('q_csat'); // falls back to the first csat question
  });

  it('without outcomes: the first nps / csat question; null when there is none', () => {
    const d = parse(
      variant((x) => {
        x.outcomes = {};
        x.dimensions = [];
        x.pages = [{ id: 'p1', questions: [{ id: 'q_x', type: 'rating', max: 5, text: t('x') }] }];
      }),
    );
    expect(metricQuestions(d)).toEqual({ nps: null, csat: null, problems: null, comments: [] });
    expect(metricQuestions(parse(variant((x) => (x.outcomes = {})))).nps).toBe('q_nps');
  });
});

describe('problems counting (PP100)', () => {
  const def = base();
  const q = def.pages[1].questions[0] as ProblemsQuestion;
  it('"no problem" counts 0, every other checked id (other included) counts 1', () => {
    expect(noProblemChoiceId(def, 'q_problems')).toBe('none');
    expect(noProblemChoiceId(def, 'q_nps')).toBeNull();
    expect(countProblems(q, { choices: ['none'] })).toBe(0);
    expect(countProblems(q, { choices: ['wait', 'other_problem'] })).toBe(2);
    expect(countProblems(q, ['dirty'])).toBe(1); // stored choiceIds
    expect(countProblems(q, null)).toBe(0);
  });
});
