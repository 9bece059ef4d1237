import { z } from '@hono/zod-openapi';

/** The most values one repeatable parameter takes: far above any real filter, low enough to bound the SQL. */
const MAX_REPEATED_VALUES = 200;

/** The values of a repeatable query parameter (`?x=a&x=b` or `?x=a,b`): trimmed, empty ones dropped; undefined when absent. */
export function repeatedValues(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * A repeatable query parameter: `?x=a&x=b` or `?x=a,b` (values trimmed, empty ones dropped), each value
 * checked by `item`. `description` is a sentence; the OpenAPI text adds how to repeat.
 */
export function repeatable<T extends z.ZodType<string>>(item: T, description: string) {
  return z
    .preprocess(repeatedValues, z.array(item).max(MAX_REPEATED_VALUES).optional())
    .openapi({ description: `${description} Repeatable (?x=a&x=b) or comma-separated.`, param: { style: 'form', explode: true } });
}
