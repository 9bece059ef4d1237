// Form fields of the open-link page besides the survey's own ($lib/survey/form-data.ts).
import type { Answers } from '@rs/survey-definition';
import type { FieldErrors } from '$lib/survey/flow';
import type { SurveyLocale } from '$lib/survey/texts';

/** The signed time the page first opened (the time-on-page check). */
export const TICKET_FIELD = '_ticket';
/** Hidden from people: whatever fills it is not one. */
export const HONEYPOT_FIELD = 'website';
/** The optional rental number or phone. */
export const RENTAL_FIELD = 'rentalRef';

export type OpenProblem = 'tooFast' | 'limit' | 'stale' | 'cookies';

export interface OpenActionData {
  pageIndex?: number;
  locale?: SurveyLocale;
  answers?: Answers;
  errors?: FieldErrors;
  message?: string;
  problem?: OpenProblem;
  ticket?: string;
  /** the rental number or phone as typed (the last page shown again) */
  rentalRef?: string;
  finished?: { locale: SurveyLocale; branch: string };
}
