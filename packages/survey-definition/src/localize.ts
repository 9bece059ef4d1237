import type { Locale } from './constants.ts';
import type { LocalizedText } from './schema.ts';

/**
 * The text in `locale`, else in `fallbackLocale` (normally the definition's default locale), else the
 * first non-empty translation, else ''. Empty strings count as missing.
 */
export function localize(text: LocalizedText | null | undefined, locale: Locale | string, fallbackLocale?: Locale | string): string {
  if (!text) return '';
  const t = text as Record<string, string | undefined>;
  const own = t[locale];
  if (own) return own;
  if (fallbackLocale) {
    const fb = t[fallbackLocale];
    if (fb) return fb;
  }
  for (const value of Object.values(t)) if (value) return value;
  return '';
}
