/**
 * The ONE survey definition module (packages/survey-definition/), as the survey pages use it.
 *
 * Runtime code is taken from its zod-free files: `index` also re-exports the zod schema, whose
 * top-level schema objects tree-shaking cannot drop (≈100 kB more JavaScript on the customers' phones).
 * Same functions as `@rs/survey-definition`; types come from the index itself.
 */
export type {
  AnswerFault,
  AnswerValue,
  Answers,
  ChoiceQuestion,
  CsatQuestion,
  Locale,
  LocalizedText,
  MatrixQuestion,
  NpsQuestion,
  Page,
  PipingFacts,
  Question,
  RatingQuestion,
  SurveyDefinition,
  TextQuestion,
} from '@rs/survey-definition';
export { OTHER_TEXT_MAX, SUPPORTED_LOCALES, TEXT_HARD_MAX } from '@rs/survey-definition/constants';
export { localize } from '@rs/survey-definition/localize';
export {
  computeVisibility,
  conditionReferences,
  isVisible,
  pruneHiddenAnswers,
  visiblePageIndexes,
  visiblePages,
  visibleQuestionIds,
} from '@rs/survey-definition/logic';
export { factValue, pipeLocalized, pipeText } from '@rs/survey-definition/piping';
export { isAnswered, textLimit, validateAnswers } from '@rs/survey-definition/answers';
export { choiceOptions, findQuestion, questionPositions, scaleOf } from '@rs/survey-definition/walk';
