/**
 * Page flow of the answering page, shared by the server (form actions, no JavaScript) and the browser,
 * built on the ONE display logic and validation of the survey definition module.
 */
import {
  computeVisibility,
  conditionReferences,
  validateAnswers,
  visiblePageIndexes,
  type AnswerFault,
  type AnswerValue,
  type Answers,
  type SurveyDefinition,
} from './definition';
import type { PageAnswers } from './form-data';
import { faultMessage, st, type SurveyLocale } from './texts';

/** Errors shown beside the questions: key = question id, or "questionId.itemId" for one matrix item. */
export type FieldErrors = Record<string, string>;

/** Saved answers with a page's answers over them (null removes), like the API's PUT does. */
export function mergeAnswers(saved: Answers, incoming: PageAnswers): Answers {
  const merged: Answers = { ...saved };
  for (const [id, value] of Object.entries(incoming)) {
    if (value === null || value === undefined) delete merged[id];
    else merged[id] = value;
  }
  return merged;
}

/** Only the answers to shown questions (answers to questions hidden by the logic are dropped). */
export function effectiveAnswers(definition: SurveyDefinition, answers: Answers): Answers {
  const visibility = computeVisibility(definition, answers);
  const out: Answers = {};
  for (const [id, value] of Object.entries(answers)) {
    if (value !== null && value !== undefined && visibility.questions.get(id)) out[id] = value;
  }
  return out;
}

/**
 * What to send to the API after a page: its answers, and `null` for every saved answer that is now
 * cleared or hidden by the logic (the API validates the merged answers, so stale hidden answers would be
 * refused). `answers` = the effective answers after the change.
 */
export function changeSet(definition: SurveyDefinition, saved: Answers, page: PageAnswers): { payload: Record<string, AnswerValue | null>; answers: Answers } {
  const merged = mergeAnswers(saved, page);
  const visibility = computeVisibility(definition, merged);
  const payload: Record<string, AnswerValue | null> = {};
  for (const [id, value] of Object.entries(page)) {
    const keep = value !== null && value !== undefined && visibility.questions.get(id) === true;
    if (keep) payload[id] = value;
    else if (saved[id] !== null && saved[id] !== undefined) payload[id] = null;
  }
  for (const [id, value] of Object.entries(saved)) {
    if (id in payload || value === null || value === undefined) continue;
    if (!visibility.questions.get(id)) payload[id] = null;
  }
  return { payload, answers: effectiveAnswers(definition, merged) };
}

/** Indexes (in definition.pages) of the pages shown for these answers, in order. */
export { visiblePageIndexes };

export function nextPageIndex(definition: SurveyDefinition, answers: Answers, current: number): number | null {
  return visiblePageIndexes(definition, answers).find((i) => i > current) ?? null;
}

export function previousPageIndex(definition: SurveyDefinition, answers: Answers, current: number): number | null {
  const before = visiblePageIndexes(definition, answers).filter((i) => i < current);
  return before.length > 0 ? before[before.length - 1] : null;
}

/** A shown page for `wanted` (itself when shown, else the next shown one, else the last shown one). */
export function shownPageIndex(definition: SurveyDefinition, answers: Answers, wanted: number): number {
  const shown = visiblePageIndexes(definition, answers);
  if (shown.length === 0) return 0;
  return shown.find((i) => i >= wanted) ?? shown[shown.length - 1];
}

/** Position of a page among the shown pages: { position (1-based), count }. */
export function pageProgress(definition: SurveyDefinition, answers: Answers, current: number): { position: number; count: number } {
  const shown = visiblePageIndexes(definition, answers);
  const before = shown.filter((i) => i < current).length;
  const count = Math.max(shown.includes(current) ? shown.length : shown.length + 1, 1);
  return { position: Math.min(before + 1, count), count };
}

/**
 * Question ids to render on a page. `live` (JavaScript running): exactly the shown ones. Without
 * JavaScript the page cannot hide questions as the customer answers, so questions whose condition refers
 * to a question on the same page are rendered too; answers to those that end up hidden are dropped on the
 * server (see changeSet).
 */
export function renderedQuestionIds(definition: SurveyDefinition, answers: Answers, pageIndex: number, live: boolean): Set<string> {
  const page = definition.pages[pageIndex];
  const out = new Set<string>();
  if (!page) return out;
  const visibility = computeVisibility(definition, answers);
  const onPage = new Set(page.questions.map((q) => q.id));
  for (const q of page.questions) {
    if (visibility.questions.get(q.id)) out.add(q.id);
    else if (!live && q.visibleIf && visibility.pages.get(page.id)) {
      if (conditionReferences(q.visibleIf).some((ref) => onPage.has(ref.question))) out.add(q.id);
    }
  }
  return out;
}

/** Faults of one page: values of its questions and (final) its required shown questions. */
export function pageFaults(definition: SurveyDefinition, answers: Answers, pageIndex: number, final = true): AnswerFault[] {
  const page = definition.pages[pageIndex];
  if (!page) return [];
  const ids = new Set(page.questions.map((q) => q.id));
  return validateAnswers(definition, answers, { final }).filter((f) => ids.has(f.questionId));
}

/** Fault list → messages beside the questions, in the customer's language. */
export function faultsToErrors(
  faults: readonly {
    questionId?: string;
    path?: string;
    itemId?: string;
    code?: string;
    message?: AnswerFault['message'];
    messages?: Record<string, string>;
  }[],
  locale: SurveyLocale,
): FieldErrors {
  const errors: FieldErrors = {};
  const add = (key: string, message: string) => {
    if (!errors[key]) errors[key] = message;
    else if (!errors[key].includes(message)) errors[key] = `${errors[key]} ${message}`;
  };
  for (const f of faults) {
    const questionId = f.questionId ?? f.path ?? '';
    if (!questionId) continue;
    if (f.itemId) {
      add(`${questionId}.${f.itemId}`, faultMessage(f, locale));
      add(questionId, f.code === 'required' ? st(locale, 'pleaseRateAll') : faultMessage(f, locale));
    } else {
      add(questionId, faultMessage(f, locale));
    }
  }
  return errors;
}

/** The first page (in definition order) holding a question with an error. */
export function firstErrorPageIndex(definition: SurveyDefinition, errors: FieldErrors): number | null {
  const ids = new Set(Object.keys(errors).map((k) => k.split('.')[0]));
  const index = definition.pages.findIndex((p) => p.questions.some((q) => ids.has(q.id)));
  return index === -1 ? null : index;
}

/** Errors without those of one question (and its items). */
export function withoutErrorsOf(errors: FieldErrors, questionId: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key !== questionId && !key.startsWith(`${questionId}.`)) out[key] = message;
  }
  return out;
}
