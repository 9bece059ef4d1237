/**
 * The ONE schema of a survey definition (shape only lives here; cross-references are checked by
 * `crossCheckDefinition` in ./crossref.ts and attached to `surveyDefinitionSchema` with superRefine).
 *
 * Plain TypeScript + zod only: this module is imported by the browser too.
 */
import { z } from 'zod';
import { crossCheckDefinition } from './crossref.ts';
import {
  ID_PATTERN,
  SUPPORTED_LOCALES,
  TEXT_HARD_MAX,
  RATING_MAX_SCALE,
  RATING_MIN_SCALE,
  COMPARE_OPERATORS,
  SET_OPERATORS,
  PRESENCE_OPERATORS,
} from './constants.ts';

export {
  ID_PATTERN,
  SUPPORTED_LOCALES,
  TEXT_HARD_MAX,
  OTHER_TEXT_MAX,
  RATING_MAX_SCALE,
  RATING_MIN_SCALE,
  COMPARE_OPERATORS,
  SET_OPERATORS,
  PRESENCE_OPERATORS,
  OPERATORS,
  QUESTION_TYPES,
} from './constants.ts';
export type { Locale, Operator, QuestionType } from './constants.ts';

export const idSchema = z.string().regex(ID_PATTERN, 'Must match /^[a-z][a-z0-9_]{0,63}$/ (lower-case letter, then letters, digits or _)');

export const localeSchema = z.enum(SUPPORTED_LOCALES);

/** `{ [locale]: string }`; the definition's default locale is required (checked in crossref). */
export const localizedTextSchema = z.partialRecord(localeSchema, z.string());
export type LocalizedText = z.infer<typeof localizedTextSchema>;

// ---------------------------------------------------------------------------------------------
// Display logic
// ---------------------------------------------------------------------------------------------

export type ConditionValue = number | string;

/** A test on an earlier answer. `item` selects one item of a matrix question. */
export type RuleCondition =
  | { question: string; item?: string; op: (typeof COMPARE_OPERATORS)[number]; value: ConditionValue }
  | { question: string; item?: string; op: (typeof SET_OPERATORS)[number]; value: ConditionValue[] }
  | { question: string; item?: string; op: (typeof PRESENCE_OPERATORS)[number] };
export type Condition = RuleCondition | { all: Condition[] } | { any: Condition[] };

const conditionValueSchema = z.union([z.number(), z.string()], {
  error: 'Expected a value: a number, or a choice id',
});

export const conditionSchema: z.ZodType<Condition, Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.discriminatedUnion('op', [
      z.strictObject({
        question: idSchema,
        item: idSchema.optional(),
        op: z.enum(COMPARE_OPERATORS),
        value: conditionValueSchema,
      }),
      z.strictObject({
        question: idSchema,
        item: idSchema.optional(),
        op: z.enum(SET_OPERATORS),
        value: z.array(conditionValueSchema).min(1),
      }),
      z.strictObject({ question: idSchema, item: idSchema.optional(), op: z.enum(PRESENCE_OPERATORS) }),
    ]),
  ]),
);

// ---------------------------------------------------------------------------------------------
// Questions
// ---------------------------------------------------------------------------------------------

export const choiceSchema = z.strictObject({ id: idSchema, text: localizedTextSchema });
export type Choice = z.infer<typeof choiceSchema>;

export const scaleLabelsSchema = z.strictObject({
  min: localizedTextSchema.optional(),
  max: localizedTextSchema.optional(),
});

const questionBase = {
  id: idSchema,
  text: localizedTextSchema,
  help: localizedTextSchema.optional(),
  required: z.boolean().default(false),
  visibleIf: conditionSchema.optional(),
};

/** Likelihood to recommend, 0–10. */
export const npsQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('nps'),
  labels: scaleLabelsSchema.optional(),
});

/** Satisfaction, 1–5 (top-2-box = 4 or 5). */
export const csatQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('csat'),
  labels: scaleLabelsSchema.optional(),
});

const scaleMaxSchema = z.int().min(RATING_MIN_SCALE).max(RATING_MAX_SCALE);
const displaySchema = z.enum(['stars', 'numbers']);

/** A 1…max scale (max 2…10). */
export const ratingQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('rating'),
  max: scaleMaxSchema,
  display: displaySchema.default('numbers'),
  labels: scaleLabelsSchema.optional(),
});

/** An "other (please specify)" option: a choice with its own id; the answer may carry a text. */
export const otherOptionSchema = z.strictObject({ id: idSchema, text: localizedTextSchema });

export const singleQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('single'),
  choices: z.array(choiceSchema).min(1),
  other: otherOptionSchema.optional(),
});

export const multiQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('multi'),
  choices: z.array(choiceSchema).min(1),
  other: otherOptionSchema.optional(),
  maxChoices: z.int().min(1).optional(),
});

/**
 * A checklist of problems: every checked problem (including `other`) counts toward PP100;
 * `noProblem` is exclusive and counts as 0 problems.
 */
export const problemsQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('problems'),
  choices: z.array(choiceSchema).min(1),
  other: otherOptionSchema.optional(),
  noProblem: choiceSchema.optional(),
});

export const textQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  variant: z.enum(['short', 'long']).default('long'),
  maxLength: z.int().min(1).max(TEXT_HARD_MAX).optional(),
  placeholder: localizedTextSchema.optional(),
});

export const matrixItemSchema = z.strictObject({ id: idSchema, text: localizedTextSchema });

/** Several items rated on one 1…max scale. */
export const matrixQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('matrix'),
  items: z.array(matrixItemSchema).min(1),
  max: scaleMaxSchema,
  display: displaySchema.default('numbers'),
  labels: scaleLabelsSchema.optional(),
});

export const questionSchema = z.discriminatedUnion('type', [
  npsQuestionSchema,
  csatQuestionSchema,
  ratingQuestionSchema,
  singleQuestionSchema,
  multiQuestionSchema,
  problemsQuestionSchema,
  textQuestionSchema,
  matrixQuestionSchema,
]);

export type NpsQuestion = z.output<typeof npsQuestionSchema>;
export type CsatQuestion = z.output<typeof csatQuestionSchema>;
export type RatingQuestion = z.output<typeof ratingQuestionSchema>;
export type SingleQuestion = z.output<typeof singleQuestionSchema>;
export type MultiQuestion = z.output<typeof multiQuestionSchema>;
export type ProblemsQuestion = z.output<typeof problemsQuestionSchema>;
export type TextQuestion = z.output<typeof textQuestionSchema>;
export type MatrixQuestion = z.output<typeof matrixQuestionSchema>;
export type MatrixItem = z.output<typeof matrixItemSchema>;
export type Question = z.output<typeof questionSchema>;
export type ChoiceQuestion = SingleQuestion | MultiQuestion | ProblemsQuestion;

// ---------------------------------------------------------------------------------------------
// Pages, dimensions, outcomes, settings
// ---------------------------------------------------------------------------------------------

export const pageSchema = z.strictObject({
  id: idSchema,
  title: localizedTextSchema.optional(),
  description: localizedTextSchema.optional(),
  visibleIf: conditionSchema.optional(),
  questions: z.array(questionSchema).min(1),
});
export type Page = z.output<typeof pageSchema>;

/** A csat / rating question (no itemId) or one matrix item (itemId) assigned to a dimension. */
export const dimensionItemRefSchema = z.strictObject({
  questionId: idSchema,
  itemId: idSchema.optional(),
  /** Relative weight of this item inside its dimension (default 1; equal weights = plain mean). */
  weight: z.number().optional(),
});
export type DimensionItemRef = z.output<typeof dimensionItemRefSchema>;

export const dimensionSchema = z.strictObject({
  id: idSchema,
  name: localizedTextSchema,
  /** Design weight w_d of the dimension in the CSI (renormalised over dimensions with data). */
  weight: z.number(),
  items: z.array(dimensionItemRefSchema).min(1),
});
export type Dimension = z.output<typeof dimensionSchema>;

export const outcomesSchema = z.strictObject({
  /** An nps question: likelihood to recommend. */
  recommend: idSchema.optional(),
  /** A csat or rating question: overall satisfaction. */
  overall: idSchema.optional(),
});
export type Outcomes = z.output<typeof outcomesSchema>;

export const settingsSchema = z.strictObject({
  /** Groups with fewer answers return counts but null scores (`suppressed: true`). */
  minN: z.int().min(1).default(5),
});
export type SurveySettings = z.output<typeof settingsSchema>;

/** Shape only (no cross-reference checks). Prefer `surveyDefinitionSchema`. */
export const surveyDefinitionShapeSchema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  defaultLocale: localeSchema,
  locales: z.array(localeSchema).min(1),
  title: localizedTextSchema,
  description: localizedTextSchema.optional(),
  /** Greeting shown above the first page; may pipe rental facts, e.g. `{branch.name}`. */
  intro: localizedTextSchema.optional(),
  thankYou: localizedTextSchema.optional(),
  pages: z.array(pageSchema).min(1),
  dimensions: z.array(dimensionSchema).default([]),
  outcomes: outcomesSchema.default({}),
  settings: settingsSchema.default({ minN: 5 }),
});

export type SurveyDefinition = z.output<typeof surveyDefinitionShapeSchema>;
/** What an author may write (defaults not yet applied). */
export type SurveyDefinitionInput = z.input<typeof surveyDefinitionShapeSchema>;

/** The survey definition: shape + every cross-reference rule (ids, logic, dimensions, outcomes, texts). */
export const surveyDefinitionSchema = surveyDefinitionShapeSchema.superRefine((def, ctx) => {
  for (const issue of crossCheckDefinition(def)) {
    // the rule's code travels in params (see validate.ts)
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { problem: issue.code, ...issue.params } });
  }
});
