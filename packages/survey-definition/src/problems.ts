/**
 * The problems a survey definition can have, each with a stable code and parameters. The builder shows
 * them from its translation table (`builder.problem.<code>`); the English `message` is for API consumers.
 * Zod's own issues are mapped to codes here, so neither its wording nor an upgrade of it reaches the UI.
 */
import type { z } from 'zod';
import { ID_PATTERN } from './constants.ts';

/** Codes of the cross-reference rules (crossref.ts). */
export const CROSS_REFERENCE_PROBLEM_CODES = [
  'duplicate_locale',
  'default_locale_not_listed',
  'missing_default_text',
  'unknown_placeholder',
  'duplicate_page_id',
  'duplicate_question_id',
  'question_id_is_page_id',
  'duplicate_choice_id',
  'max_choices_exceeds_choices',
  'duplicate_item_id',
  'logic_unknown_question',
  'logic_self_reference',
  'logic_forward_reference',
  'logic_item_not_matrix',
  'logic_unknown_item',
  'logic_value_out_of_scale',
  'logic_operator_not_for_choice',
  'logic_unknown_choice',
  'logic_matrix_needs_item',
  'logic_operator_not_for_type',
  'duplicate_dimension_id',
  'dimension_weight_negative',
  'item_weight_negative',
  'dimension_unknown_question',
  'dimension_matrix_needs_item',
  'dimension_unknown_item',
  'dimension_not_matrix',
  'dimension_question_type',
  'dimension_item_assigned_twice',
  'dimension_item_weights_zero',
  'dimension_weights_zero',
  'outcome_unknown_question',
  'outcome_recommend_type',
  'outcome_overall_type',
] as const;

/** Codes of the shape check (zod issues, see shapeProblem). */
export const SHAPE_PROBLEM_CODES = [
  'required',
  'expected_number',
  'expected_integer',
  'expected_text',
  'expected_boolean',
  'expected_list',
  'expected_object',
  'expected_number_or_text',
  'invalid_type',
  'invalid_value',
  'unknown_key',
  'invalid_id',
  'invalid_format',
  'too_small',
  'too_big',
  'too_few_items',
  'too_many_items',
  'text_too_short',
  'text_too_long',
  'invalid',
] as const;

/** Every code `validateSurveyDefinition` can return. */
export const DEFINITION_PROBLEM_CODES = [...CROSS_REFERENCE_PROBLEM_CODES, ...SHAPE_PROBLEM_CODES] as const;

export type CrossReferenceProblemCode = (typeof CROSS_REFERENCE_PROBLEM_CODES)[number];
export type DefinitionProblemCode = (typeof DEFINITION_PROBLEM_CODES)[number];
export type ProblemParams = Record<string, string | number>;

export interface DefinitionIssue {
  /** Dotted path of the fault, e.g. "pages.0.questions.2.choices.1.id" ('' = the whole definition). */
  path: string;
  code: DefinitionProblemCode;
  params: ProblemParams;
  /** The same in English, for API consumers; the UI translates `code` with `params` instead. */
  message: string;
}

type Issue = z.core.$ZodIssue;

const EXPECTED_CODES: Record<string, DefinitionProblemCode> = {
  number: 'expected_number',
  int: 'expected_integer',
  string: 'expected_text',
  boolean: 'expected_boolean',
  array: 'expected_list',
  object: 'expected_object',
  record: 'expected_object',
};

const listed = (values: readonly unknown[]) => values.map(String).join(', ');

/**
 * The code and parameters of one zod issue of the shape check. The issue must come from a parse with
 * `reportInput: true`, so that an absent value (no `input`) can be told from a wrong one.
 */
export function shapeProblem(issue: Issue): { code: DefinitionProblemCode; params: ProblemParams } {
  switch (issue.code) {
    case 'invalid_type': {
      if (!('input' in issue) || issue.input === undefined) return { code: 'required', params: {} };
      const code = EXPECTED_CODES[issue.expected];
      return code ? { code, params: {} } : { code: 'invalid_type', params: { expected: issue.expected } };
    }
    case 'invalid_union': {
      // A bad discriminator (question type, logic operator): the allowed values.
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options)) return { code: 'invalid_value', params: { values: listed(options) } };
      // A union of leaf types (a logic value): number or text.
      const expected = new Set(issue.errors.flat().map((i) => (i.code === 'invalid_type' ? i.expected : '?')));
      if (expected.size === 2 && expected.has('number') && expected.has('string')) return { code: 'expected_number_or_text', params: {} };
      return { code: 'invalid', params: {} };
    }
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: listed(issue.values) } };
    case 'unrecognized_keys':
      return { code: 'unknown_key', params: { keys: listed(issue.keys) } };
    case 'invalid_format':
      if (issue.format === 'regex' && 'pattern' in issue && issue.pattern === String(ID_PATTERN)) return { code: 'invalid_id', params: {} };
      return { code: 'invalid_format', params: { format: issue.format } };
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'array') return { code: 'too_few_items', params: { minimum } };
      if (issue.origin === 'string') return { code: 'text_too_short', params: { minimum } };
      return { code: 'too_small', params: { minimum } };
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'array') return { code: 'too_many_items', params: { maximum } };
      if (issue.origin === 'string') return { code: 'text_too_long', params: { maximum } };
      return { code: 'too_big', params: { maximum } };
    }
    default:
      return { code: 'invalid', params: {} };
  }
}
