import { collectTexts } from '@rs/survey-definition/walk';
import type { Locale, SurveyDefinition } from './definition';

/**
 * The definition with its texts in these languages only (the shown one and the default one it falls back
 * to). The survey page carries its definition to the browser for display logic and checks; the other
 * languages' texts would double its size there, and a language switch loads the page's data again.
 */
export function definitionInLocales(definition: SurveyDefinition, locales: readonly Locale[]): SurveyDefinition {
  const copy = structuredClone(definition);
  for (const { text } of collectTexts(copy)) {
    const byLocale = text as Record<string, string | undefined>;
    for (const locale of Object.keys(byLocale)) if (!locales.includes(locale as Locale)) delete byLocale[locale];
  }
  return copy;
}
