// The builder's edits (web/src/lib/builder/model.ts): the same functions run in the browser and in the
// page's form actions, so a form posted without JavaScript edits the draft exactly as a click does.
import { describe, expect, it } from 'vitest';
import { validateSurveyDefinition, type SurveyDefinition } from '@rs/survey-definition';
import { applyField, applyFields, applyOp, fieldEntries, issueField } from '../../../web/src/lib/builder/model.ts';
import { miniPostRental } from '../../support/fixtures/definitions.ts';

function mini(): SurveyDefinition {
  const checked = validateSurveyDefinition(miniPostRental);
  if (!checked.ok) throw new Error('fixture invalid');
  return JSON.parse(JSON.stringify(checked.definition));
}

const ids = (def: SurveyDefinition) => def.pages.map((p) => p.questions.map((q) => q.id));
const valid = (def: SurveyDefinition) => {
  const r = validateSurveyDefinition(def);
  return r.ok ? [] : r.issues.map((i) => i.path);
};

describe('field edits', () => {
  it('sets and clears one locale of a text; an emptied optional text disappears, a required one fails validation', () => {
    const def = mini();
    applyField(def, 'loc:pages.0.questions.0.help.en', ['Pick one']);
    expect(def.pages[0].questions[0].help).toEqual({ en: 'Pick one' });
    applyField(def, 'loc:pages.0.questions.0.help.en', ['  ']);
    expect(def.pages[0].questions[0].help).toBeUndefined();

    applyField(def, 'loc:pages.0.questions.0.labels.min.zh-CN', ['不可能']);
    expect(def.pages[0].questions[0]).toMatchObject({ labels: { min: { 'zh-CN': '不可能' } } });
    applyField(def, 'loc:pages.0.questions.0.labels.min.zh-CN', ['']);
    expect('labels' in def.pages[0].questions[0]).toBe(false);

    applyField(def, 'loc:pages.0.questions.0.text.zh-CN', ['']);
    applyField(def, 'loc:pages.0.questions.0.text.en', ['']);
    expect(def.pages[0].questions[0].text).toEqual({});
    expect(valid(def)).toEqual(['pages.0.questions.0.text']);
  });

  it('renaming a question id carries its logic, dimension and outcome references along', () => {
    const def = mini();
    applyField(def, 'id:pages.0.questions.0', ['q_recommend']);
    applyField(def, 'id:pages.0.questions.3.items.0', ['pickup_speed']);
    expect(def.pages[0].questions[0].id).toBe('q_recommend');
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_recommend', op: 'lte', value: 6 });
    expect(def.outcomes.recommend).toBe('q_recommend');
    expect(def.dimensions[0].items[0]).toEqual({ questionId: 'q_pickup', itemId: 'pickup_speed' });
    expect(valid(def)).toEqual([]);
  });

  it('a rename onto an existing id leaves the references alone and validation names the duplicate', () => {
    const def = mini();
    applyField(def, 'id:pages.0.questions.2', ['q_nps']);
    expect(def.outcomes.overall).toBe('q_csat');
    expect(valid(def)).toEqual(expect.arrayContaining(['pages.0.questions.2.id', 'outcomes.overall']));
  });

  it('changes a question type in place, keeping the text and what both types share', () => {
    const def = mini();
    const q = def.pages[0].questions[3];
    applyField(def, 'type:pages.0.questions.3', ['rating']);
    expect(def.pages[0].questions[3]).toBe(q);
    expect(q).toMatchObject({ id: 'q_pickup', type: 'rating', max: 5, display: 'numbers', text: { 'zh-CN': '取车' } });
    expect('items' in q).toBe(false);
    // the matrix items in the dimension now point at a rating question: validation says so
    expect(valid(def)).toEqual(['dimensions.0.items.0.itemId', 'dimensions.0.items.1.itemId']);
  });

  it('fits a condition to its operator and parses values by the question type', () => {
    const def = mini();
    const path = 'pages.0.questions.1.visibleIf';
    applyField(def, `cop:${path}`, ['in']);
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_nps', op: 'in', value: [6] });
    applyField(def, `cv:${path}`, ['0, 1, 2']);
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_nps', op: 'in', value: [0, 1, 2] });
    applyField(def, `cop:${path}`, ['answered']);
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_nps', op: 'answered' });
    applyField(def, `cop:${path}`, ['gte']);
    applyField(def, `cv:${path}`, ['9']);
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_nps', op: 'gte', value: 9 });
    expect(valid(def)).toEqual([]);
  });

  it('assigns a matrix item to another dimension, keeping its weight', () => {
    const def = mini();
    applyOp(def, 'add-dimension');
    applyField(def, 'aweight:q_pickup/staff', ['2']);
    applyField(def, 'assign:q_pickup/staff', ['d1']);
    expect(def.dimensions[0].items).toEqual([{ questionId: 'q_pickup', itemId: 'speed' }]);
    expect(def.dimensions[1]).toMatchObject({ id: 'd1', weight: 1, items: [{ questionId: 'q_pickup', itemId: 'staff', weight: 2 }] });
    applyField(def, 'assign:q_csat/', ['pickup']);
    expect(def.dimensions[0].items).toContainEqual({ questionId: 'q_csat' });
    applyField(def, 'assign:q_csat/', ['']);
    expect(def.dimensions[0].items).not.toContainEqual({ questionId: 'q_csat' });
    expect(valid(def)).toEqual([]);
  });

  it('applies a posted form in order: a changed logic question resets the rule; type changes come last', () => {
    const def = mini();
    const form = new FormData();
    form.append('definition', '{}');
    form.append('cq:pages.0.questions.3.visibleIf', 'q_csat'); // no visibleIf there: ignored
    form.append('cq:pages.0.questions.1.visibleIf', 'q_csat');
    form.append('cop:pages.0.questions.1.visibleIf', 'lte'); // posted for the old question
    form.append('cv:pages.0.questions.1.visibleIf', '6');
    form.append('type:pages.0.questions.2', 'rating');
    form.append('num:pages.0.questions.2.max', '7'); // a control of the old shape: applies before the type change
    form.append('loc:pages.0.questions.2.text.en', 'Overall');
    applyFields(def, fieldEntries(form));
    expect(def.pages[0].questions[1].visibleIf).toEqual({ question: 'q_csat', op: 'lte', value: 2 });
    expect(def.pages[0].questions[2]).toMatchObject({ type: 'rating', max: 5, text: { en: 'Overall' } });
  });
});

describe('structural edits', () => {
  it('moves questions within and across pages and reports the new position', () => {
    const def = mini();
    applyOp(def, 'add-page');
    expect(ids(def)).toEqual([['q_nps', 'q_why', 'q_csat', 'q_pickup'], ['q_text']]);
    expect(applyOp(def, 'move|pages.0.questions.3|1')).toMatchObject({ focus: 'pages.1.questions.0', message: { key: 'moved', params: { n: 1, of: 2 } } });
    expect(ids(def)).toEqual([
      ['q_nps', 'q_why', 'q_csat'],
      ['q_pickup', 'q_text'],
    ]);
    expect(applyOp(def, 'move|pages.0.questions.0|-1')).toEqual({});
    applyOp(def, 'move|pages.0.questions.1|-1');
    expect(ids(def)[0]).toEqual(['q_why', 'q_nps', 'q_csat']);
    // q_why now comes before the question its logic uses
    expect(valid(def)).toEqual(['pages.0.questions.0.visibleIf.question']);
  });

  it('adds, duplicates and deletes questions, choices and items with fresh ids', () => {
    const def = mini();
    applyOp(def, 'add-question|pages.0|single');
    const added = def.pages[0].questions[4];
    expect(added).toMatchObject({ id: 'q_single', type: 'single', text: { 'zh-CN': '新问题' }, choices: [{ id: 'c1' }, { id: 'c2' }] });
    applyOp(def, 'add-choice|pages.0.questions.4');
    applyOp(def, 'duplicate|pages.0.questions.4.choices.0');
    expect((def.pages[0].questions[4] as { choices: { id: string }[] }).choices.map((c) => c.id)).toEqual(['c1', 'c1_copy', 'c2', 'c3']);
    applyOp(def, 'duplicate|pages.0.questions.4');
    expect(def.pages[0].questions[5].id).toBe('q_single_copy');
    applyOp(def, 'add-item|pages.0.questions.3');
    expect((def.pages[0].questions[3] as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['speed', 'staff', 'i1']);
    expect(valid(def)).toEqual([]);

    // Deleting a question forgets its dimension and outcome roles; logic that used it is left to fix.
    applyOp(def, 'delete|pages.0.questions.0');
    expect(def.outcomes.recommend).toBeUndefined();
    expect(valid(def)).toEqual(['pages.0.questions.0.visibleIf.question']);
    applyOp(def, 'delete|pages.0.questions.2');
    expect(def.dimensions[0].items).toEqual([]);
  });

  it('never deletes the last question, choice or page', () => {
    const def = mini();
    def.pages[0].questions.splice(1);
    expect(applyOp(def, 'delete|pages.0.questions.0')).toEqual({ message: { key: 'cannotDelete' } });
    applyOp(def, 'add-question|pages.0|single');
    applyOp(def, 'delete|pages.0.questions.1.choices.0');
    expect(applyOp(def, 'delete|pages.0.questions.1.choices.0')).toEqual({ message: { key: 'cannotDelete' } });
    expect(applyOp(def, 'delete|pages.0')).toEqual({ message: { key: 'cannotDelete' } });
  });

  it('builds display logic: a rule, then a group, on earlier questions only', () => {
    const def = mini();
    const path = 'pages.0.questions.2.visibleIf';
    applyOp(def, `add-rule|${path}`);
    expect(def.pages[0].questions[2].visibleIf).toEqual({ question: 'q_why', op: 'answered' });
    applyOp(def, `add-rule|${path}`);
    applyOp(def, `add-group|${path}`);
    expect(def.pages[0].questions[2].visibleIf).toEqual({
      all: [{ question: 'q_why', op: 'answered' }, { question: 'q_why', op: 'answered' }, { any: [{ question: 'q_why', op: 'answered' }] }],
    });
    applyField(def, `comb:${path}`, ['any']);
    applyField(def, `cq:${path}.any.0`, ['q_nps']);
    expect((def.pages[0].questions[2].visibleIf as { any: unknown[] }).any[0]).toEqual({ question: 'q_nps', op: 'lte', value: 6 });
    expect(valid(def)).toEqual([]);
    applyOp(def, `delete-condition|${path}.any.2.any.0`);
    expect((def.pages[0].questions[2].visibleIf as { any: unknown[] }).any).toHaveLength(2);
    applyOp(def, `delete-condition|${path}`);
    expect(def.pages[0].questions[2].visibleIf).toBeUndefined();
    // the first question has nothing earlier to refer to
    expect(applyOp(def, 'add-rule|pages.0.questions.0.visibleIf')).toEqual({});
  });
});

describe('issue paths', () => {
  it('maps an issue to the control that shows it', () => {
    expect(issueField('pages.0.questions.1.text.en')).toBe('pages.0.questions.1.text');
    expect(issueField('pages.0.questions.1.visibleIf.value.2')).toBe('pages.0.questions.1.visibleIf.value');
    expect(issueField('dimensions.0.items.1.itemId')).toBe('dimensions.0.items.1.itemId');
  });
});
