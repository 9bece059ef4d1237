// What every builder component reads from the page: the model, the edits, the issues and the locale.
import { getContext, setContext } from 'svelte';
import type { Locale, SurveyDefinition } from '@rs/survey-definition';
import type { UiLocale } from '$lib/i18n';
import type { OpResult, Path } from './model';

export interface BuilderContext {
  readonly def: SurveyDefinition;
  readonly ui: UiLocale;
  readonly locales: Locale[];
  readonly defaultLocale: Locale;
  /** JavaScript is running: edits apply in the browser; otherwise buttons post to the server. */
  readonly live: boolean;
  /** Applies one control's value(s) ("<kind>:<path>"). */
  edit(name: string, values: string[]): void;
  /** Applies a structural edit ("<verb>|<path>|<arg>"); `focusSuffix` picks the control to focus after it. */
  op(op: string, focusSuffix?: string): OpResult;
  /** Messages of the issues that belong to the control at this path (see issueField). */
  errorsAt(path: Path): string[];
  /** Messages of every issue at or below this path. */
  errorsUnder(path: Path): string[];
  /** Ids that exist in the published version (they must not change). */
  isPublishedId(kind: 'question' | 'page' | 'dimension' | 'choice' | 'item', id: string, questionId?: string): boolean;
}

const KEY = Symbol('builder');

export const setBuilder = (ctx: BuilderContext) => setContext(KEY, ctx);
export const builder = () => getContext<BuilderContext>(KEY);
