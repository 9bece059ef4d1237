/**
 * Survey definitions: the one schema (api, web app, templates), display logic, piping, answers,
 * version comparison and the metric helpers. Plain TypeScript + zod: safe to import in the browser
 * (`@rs/survey-definition`).
 */
export * from './schema.ts';
export { validateSurveyDefinition, type DefinitionIssue, type ValidationResult } from './validate.ts';
export {
  DEFINITION_PROBLEM_CODES,
  CROSS_REFERENCE_PROBLEM_CODES,
  SHAPE_PROBLEM_CODES,
  type DefinitionProblemCode,
  type CrossReferenceProblemCode,
  type ProblemParams,
} from './problems.ts';
export { crossCheckDefinition, type CrossRefIssue } from './crossref.ts';
export { localize } from './localize.ts';
export {
  evaluateCondition,
  computeVisibility,
  isVisible,
  visibleQuestionIds,
  visiblePages,
  visiblePageIndexes,
  pruneHiddenAnswers,
  conditionReferences,
  type Visibility,
} from './logic.ts';
export {
  PIPING_PLACEHOLDERS,
  DATE_PLACEHOLDERS,
  isPipingPlaceholder,
  findPlaceholders,
  unknownPlaceholders,
  formatFactDate,
  factValue,
  pipeText,
  pipeLocalized,
  type PipingPlaceholder,
  type PipingFacts,
  type PipeOptions,
  type FactText,
  type FactDate,
} from './piping.ts';
export {
  validateAnswers,
  toAnswerRows,
  fromAnswerRows,
  textLimit,
  isAnswered,
  type AnswerFault,
  type AnswerFaultCode,
  type AnswerRow,
  type ValidateAnswersOptions,
  type AnswerValue,
  type Answers,
  type NumberAnswer,
  type SingleAnswer,
  type MultiAnswer,
  type TextAnswer,
  type MatrixAnswer,
} from './answers.ts';
export {
  compareVersions,
  type ChangeKind,
  type VersionChange,
  type VersionModification,
  type VersionWarning,
  type VersionComparison,
} from './compare.ts';
export {
  dimensionItems,
  metricQuestions,
  noProblemChoiceId,
  countProblems,
  type DimensionItem,
  type MetricQuestions,
} from './metrics.ts';
export {
  questionPositions,
  allQuestions,
  questionMap,
  findQuestion,
  choiceOptions,
  collectTexts,
  scaleOf,
  type QuestionPosition,
  type ChoiceOption,
  type TextEntry,
} from './walk.ts';
export { missingTranslations, type MissingText, type MissingTranslations } from './translations.ts';
