/**
 * Display logic — the ONE implementation, used by the server (validation, storage) and the browser.
 *
 * Semantics
 * - A page is shown when its `visibleIf` holds; a question when its page is shown and its own `visibleIf`
 *   holds. Pages whose questions are all hidden are dropped by `visiblePages`.
 * - Only answers to *visible* questions count: an answer to a hidden question is treated as not answered
 *   by every later condition (so hiding cascades). Definitions only refer backwards (validated), so one
 *   pass in document order is enough.
 * - `answered` / `not_answered`: whether the question (or matrix item) has an answer.
 * - Every other operator is false when the question is not answered (`neq` and `not_in` included).
 * - Number questions (nps, csat, rating, a matrix item via `item`): eq, neq, lt, lte, gt, gte, in, not_in
 *   compare the number.
 * - Choice questions (single, multi, problems): `eq v` = v is chosen / checked, `neq v` = v is not,
 *   `in [..]` = at least one of them is chosen, `not_in [..]` = none of them is.
 * - Text questions and whole matrix questions: only answered / not_answered.
 * - `{ all: [...] }` holds when every member holds, `{ any: [...] }` when at least one does; groups nest.
 */
import type { Condition, ConditionValue, Page, Question, RuleCondition, SurveyDefinition } from './schema.ts';
import { choiceIdsOf, isAnswered, isPlainObject } from './values.ts';
import { findQuestion } from './walk.ts';

type AnswerBag = Record<string, unknown>;
type Lookup = (questionId: string) => Question | undefined;

function compareNumbers(op: RuleCondition['op'], x: number, value: ConditionValue | ConditionValue[] | undefined): boolean {
  switch (op) {
    case 'eq':
      return x === value;
    case 'neq':
      return typeof value === 'number' && x !== value;
    case 'lt':
      return typeof value === 'number' && x < value;
    case 'lte':
      return typeof value === 'number' && x <= value;
    case 'gt':
      return typeof value === 'number' && x > value;
    case 'gte':
      return typeof value === 'number' && x >= value;
    case 'in':
      return Array.isArray(value) && value.includes(x);
    case 'not_in':
      return Array.isArray(value) && !value.includes(x);
    default:
      return false;
  }
}

function evaluateRule(rule: RuleCondition, lookup: Lookup, answers: AnswerBag): boolean {
  const question = lookup(rule.question);
  let raw: unknown = answers[rule.question];
  if (rule.item !== undefined) raw = isPlainObject(raw) ? raw[rule.item] : undefined;
  const answered = rule.item !== undefined ? raw !== null && raw !== undefined : isAnswered(question, raw);
  if (rule.op === 'answered') return answered;
  if (rule.op === 'not_answered') return !answered;
  if (!answered || !question) return false;
  const value = (rule as { value?: ConditionValue | ConditionValue[] }).value;

  if (question.type === 'single' || question.type === 'multi' || question.type === 'problems') {
    const chosen = choiceIdsOf(raw);
    switch (rule.op) {
      case 'eq':
        return typeof value === 'string' && chosen.includes(value);
      case 'neq':
        return typeof value === 'string' && !chosen.includes(value);
      case 'in':
        return Array.isArray(value) && value.some((v) => typeof v === 'string' && chosen.includes(v));
      case 'not_in':
        return Array.isArray(value) && !value.some((v) => typeof v === 'string' && chosen.includes(v));
      default:
        return false;
    }
  }
  if (question.type === 'text' || (question.type === 'matrix' && rule.item === undefined)) return false;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return false;
  return compareNumbers(rule.op, raw, value);
}

function evaluate(condition: Condition, lookup: Lookup, answers: AnswerBag): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, lookup, answers));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, lookup, answers));
  return evaluateRule(condition, lookup, answers);
}

/**
 * Evaluates one condition against the answers as given (no visibility pruning: pass
 * `pruneHiddenAnswers(def, answers)` if hidden answers may be present). A missing condition holds.
 */
export function evaluateCondition(def: SurveyDefinition, condition: Condition | undefined, answers: AnswerBag): boolean {
  if (!condition) return true;
  return evaluate(condition, (id) => findQuestion(def, id), answers);
}

export interface Visibility {
  pages: Map<string, boolean>;
  questions: Map<string, boolean>;
}

/** Visibility of every page and question, in one pass in document order. */
export function computeVisibility(def: SurveyDefinition, answers: AnswerBag | null | undefined): Visibility {
  const given: AnswerBag = isPlainObject(answers) ? answers : {};
  const pages = new Map<string, boolean>();
  const questions = new Map<string, boolean>();
  const byId = new Map<string, Question>();
  for (const page of def.pages) for (const q of page.questions) if (!byId.has(q.id)) byId.set(q.id, q);
  // the answers of the questions known to be visible so far
  const effective: AnswerBag = {};
  const lookup: Lookup = (id) => byId.get(id);
  for (const page of def.pages) {
    const pageShown = !page.visibleIf || evaluate(page.visibleIf, lookup, effective);
    pages.set(page.id, pageShown);
    for (const q of page.questions) {
      const shown = pageShown && (!q.visibleIf || evaluate(q.visibleIf, lookup, effective));
      questions.set(q.id, shown);
      if (shown && Object.hasOwn(given, q.id)) effective[q.id] = given[q.id];
    }
  }
  return { pages, questions };
}

/** Whether the question (or, if no question has this id, the page) with this id is shown. */
export function isVisible(def: SurveyDefinition, answers: AnswerBag, id: string): boolean {
  const v = computeVisibility(def, answers);
  return v.questions.get(id) ?? v.pages.get(id) ?? false;
}

/** Ids of the shown questions, in document order. */
export function visibleQuestionIds(def: SurveyDefinition, answers: AnswerBag): string[] {
  const v = computeVisibility(def, answers);
  return [...v.questions].filter(([, shown]) => shown).map(([id]) => id);
}

/** The shown pages, each with only its shown questions; pages with no shown question are left out. */
export function visiblePages(def: SurveyDefinition, answers: AnswerBag): Page[] {
  const v = computeVisibility(def, answers);
  return def.pages
    .filter((p) => v.pages.get(p.id))
    .map((p) => ({ ...p, questions: p.questions.filter((q) => v.questions.get(q.id)) }))
    .filter((p) => p.questions.length > 0);
}

/** Indexes (in def.pages) of the shown pages, in order: the pages `visiblePages` keeps. */
export function visiblePageIndexes(def: SurveyDefinition, answers: AnswerBag): number[] {
  const v = computeVisibility(def, answers);
  const out: number[] = [];
  def.pages.forEach((page, index) => {
    if (v.pages.get(page.id) && page.questions.some((q) => v.questions.get(q.id))) out.push(index);
  });
  return out;
}

/** The answers without those to unknown or hidden questions (what the browser should submit). */
export function pruneHiddenAnswers<T extends AnswerBag>(def: SurveyDefinition, answers: T): Partial<T> {
  const v = computeVisibility(def, answers);
  const out: AnswerBag = {};
  for (const [id, value] of Object.entries(answers)) if (v.questions.get(id)) out[id] = value;
  return out as Partial<T>;
}

/** Question ids a condition refers to (with the path of each reference), for validation and editors. */
export function conditionReferences(condition: Condition, path = ''): { question: string; item?: string; rule: RuleCondition; path: string }[] {
  const prefix = path ? `${path}.` : '';
  if ('all' in condition) return condition.all.flatMap((c, i) => conditionReferences(c, `${prefix}all.${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => conditionReferences(c, `${prefix}any.${i}`));
  return [{ question: condition.question, item: condition.item, rule: condition, path }];
}
