// A survey definition's problems in the UI language: each has a stable code and parameters
// (@rs/survey-definition, problems.ts), translated as `builder.problem.<code>`. A problem without a
// known code (e.g. a request error of the API) keeps the message it came with.
import { DEFINITION_PROBLEM_CODES, type DefinitionProblemCode } from '@rs/survey-definition/problems';
import { t, type MessageKey, type UiLocale } from '$lib/i18n';
import { localeName, opName, typeName } from './labels';

export interface ShownIssue {
  path: string;
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

const isDefinitionCode = (code: string | undefined): code is DefinitionProblemCode =>
  (DEFINITION_PROBLEM_CODES as readonly (string | undefined)[]).includes(code);

export const problemKey = (code: DefinitionProblemCode) => `builder.problem.${code}` as MessageKey;

export function issueMessage(issue: Omit<ShownIssue, 'path'>, ui: UiLocale): string {
  if (!isDefinitionCode(issue.code)) return issue.message;
  const params = { ...issue.params };
  // question types, operators and locales are named as everywhere else in the builder
  if (typeof params.type === 'string') params.type = typeName(ui, params.type);
  if (typeof params.op === 'string') params.op = opName(ui, params.op);
  if (typeof params.locale === 'string') params.locale = localeName(ui, params.locale);
  return t(ui, problemKey(issue.code), params);
}
