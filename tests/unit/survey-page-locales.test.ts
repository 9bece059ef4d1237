// The survey page sends the browser its definition in the shown language and the default one only; the
// structure (pages, questions, logic) stays whole, and the stored definition is left as it was.
import { describe, expect, it } from 'vitest';
import { collectTexts, pipeLocalized } from '@rs/survey-definition';
import { findTemplate } from '../../survey-templates/index.ts';
import { definitionInLocales } from '../../web/src/lib/survey/in-locales.ts';

const definition = findTemplate('post-rental')!.definition;

describe('definitionInLocales', () => {
  it('keeps only the texts of the given languages', () => {
    const english = definitionInLocales(definition, ['en', 'zh-CN']);
    for (const { text } of collectTexts(english)) expect(Object.keys(text).every((l) => l === 'en' || l === 'zh-CN')).toBe(true);
    expect(collectTexts(english).some(({ text }) => 'en' in text)).toBe(true);
    expect(JSON.stringify(english)).not.toMatch(/[體驗歡們與確]/);
    expect(pipeLocalized(english.intro, {}, 'en', english.defaultLocale)).toBe(pipeLocalized(definition.intro, {}, 'en', definition.defaultLocale));
  });

  it('leaves pages, questions and display logic as they are, and the original untouched', () => {
    const before = JSON.stringify(definition);
    const chinese = definitionInLocales(definition, ['zh-CN']);
    expect(JSON.stringify(definition)).toBe(before);
    const shape = (d: typeof definition) => d.pages.map((p) => p.questions.map((q) => [q.id, q.type, q.required, JSON.stringify(q.visibleIf ?? null)]));
    expect(shape(chinese)).toEqual(shape(definition));
    expect(JSON.stringify(chinese).length).toBeLessThan((before.length * 2) / 3);
  });
});
