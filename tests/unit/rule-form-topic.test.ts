// The alert-rule form's topic condition: fields ⇄ the API's `topic` trigger, negative-only kept.
import { describe, expect, it } from 'vitest';
import { defaultFormValues, formValuesFrom, formValuesOf, ruleInputOf } from '../../web/src/lib/cases/rule-form.ts';

describe('rule form: topic condition', () => {
  it('turns the ticked topics into one topic trigger, negative only when asked', () => {
    const form = new FormData();
    form.set('surveyId', '00000000-0000-4000-8000-000000000001');
    form.set('name', '车损争议');
    form.set('topicOn', 'on');
    form.append('topicIds', 'damage');
    form.append('topicIds', 'fees');
    form.set('topicNegativeOnly', 'on');
    const input = ruleInputOf(formValuesFrom(form));
    expect(input.triggers).toEqual([{ type: 'topic', topicIds: ['damage', 'fees'], negativeOnly: true }]);
    form.delete('topicNegativeOnly');
    expect(ruleInputOf(formValuesFrom(form)).triggers).toEqual([{ type: 'topic', topicIds: ['damage', 'fees'] }]);
    // Switched off: no topic trigger, even with topics ticked.
    form.delete('topicOn');
    expect(ruleInputOf(formValuesFrom(form)).triggers).toEqual([]);
  });

  it('shows a stored topic trigger in the topic fields and saves it unchanged', () => {
    const stored = { type: 'topic' as const, topicIds: ['waiting'], negativeOnly: true };
    const rule = { ...ruleInputOf(defaultFormValues('00000000-0000-4000-8000-000000000001')), triggers: [stored] };
    const values = formValuesOf(rule as Parameters<typeof formValuesOf>[0]);
    expect(values).toMatchObject({ topicOn: true, topicIds: ['waiting'], topicNegativeOnly: true, extraTriggers: [] });
    expect(ruleInputOf(values).triggers).toEqual([stored]);
  });
});
