import type { z } from 'zod';
import { CROSS_REFERENCE_PROBLEM_CODES, shapeProblem, type CrossReferenceProblemCode, type DefinitionIssue } from './problems.ts';
import { surveyDefinitionSchema, type SurveyDefinition } from './schema.ts';

export type { DefinitionIssue } from './problems.ts';

export type ValidationResult = { ok: true; definition: SurveyDefinition } | { ok: false; issues: DefinitionIssue[] };

type Issue = z.core.$ZodIssue;

const isCrossReferenceCode = (code: unknown): code is CrossReferenceProblemCode => (CROSS_REFERENCE_PROBLEM_CODES as readonly unknown[]).includes(code);

/** One issue with its code: a cross-reference rule carries its own (schema.ts), zod's are mapped. */
function toProblem(issue: Issue, path: PropertyKey[]): DefinitionIssue {
  const at = path.map(String).join('.');
  if (issue.code === 'custom' && isCrossReferenceCode(issue.params?.problem)) {
    const { problem, ...params } = issue.params as Record<string, string | number>;
    return { path: at, code: problem as CrossReferenceProblemCode, params, message: issue.message };
  }
  return { path: at, ...shapeProblem(issue), message: issue.message };
}

/** Flattens union failures to the issues of the branch that came closest (fewest issues). */
function flatten(issue: Issue, prefix: PropertyKey[]): DefinitionIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
    // descend into object branches only; a union of leaf types keeps its own message
    if (best.length > 0 && best.some((i) => i.path.length > 0)) return best.flatMap((i) => flatten(i, path));
  }
  return [toProblem(issue, path)];
}

/**
 * Shape (zod) + cross-reference checks. On success `definition` has the defaults applied
 * (required: false, display: 'numbers', settings.minN: 5, …). Each issue has a code and parameters.
 */
export function validateSurveyDefinition(input: unknown): ValidationResult {
  // reportInput: an absent value ("required") is told from a wrong one by the issue's input
  const result = surveyDefinitionSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, definition: result.data };
  return { ok: false, issues: result.error.issues.flatMap((i) => flatten(i, [])) };
}
