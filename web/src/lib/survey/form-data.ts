/**
 * Plain HTML form posts <-> answers in the API's format (see packages/survey-definition/src/answers.ts).
 *
 * Field names (question and item ids match /^[a-z][a-z0-9_]*$/, so "." never occurs inside an id):
 *   q.<questionId>            nps / csat / rating: the number; text: the text; single: the choice id;
 *                             multi / problems: one entry per checked choice id (repeated name)
 *   q.<questionId>.other      single / multi / problems: the "other (please specify)" text
 *   q.<questionId>.<itemId>   matrix: the number given to one item
 *   _page                     index of the shown page in definition.pages (not a URL parameter)
 *   _locale                   the language the page was shown in
 *   _lang                     (language switch button) the language to switch to
 *   _carried                  "1": the answers of the other pages, as this page holds them, are posted too
 *                             (hidden fields with the same names), so a submit sends exactly what this
 *                             page shows and nothing another tab saved meanwhile
 *
 * formDataToAnswers reads the questions of the posted page: every question of that page gets a value or
 * `null` (= clear what was saved): a browser does not post unchecked boxes, so "nothing posted" means "no
 * answer". carriedAnswers reads the other pages.
 */
import { choiceOptions, type AnswerValue, type Answers, type Question, type SurveyDefinition } from './definition';

export const PAGE_FIELD = '_page';
export const LOCALE_FIELD = '_locale';
export const LANG_FIELD = '_lang';
export const CARRIED_FIELD = '_carried';

export const fieldName = (questionId: string) => `q.${questionId}`;
export const otherFieldName = (questionId: string) => `q.${questionId}.other`;
export const itemFieldName = (questionId: string, itemId: string) => `q.${questionId}.${itemId}`;

/** What a page's answers look like before merging: a value, or null to clear. */
export type PageAnswers = Record<string, AnswerValue | null>;

type FormLike = Pick<FormData, 'get' | 'getAll'>;

function text(value: FormDataEntryValue | null): string {
  // Form posts send line breaks as CRLF; the browser's maxlength counted them as one character.
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
}

/** A posted number: an integer, '' / missing = null, anything else kept as text (then reported as wrong_type). */
function number(value: FormDataEntryValue | null): number | string | null {
  const raw = text(value).trim();
  if (raw === '') return null;
  return /^-?\d{1,3}$/.test(raw) ? Number(raw) : raw;
}

/** The page index posted in `_page` (null when missing or not a page of this definition). */
export function postedPageIndex(definition: SurveyDefinition, formData: FormLike): number | null {
  const raw = text(formData.get(PAGE_FIELD)).trim();
  if (!/^\d{1,3}$/.test(raw)) return null;
  const index = Number(raw);
  return index < definition.pages.length ? index : null;
}

function parseQuestion(q: Question, formData: FormLike): AnswerValue | null {
  const name = fieldName(q.id);
  switch (q.type) {
    case 'nps':
    case 'csat':
    case 'rating':
      return number(formData.get(name));
    case 'text': {
      const value = text(formData.get(name));
      return value.trim() === '' ? null : value;
    }
    case 'single': {
      let choice = text(formData.get(name)).trim();
      const other = text(formData.get(otherFieldName(q.id))).trim();
      // Typing an "other" text without picking a choice means "other".
      if (choice === '' && other !== '' && q.other) choice = q.other.id;
      if (choice === '') return null;
      return q.other && choice === q.other.id && other !== '' ? { choice, other } : { choice };
    }
    case 'multi':
    case 'problems': {
      const posted = formData
        .getAll(name)
        .map((v) => text(v).trim())
        .filter((v) => v !== '');
      const other = text(formData.get(otherFieldName(q.id))).trim();
      const chosen = new Set(posted);
      // Typing an "other" text means "other" is checked (a browser without JS cannot tick it for you).
      if (other !== '' && q.other) chosen.add(q.other.id);
      if (chosen.size === 0) return null;
      // In the order the options are shown; unknown ids (tampered posts) last, for validation to report.
      const order = choiceOptions(q).map((o) => o.choice.id);
      const choices = [...chosen].sort((a, b) => rank(order, a) - rank(order, b));
      return q.other && chosen.has(q.other.id) && other !== '' ? { choices, other } : { choices };
    }
    case 'matrix': {
      const value: Record<string, number> = {};
      let any = false;
      for (const item of q.items) {
        const v = number(formData.get(itemFieldName(q.id, item.id)));
        if (v === null) continue;
        // a non-number is kept so that validation reports it
        (value as Record<string, unknown>)[item.id] = v;
        any = true;
      }
      return any ? value : null;
    }
  }
}

function rank(order: string[], id: string): number {
  const i = order.indexOf(id);
  return i === -1 ? order.length : i;
}

/**
 * The answers posted for one page of the definition: every question of `definition.pages[pageIndex]`
 * with its value, or null when nothing (or only blanks) was posted for it.
 */
export function formDataToAnswers(definition: SurveyDefinition, formData: FormLike, pageIndex: number): PageAnswers {
  const page = definition.pages[pageIndex];
  const out: PageAnswers = {};
  if (!page) return out;
  for (const q of page.questions) out[q.id] = parseQuestion(q, formData);
  return out;
}

/**
 * The answers of every page but `pageIndex` posted in hidden fields (see CARRIED_FIELD), or null when the
 * form does not carry them.
 */
export function carriedAnswers(definition: SurveyDefinition, formData: FormLike, pageIndex: number): Answers | null {
  if (text(formData.get(CARRIED_FIELD)) !== '1') return null;
  const out: Answers = {};
  definition.pages.forEach((_, index) => {
    if (index === pageIndex) return;
    for (const [id, value] of Object.entries(formDataToAnswers(definition, formData, index))) {
      if (value !== null) out[id] = value;
    }
  });
  return out;
}

/** The hidden fields that carry the answers of every page but `pageIndex` (read back by carriedAnswers). */
export function carriedEntries(definition: SurveyDefinition, answers: Answers, pageIndex: number): [string, string][] {
  return definition.pages.flatMap((_, index) => (index === pageIndex ? [] : answersToEntries(definition, answers, index)));
}

/** The form fields (name, value) that would post these answers for one page: the reverse of formDataToAnswers. */
export function answersToEntries(definition: SurveyDefinition, answers: Answers, pageIndex: number): [string, string][] {
  const page = definition.pages[pageIndex];
  const out: [string, string][] = [];
  if (!page) return out;
  for (const q of page.questions) {
    const value = answers[q.id];
    if (value === null || value === undefined) continue;
    const name = fieldName(q.id);
    switch (q.type) {
      case 'nps':
      case 'csat':
      case 'rating':
      case 'text':
        out.push([name, String(value)]);
        break;
      case 'single': {
        const v = value as { choice?: unknown; other?: unknown };
        if (typeof v.choice === 'string') out.push([name, v.choice]);
        if (typeof v.other === 'string' && v.other !== '') out.push([otherFieldName(q.id), v.other]);
        break;
      }
      case 'multi':
      case 'problems': {
        const v = value as { choices?: unknown; other?: unknown };
        if (Array.isArray(v.choices)) for (const c of v.choices) if (typeof c === 'string') out.push([name, c]);
        if (typeof v.other === 'string' && v.other !== '') out.push([otherFieldName(q.id), v.other]);
        break;
      }
      case 'matrix':
        for (const item of q.items) {
          const v = (value as Record<string, unknown>)[item.id];
          if (v !== null && v !== undefined) out.push([itemFieldName(q.id, item.id), String(v)]);
        }
        break;
    }
  }
  return out;
}

// --- reading one answer for pre-filling the inputs ---------------------------------------------

/** The number of an nps / csat / rating answer (or of a matrix item), else null. */
export function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The chosen id of a single answer, else null. */
export function choiceOf(value: unknown): string | null {
  return value && typeof value === 'object' && typeof (value as { choice?: unknown }).choice === 'string' ? (value as { choice: string }).choice : null;
}

/** The checked ids of a multi / problems answer ([] when none). */
export function choicesOf(value: unknown): string[] {
  const choices = value && typeof value === 'object' ? (value as { choices?: unknown }).choices : undefined;
  return Array.isArray(choices) ? choices.filter((c): c is string => typeof c === 'string') : [];
}

/** The "other" text of a single / multi / problems answer ('' when none). */
export function otherOf(value: unknown): string {
  const other = value && typeof value === 'object' ? (value as { other?: unknown }).other : undefined;
  return typeof other === 'string' ? other : '';
}

/** The value of one matrix item, else null. */
export function itemOf(value: unknown, itemId: string): number | null {
  return value && typeof value === 'object' ? numberOf((value as Record<string, unknown>)[itemId]) : null;
}
