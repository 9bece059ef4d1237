/** Constants shared by the survey-definition modules (no imports: safe in any import cycle). */

/** Stable ids of questions, matrix items, choices, pages and dimensions. Never change once published. */
export const ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const SUPPORTED_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** Hard cap on any free-text answer, whatever the question says. */
export const TEXT_HARD_MAX = 5000;
/** Cap on the "other (please specify)" text of a choice question. */
export const OTHER_TEXT_MAX = 500;
/** Largest rating / matrix scale (1…N). */
export const RATING_MAX_SCALE = 10;
export const RATING_MIN_SCALE = 2;

export const COMPARE_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
export const SET_OPERATORS = ['in', 'not_in'] as const;
export const PRESENCE_OPERATORS = ['answered', 'not_answered'] as const;
export const OPERATORS = [...COMPARE_OPERATORS, ...SET_OPERATORS, ...PRESENCE_OPERATORS] as const;
export type Operator = (typeof OPERATORS)[number];

export const QUESTION_TYPES = ['nps', 'csat', 'rating', 'single', 'multi', 'problems', 'text', 'matrix'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
