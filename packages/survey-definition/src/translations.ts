// Which texts a survey's languages still miss: the publish preview and the publish answer list them per
// language so that publishing says so, and the builder's translation table shows the same list.
import { collectTexts } from './walk.ts';
import type { Locale, SurveyDefinition } from './schema.ts';

export interface MissingText {
  /** e.g. "pages.3.questions.6.text" (the field to fill in) */
  path: string;
  /** The text in the default language: what is to be translated. */
  source: string;
  /** Id of the question the text belongs to (null for survey, page and dimension texts). */
  questionId: string | null;
}

export interface MissingTranslations {
  locale: Locale;
  missing: MissingText[];
}

/** Per language other than the default, the texts that have a default-language text but none in it. */
export function missingTranslations(def: SurveyDefinition): MissingTranslations[] {
  const texts = collectTexts(def);
  const questionAt = (path: string) => {
    const m = /^pages\.(\d+)\.questions\.(\d+)\./.exec(path);
    return m ? (def.pages[Number(m[1])]?.questions[Number(m[2])]?.id ?? null) : null;
  };
  return def.locales
    .filter((l) => l !== def.defaultLocale)
    .map((locale) => ({
      locale,
      missing: texts
        .filter((x) => {
          const t = x.text as Record<string, string | undefined>;
          return !!(t[def.defaultLocale] ?? '').trim() && !(t[locale] ?? '').trim();
        })
        .map((x) => ({ path: x.path, source: (x.text as Record<string, string>)[def.defaultLocale], questionId: questionAt(x.path) })),
    }));
}
