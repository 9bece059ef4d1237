/**
 * Text PostgreSQL can store: no U+0000 and no lone UTF-16 surrogate (text refuses NUL, jsonb refuses
 * both). Here because answers are checked with it in the browser and on the server alike.
 */

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL is exactly what is refused
export const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the text. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}
