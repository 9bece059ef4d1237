import type { AnswerValue, LocalizedText } from './definition';
import type { FieldErrors } from './flow';
import type { PageAnswers } from './form-data';
import type { SurveyLocale } from './texts';

/** Localizes (and pipes the rental facts into) one text of the definition. */
export type Translate = (text: LocalizedText | null | undefined) => string;

/** What every question-type component receives. */
export interface QuestionProps<Q> {
  question: Q;
  value: unknown;
  t: Translate;
  locale: SurveyLocale;
  /** unique prefix for element ids */
  idBase: string;
  /** ids of the help / error texts */
  describedBy?: string;
  errors: Record<string, string>;
  /** JavaScript is running (live counters, …) */
  live: boolean;
  disabled: boolean;
  onchange: (value: AnswerValue | null) => void;
}

/** What the thank-you state shows (everything already in the customer's language). */
export interface ThankYou {
  locale: SurveyLocale;
  /** the survey's thank-you text, piped ('' = the default text) */
  text: string;
  npsCategory: 'promoter' | 'passive' | 'detractor' | null;
  shareUrl: string | null;
  followUpPromised: boolean;
  optOutUrl: string | null;
}

/** Returned by every action (success and failure alike). */
export interface SurveyActionData {
  pageIndex?: number;
  locale?: SurveyLocale;
  errors?: FieldErrors;
  /** what was posted for the page when it could not be saved (to show it again) */
  answers?: PageAnswers;
  message?: string;
  finished?: ThankYou;
}

