import type { z } from 'zod';
import { surveyDefinitionSchema, type SurveyDefinition } from './schema.ts';

export interface DefinitionIssue {
  /** Dotted path of the fault, e.g. "pages.0.questions.2.choices.1.id" ('' = the whole definition). */
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; definition: SurveyDefinition }
  | { ok: false; issues: DefinitionIssue[] };

type Issue = z.core.$ZodIssue;

/** Flattens union failures to the issues of the branch that came closest (fewest issues). */
function flatten(issue: Issue, prefix: PropertyKey[]): DefinitionIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
    // descend into object branches only; a union of leaf types keeps its own message
    if (best.length > 0 && best.some((i) => i.path.length > 0)) return best.flatMap((i) => flatten(i, path));
  }
  return [{ path: path.map(String).join('.'), message: issue.message }];
}

/**
 * Shape (zod) + cross-reference checks. On success `definition` has the defaults applied
 * (required: false, display: 'numbers', settings.minN: 5, …).
 */
export function validateSurveyDefinition(input: unknown): ValidationResult {
  const result = surveyDefinitionSchema.safeParse(input);
  if (result.success) return { ok: true, definition: result.data };
  return { ok: false, issues: result.error.issues.flatMap((i) => flatten(i, [])) };
}
