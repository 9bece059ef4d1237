/** Answer value types (public JSON API) and small helpers shared by logic.ts and answers.ts. */
import type { Question } from './schema.ts';

/** nps / csat / rating: an integer on the question's scale. */
export type NumberAnswer = number;
/** single: the chosen id; `other` only with the question's `other.id`. */
export interface SingleAnswer {
  choice: string;
  other?: string;
}
/** multi / problems: the checked ids (problems: may be just the `noProblem` id); `other` only with `other.id`. */
export interface MultiAnswer {
  choices: string[];
  other?: string;
}
/** text: the text. */
export type TextAnswer = string;
/** matrix: `{ [itemId]: integer }` (items may be left out when the question is not required). */
export type MatrixAnswer = Record<string, number>;

export type AnswerValue = NumberAnswer | SingleAnswer | MultiAnswer | TextAnswer | MatrixAnswer;
/** Answers keyed by question id. `null` / missing = not answered. */
export type Answers = Record<string, AnswerValue | null>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** null, undefined, a blank string, an empty array or an object of only such values. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.values(v).every(isEmptyValue);
  return false;
}

/**
 * Whether a value counts as an answer: not null/undefined and not empty — a text of only spaces,
 * `{ choices: [] }`, `{ choice: null }`, a matrix `{}` or with only null items are "not answered".
 * Values of the wrong type count as answered (validateAnswers then reports them as `wrong_type`).
 */
export function isAnswered(question: Question | undefined, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (question?.type === 'text') return typeof value !== 'string' || value.trim() !== '';
  if (question && (question.type === 'nps' || question.type === 'csat' || question.type === 'rating')) return true;
  return !isEmptyValue(value);
}

/** The checked choice ids of a single / multi / problems value ([] when none or malformed). */
export function choiceIdsOf(value: unknown): string[] {
  if (!isPlainObject(value)) return [];
  if (typeof value.choice === 'string') return [value.choice];
  if (Array.isArray(value.choices)) return value.choices.filter((c): c is string => typeof c === 'string');
  return [];
}
