// The builder's live preview runs the customers' form in an <iframe> of a phone's width, so that the
// page's media queries (scales wrapping onto two rows, stacked matrices) apply exactly as on a phone.
// The builder page and the frame talk through postMessage (same origin only).
import type { Answers, Locale, PipingFacts, SurveyDefinition } from '@rs/survey-definition';
import type { NavigateAction } from '$lib/survey/SurveyForm.svelte';

/** CSS width of the frame's viewport: a common phone (iPhone 12–15). */
export const PREVIEW_PHONE_WIDTH = 390;

const FRAME_PATH = /^\/surveys\/[^/]+\/preview$/;

/** The frame page: shown without the staff navigation, and may be framed by this site's own pages. */
export const isPreviewFramePath = (pathname: string) => FRAME_PATH.test(pathname);

export interface PreviewState {
  definition: SurveyDefinition;
  locale: Locale;
  facts: PipingFacts;
  pageIndex: number;
  answers: Answers;
}

export type ToFrame = { type: 'rs-preview:state'; state: PreviewState };
export type FromFrame =
  | { type: 'rs-preview:ready' }
  | { type: 'rs-preview:answers'; answers: Answers }
  | { type: 'rs-preview:navigate'; action: NavigateAction }
  | { type: 'rs-preview:height'; height: number };

export const isMessage = (data: unknown): data is { type: string } =>
  !!data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string' && (data as { type: string }).type.startsWith('rs-preview:');
