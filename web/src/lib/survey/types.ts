import type { AnswerValue, LocalizedText } from './definition';
import type { FieldErrors } from './flow';
import type { PageAnswers } from './form-data';
import type { SurveyLocale } from './texts';
import type { ThankYouReward } from '@rs/api/contract';

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
  /** the reward code this response was given (never dependent on the answers); null without one */
  reward?: ThankYouReward | null;
}

/**
 * A link that cannot be answered, and what the page says instead, in one language: already answered
 * (with the day), expired, or the generic text for a link we do not know (which tells nothing more).
 */
export interface ClosedLink {
  reason: 'finished' | 'expired' | 'unknown';
  locale: SurveyLocale;
  /** finished: the day the answers came, formatted for the locale */
  answeredOn: string | null;
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
  closed?: ClosedLink;
}
