/**
 * The ONE survey definition module (api/src/surveys/definition/), as the survey pages use it.
 *
 * Runtime code is taken from its zod-free files: `index` also re-exports the zod schema, whose
 * top-level schema objects tree-shaking cannot drop (≈100 kB more JavaScript on the customers' phones).
 * Same functions as `@rs/api/surveys/definition/index`; types come from the index itself.
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
} from '@rs/api/surveys/definition/index';
export { OTHER_TEXT_MAX, SUPPORTED_LOCALES, TEXT_HARD_MAX } from '@rs/api/surveys/definition/constants';
export { localize } from '@rs/api/surveys/definition/localize';
export {
  computeVisibility,
  conditionReferences,
  isVisible,
  pruneHiddenAnswers,
  visiblePages,
  visibleQuestionIds,
} from '@rs/api/surveys/definition/logic';
export { factValue, pipeLocalized, pipeText } from '@rs/api/surveys/definition/piping';
export { isAnswered, textLimit, validateAnswers } from '@rs/api/surveys/definition/answers';
export { choiceOptions, findQuestion, questionPositions, scaleOf } from '@rs/api/surveys/definition/walk';
