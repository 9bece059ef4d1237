/**
 * The one rule for text that comes in (JSON bodies, query strings, path parameters, CSV cells): no U+0000
 * and no lone UTF-16 surrogate. PostgreSQL cannot store either (text refuses NUL, jsonb refuses both), so
 * such input is refused up front with 400 naming the field, instead of failing deep inside as a 500.
 */
import { isStorableText, UNSTORABLE_TEXT } from '@rs/survey-definition/storable-text';
import type { ProblemFieldError } from './problem.ts';

// The rule itself lives with the survey definition, which checks answers with it in the browser too.
export { isStorableText };

export const UNSTORABLE_TEXT_MESSAGE = 'contains a NUL character or a broken Unicode character';

/**
 * Every place in parsed input (strings, object keys, nested arrays and objects) holding unstorable text,
 * as field errors with dotted paths ("customer.name", "rentals.3.externalId"); at most `limit` of them.
 */
export function unstorableTextErrors(value: unknown, prefix = '', limit = 20): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string) => {
    if (errors.length >= limit) return;
    if (typeof v === 'string') {
      if (!isStorableText(v)) errors.push({ path: path || '(root)', message: UNSTORABLE_TEXT_MESSAGE, code: 'unstorable_text' });
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v) || v instanceof Date) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, path ? `${path}.${i}` : String(i)));
      return;
    }
    for (const [key, item] of Object.entries(v)) {
      const at = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) {
        errors.push({ path: at.replace(UNSTORABLE_TEXT, '?'), message: UNSTORABLE_TEXT_MESSAGE, code: 'unstorable_text' });
        continue;
      }
      walk(item, at);
    }
  };
  walk(value, prefix);
  return errors;
}
