import { describe, expect, it } from 'vitest';
import { compareVersions } from '@rs/survey-definition';
import { base, parse, t, variant } from './fixtures.ts';

const prev = base();
const next = (mutate: (d: any) => void) => parse(variant(mutate)); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('compareVersions', () => {
  it('identical versions: nothing to report', () => {
    expect(compareVersions(prev, base())).toEqual({ added: [], removed: [], changed: [], breaksComparability: false, warnings: [] });
  });

  it('text edits do not break comparability', () => {
    const r = compareVersions(
      prev,
      next((d) => {
        d.pages[0].questions[0].text = t('How likely are you to recommend us?');
        d.pages[0].questions[3].choices[0].text = t('Option A');
        d.pages[1].questions[1].items[1].text = t('Our staff');
        d.title = t('New title');
      }),
    );
    expect(r.breaksComparability).toBe(false);
    expect(r.added).toEqual([]);
    expect(r.removed).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.changed).toEqual([
      { kind: 'question', id: 'q_nps', path: 'pages.0.questions.0', fields: ['text'], breaksComparability: false },
      { kind: 'choice', id: 'a', questionId: 'q_single', path: 'pages.0.questions.3.choices.0', fields: ['text'], breaksComparability: false },
      { kind: 'item', id: 'staff', questionId: 'q_matrix', path: 'pages.1.questions.1.items.1', fields: ['text'], breaksComparability: false },
    ]);
  });

  it('a removed question breaks comparability (path in the previous version)', () => {
    const r = compareVersions(
      prev,
      next((d) => d.pages[1].questions.splice(2, 1)),
    ); // q_short
    expect(r.removed).toEqual([{ kind: 'question', id: 'q_short', path: 'pages.1.questions.2' }]);
    expect(r.breaksComparability).toBe(true);
    expect(r.warnings).toEqual([{ path: 'pages.1.questions.2', message: expect.stringContaining('"q_short" was removed') }]);
    // q_long moved up one place: reported as a position change, not a break
    expect(r.changed).toEqual([{ kind: 'question', id: 'q_long', path: 'pages.1.questions.2', fields: ['position'], breaksComparability: false }]);
  });

  it('a changed scale breaks comparability', () => {
    const r = compareVersions(
      prev,
      next((d) => (d.pages[0].questions[2].max = 5)),
    );
    expect(r.breaksComparability).toBe(true);
    expect(r.changed).toEqual([{ kind: 'question', id: 'q_rating', path: 'pages.0.questions.2', fields: ['scale'], breaksComparability: true }]);
    expect(r.warnings[0]).toEqual({ path: 'pages.0.questions.2.max', message: expect.stringContaining('1–7 → 1–5') });
  });

  it('a changed type breaks comparability', () => {
    const r = compareVersions(
      prev,
      next((d) => {
        d.pages[0].questions[1] = { id: 'q_csat', type: 'rating', max: 5, text: t('Satisfied?') };
      }),
    );
    expect(r.breaksComparability).toBe(true);
    expect(r.changed).toEqual([{ kind: 'question', id: 'q_csat', path: 'pages.0.questions.1', fields: ['type'], breaksComparability: true }]);
  });

  it('a removed matrix item or choice breaks comparability; the question is marked changed', () => {
    const items = compareVersions(
      prev,
      next((d) => d.pages[1].questions[1].items.splice(2, 1)),
    );
    expect(items.removed).toEqual([{ kind: 'item', id: 'clean', questionId: 'q_matrix', path: 'pages.1.questions.1.items.2' }]);
    expect(items.breaksComparability).toBe(true);
    expect(items.changed).toEqual([{ kind: 'question', id: 'q_matrix', path: 'pages.1.questions.1', fields: ['options'], breaksComparability: true }]);

    const choices = compareVersions(
      prev,
      next((d) => delete d.pages[1].questions[0].noProblem),
    );
    expect(choices.removed).toEqual([{ kind: 'choice', id: 'none', questionId: 'q_problems', path: 'pages.1.questions.0.noProblem' }]);
    expect(choices.breaksComparability).toBe(true);
  });

  it('added questions, items and choices do not break; an added choice warns', () => {
    const r = compareVersions(
      prev,
      next((d) => {
        d.pages[1].questions[0].choices.push({ id: 'fees', text: t('Unexpected fees') });
        d.pages[1].questions[1].items.push({ id: 'value', text: t('Value') });
        d.pages.push({ id: 'p3', questions: [{ id: 'q_new', type: 'csat', text: t('New') }] });
      }),
    );
    expect(r.breaksComparability).toBe(false);
    expect(r.added).toEqual([
      { kind: 'page', id: 'p3', path: 'pages.2' },
      { kind: 'question', id: 'q_new', path: 'pages.2.questions.0' },
      { kind: 'choice', id: 'fees', questionId: 'q_problems', path: 'pages.1.questions.0.choices.2' },
      { kind: 'item', id: 'value', questionId: 'q_matrix', path: 'pages.1.questions.1.items.3' },
    ]);
    expect(r.warnings).toEqual([{ path: 'pages.1.questions.0.choices.2', message: expect.stringContaining('may shift') }]);
  });

  it('logic, dimension and outcome changes warn but do not break', () => {
    const r = compareVersions(
      prev,
      next((d) => {
        d.pages[1].questions[3].visibleIf = { question: 'q_nps', op: 'lte', value: 6 };
        d.dimensions[0].weight = 3;
        d.outcomes.overall = 'q_rating';
      }),
    );
    expect(r.breaksComparability).toBe(false);
    expect(r.changed).toEqual([
      { kind: 'question', id: 'q_long', path: 'pages.1.questions.3', fields: ['visibleIf'], breaksComparability: false },
      { kind: 'dimension', id: 'pickup', path: 'dimensions.0', fields: ['weight'], breaksComparability: false },
    ]);
    expect(r.warnings.map((w) => w.path)).toEqual(['pages.1.questions.3.visibleIf', 'dimensions.0', 'outcomes.overall']);
  });

  it('required and display changes are reported, not breaking', () => {
    const r = compareVersions(
      prev,
      next((d) => {
        d.pages[0].questions[1].required = true;
        d.pages[0].questions[2].display = 'numbers';
      }),
    );
    expect(r.breaksComparability).toBe(false);
    expect(r.changed.map((c) => [c.id, c.fields])).toEqual([
      ['q_csat', ['required']],
      ['q_rating', ['display']],
    ]);
  });
});
