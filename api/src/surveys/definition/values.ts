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

/**
 * Whether a value counts as an answer: not null/undefined, and not empty (text of only spaces, no choice
 * checked and no other text, a matrix with no item). Values of the wrong type count as answered (they are
 * then reported by validateAnswers as `wrong_type`).
 */
export function isAnswered(question: Question | undefined, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (!question) return true;
  switch (question.type) {
    case 'text':
      return typeof value !== 'string' || value.trim() !== '';
    case 'single':
      return !isPlainObject(value) || (value.choice !== undefined && value.choice !== null && value.choice !== '');
    case 'multi':
    case 'problems':
      if (!isPlainObject(value)) return true;
      if (Array.isArray(value.choices) && value.choices.length > 0) return true;
      if (value.choices !== undefined && !Array.isArray(value.choices)) return true;
      return typeof value.other === 'string' && value.other.trim() !== '';
    case 'matrix':
      return !isPlainObject(value) || Object.values(value).some((v) => v !== null && v !== undefined);
    default:
      return true;
  }
}

/** The checked choice ids of a single / multi / problems value ([] when none or malformed). */
export function choiceIdsOf(value: unknown): string[] {
  if (!isPlainObject(value)) return [];
  if (typeof value.choice === 'string') return [value.choice];
  if (Array.isArray(value.choices)) return value.choices.filter((c): c is string => typeof c === 'string');
  return [];
}
