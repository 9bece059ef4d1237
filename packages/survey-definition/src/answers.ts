/**
 * Answers: value format of the public JSON API, validation, and the storage rows.
 *
 * Value per type (answers are keyed by question id; `null` or a missing key = not answered):
 *   nps (0–10), csat (1–5), rating (1–max): an integer
 *   single:            { choice: id, other?: string }      (other only with the question's other.id)
 *   multi, problems:   { choices: id[], other?: string }   (problems: the "no problem" id alone, or problems)
 *   text:              a string (trimmed before storing; only spaces = not answered)
 *   matrix:            { [itemId]: integer }                (one scale for every item)
 *
 * Storage (`AnswerRow`, keyed by ids, one row per answered question; matrix: one row per answered item):
 *   number types  → valueNumber
 *   single        → choiceIds [choice], valueText = other text or null
 *   multi         → choiceIds = the checked ids, valueText = other text or null
 *   problems      → choiceIds = the checked ids *as checked*, including the "no problem" id when that
 *                   was the answer (so "answered the checklist" is always a row). Problems counted for
 *                   PP100 = the checked ids other than the question's `noProblem.id` (the "other"
 *                   option is a problem like any other) — see `countProblems` in metrics.ts.
 *   text          → valueText
 *   matrix        → itemId + valueNumber per item
 */
import { isStorableText } from './storable-text.ts';
import { OTHER_TEXT_MAX, TEXT_HARD_MAX } from './constants.ts';
import { computeVisibility } from './logic.ts';
import type { Question, SurveyDefinition } from './schema.ts';
import { isAnswered, isPlainObject, type Answers, type MatrixAnswer } from './values.ts';
import { choiceOptions, findQuestion, questionPositions, scaleOf } from './walk.ts';

export type {
  AnswerValue,
  Answers,
  MatrixAnswer,
  MultiAnswer,
  NumberAnswer,
  SingleAnswer,
  TextAnswer,
} from './values.ts';
export { isAnswered } from './values.ts';

export type AnswerFaultCode =
  /** the answers are not a JSON object */
  | 'invalid_answers'
  | 'unknown_question'
  | 'wrong_type'
  | 'out_of_range'
  | 'unknown_choice'
  | 'unknown_item'
  | 'duplicate_choice'
  | 'too_many_choices'
  /** an "other" text without the other option chosen */
  | 'other_not_allowed'
  | 'too_long'
  /** the "no problem" choice together with problems */
  | 'no_problem_exclusive'
  /** an answer to a question the display logic hides */
  | 'hidden'
  /** final submit: a required visible question (or matrix item) has no answer */
  | 'required';

export interface AnswerFault {
  questionId: string;
  /** the matrix item concerned, when there is one */
  itemId?: string;
  code: AnswerFaultCode;
  message: { en: string; 'zh-CN': string };
}

export interface ValidateAnswersOptions {
  /** final submit: also report required visible questions without an answer */
  final: boolean;
}

/** Largest text accepted for a text question: its maxLength, capped at TEXT_HARD_MAX (5000). */
export function textLimit(question: Question): number {
  return question.type === 'text' && question.maxLength !== undefined ? Math.min(question.maxLength, TEXT_HARD_MAX) : TEXT_HARD_MAX;
}

function fault(questionId: string, code: AnswerFaultCode, en: string, zh: string, itemId?: string): AnswerFault {
  return itemId === undefined ? { questionId, code, message: { en, 'zh-CN': zh } } : { questionId, itemId, code, message: { en, 'zh-CN': zh } };
}

const unstorableText = (id: string) => fault(id, 'wrong_type', 'The text contains characters that are not allowed.', '文字中含有不允许的字符。');

const wrongType = (id: string, expected: string, expectedZh: string, itemId?: string) =>
  fault(id, 'wrong_type', `Expected ${expected}.`, `答案格式错误：应为${expectedZh}。`, itemId);

function checkInteger(out: AnswerFault[], id: string, value: unknown, min: number, max: number, itemId?: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    out.push(wrongType(id, `an integer from ${min} to ${max}`, `${min} 到 ${max} 之间的整数`, itemId));
  } else if (value < min || value > max) {
    out.push(fault(id, 'out_of_range', `The answer must be from ${min} to ${max}.`, `答案必须在 ${min} 到 ${max} 之间。`, itemId));
  }
}

function checkOther(out: AnswerFault[], question: Question, other: unknown, chosen: string[]): void {
  if (other === undefined || other === null) return;
  const id = question.id;
  if (typeof other !== 'string') {
    out.push(wrongType(id, '"other" to be a string', '“其他”为文本'));
    return;
  }
  if (!isStorableText(other)) out.push(unstorableText(id));
  const otherId = 'other' in question && question.other ? question.other.id : undefined;
  if (other.trim() !== '' && (otherId === undefined || !chosen.includes(otherId))) {
    out.push(fault(id, 'other_not_allowed', 'An "other" text is only allowed with the "other" choice.', '只有选择“其他”时才能填写说明。'));
  }
  if (other.length > OTHER_TEXT_MAX) {
    out.push(fault(id, 'too_long', `The "other" text may be at most ${OTHER_TEXT_MAX} characters.`, `“其他”说明最多 ${OTHER_TEXT_MAX} 个字。`));
  }
}

function checkValue(out: AnswerFault[], q: Question, value: unknown): void {
  const id = q.id;
  switch (q.type) {
    case 'nps':
    case 'csat':
    case 'rating': {
      const { min, max } = scaleOf(q)!;
      checkInteger(out, id, value, min, max);
      return;
    }
    case 'text': {
      if (typeof value !== 'string') {
        out.push(wrongType(id, 'a text', '文本'));
        return;
      }
      if (!isStorableText(value)) out.push(unstorableText(id));
      const limit = textLimit(q);
      if (value.length > limit) {
        out.push(fault(id, 'too_long', `The text may be at most ${limit} characters.`, `文字最多 ${limit} 个字。`));
      }
      return;
    }
    case 'single': {
      if (!isPlainObject(value) || typeof value.choice !== 'string' || Object.keys(value).some((k) => k !== 'choice' && k !== 'other')) {
        out.push(wrongType(id, '{ "choice": id, "other"?: text }', '{ "choice": 选项, "other"?: 文本 }'));
        return;
      }
      const ids = choiceOptions(q).map((o) => o.choice.id);
      if (!ids.includes(value.choice)) {
        out.push(fault(id, 'unknown_choice', `Unknown choice "${value.choice}".`, `选项“${value.choice}”不存在。`));
      }
      checkOther(out, q, value.other, [value.choice]);
      return;
    }
    case 'multi':
    case 'problems': {
      if (
        !isPlainObject(value) ||
        !Array.isArray(value.choices) ||
        value.choices.some((c) => typeof c !== 'string') ||
        Object.keys(value).some((k) => k !== 'choices' && k !== 'other')
      ) {
        out.push(wrongType(id, '{ "choices": id[], "other"?: text }', '{ "choices": 选项数组, "other"?: 文本 }'));
        return;
      }
      const chosen = value.choices as string[];
      const ids = choiceOptions(q).map((o) => o.choice.id);
      const seen = new Set<string>();
      for (const c of chosen) {
        if (seen.has(c)) out.push(fault(id, 'duplicate_choice', `Choice "${c}" is given twice.`, `选项“${c}”重复。`));
        seen.add(c);
        if (!ids.includes(c)) out.push(fault(id, 'unknown_choice', `Unknown choice "${c}".`, `选项“${c}”不存在。`));
      }
      if (q.type === 'multi' && q.maxChoices !== undefined && seen.size > q.maxChoices) {
        out.push(fault(id, 'too_many_choices', `At most ${q.maxChoices} choices may be selected.`, `最多可选 ${q.maxChoices} 项。`));
      }
      if (q.type === 'problems' && q.noProblem && seen.has(q.noProblem.id) && seen.size > 1) {
        out.push(fault(id, 'no_problem_exclusive', '"No problem" cannot be combined with problems.', '“没有遇到问题”不能与其他问题同时选择。'));
      }
      checkOther(out, q, value.other, chosen);
      return;
    }
    case 'matrix': {
      if (!isPlainObject(value)) {
        out.push(wrongType(id, '{ [itemId]: integer }', '{ 子项: 整数 }'));
        return;
      }
      const itemIds = q.items.map((it) => it.id);
      for (const [itemId, v] of Object.entries(value)) {
        if (!itemIds.includes(itemId)) {
          out.push(fault(id, 'unknown_item', `Unknown item "${itemId}".`, `子项“${itemId}”不存在。`, itemId));
          continue;
        }
        if (v === null || v === undefined) continue;
        checkInteger(out, id, v, 1, q.max, itemId);
      }
      return;
    }
  }
}

/**
 * Checks answers against the definition (the public API's rules). Returns [] when all is well.
 * Hidden = hidden by the display logic evaluated on these same answers.
 */
export function validateAnswers(def: SurveyDefinition, answers: unknown, options: ValidateAnswersOptions = { final: false }): AnswerFault[] {
  if (!isPlainObject(answers)) {
    return [fault('', 'invalid_answers', 'Answers must be a JSON object keyed by question id.', '答案必须是以题目编号为键的 JSON 对象。')];
  }
  const out: AnswerFault[] = [];
  const visibility = computeVisibility(def, answers);
  for (const [questionId, value] of Object.entries(answers)) {
    const q = findQuestion(def, questionId);
    if (!q) {
      out.push(fault(questionId, 'unknown_question', `Unknown question "${questionId}".`, `题目“${questionId}”不存在。`));
      continue;
    }
    if (!isAnswered(q, value)) continue;
    if (!visibility.questions.get(questionId)) {
      out.push(fault(questionId, 'hidden', 'This question is not shown for the answers given.', '根据已有回答，此题不显示，不能作答。'));
      continue;
    }
    checkValue(out, q, value);
  }
  if (options.final) {
    for (const { question: q } of questionPositions(def)) {
      if (!q.required || !visibility.questions.get(q.id)) continue;
      const value = answers[q.id];
      if (q.type === 'matrix') {
        const given = isPlainObject(value) ? value : {};
        for (const item of q.items) {
          if (given[item.id] === null || given[item.id] === undefined) {
            out.push(fault(q.id, 'required', 'Please rate this item.', '请为此项评分。', item.id));
          }
        }
      } else if (!isAnswered(q, value)) {
        out.push(fault(q.id, 'required', 'Please answer this question.', '请回答此题。'));
      }
    }
  }
  return out;
}

export interface AnswerRow {
  questionId: string;
  /** matrix item id; null for every other type */
  itemId: string | null;
  valueNumber: number | null;
  choiceIds: string[] | null;
  valueText: string | null;
}

function otherText(v: Record<string, unknown>): string | null {
  return typeof v.other === 'string' && v.other.trim() !== '' ? v.other.trim() : null;
}

/**
 * Answers → storage rows, in document order (matrix: in item order). Unknown questions and unanswered
 * values are skipped; call validateAnswers first (this does not re-check values or visibility).
 */
export function toAnswerRows(def: SurveyDefinition, answers: Answers | Record<string, unknown>): AnswerRow[] {
  const rows: AnswerRow[] = [];
  const row = (questionId: string, partial: Partial<AnswerRow>): AnswerRow => ({
    questionId,
    itemId: null,
    valueNumber: null,
    choiceIds: null,
    valueText: null,
    ...partial,
  });
  for (const { question: q } of questionPositions(def)) {
    const value: unknown = answers[q.id];
    if (!isAnswered(q, value)) continue;
    switch (q.type) {
      case 'nps':
      case 'csat':
      case 'rating':
        if (typeof value === 'number') rows.push(row(q.id, { valueNumber: value }));
        break;
      case 'text':
        if (typeof value === 'string') rows.push(row(q.id, { valueText: value.trim() }));
        break;
      case 'single':
        if (isPlainObject(value) && typeof value.choice === 'string') {
          rows.push(row(q.id, { choiceIds: [value.choice], valueText: otherText(value) }));
        }
        break;
      case 'multi':
      case 'problems':
        if (isPlainObject(value) && Array.isArray(value.choices)) {
          rows.push(row(q.id, { choiceIds: [...(value.choices as string[])], valueText: otherText(value) }));
        }
        break;
      case 'matrix':
        if (isPlainObject(value)) {
          for (const item of q.items) {
            const v = value[item.id];
            if (typeof v === 'number') rows.push(row(q.id, { itemId: item.id, valueNumber: v }));
          }
        }
        break;
    }
  }
  return rows;
}

/**
 * Storage rows → answers (to resume a partial response). Needs the definition to tell a single from a
 * multi choice; rows of questions the definition does not have are dropped.
 */
export function fromAnswerRows(def: SurveyDefinition, rows: readonly AnswerRow[]): Answers {
  const answers: Answers = {};
  for (const r of rows) {
    const q = findQuestion(def, r.questionId);
    if (!q) continue;
    switch (q.type) {
      case 'nps':
      case 'csat':
      case 'rating':
        if (r.valueNumber !== null) answers[q.id] = r.valueNumber;
        break;
      case 'text':
        if (r.valueText !== null) answers[q.id] = r.valueText;
        break;
      case 'single':
        if (r.choiceIds && r.choiceIds.length > 0) {
          answers[q.id] = r.valueText !== null ? { choice: r.choiceIds[0], other: r.valueText } : { choice: r.choiceIds[0] };
        }
        break;
      case 'multi':
      case 'problems':
        if (r.choiceIds) {
          answers[q.id] = r.valueText !== null ? { choices: [...r.choiceIds], other: r.valueText } : { choices: [...r.choiceIds] };
        }
        break;
      case 'matrix':
        if (r.itemId !== null && r.valueNumber !== null) {
          const m = (answers[q.id] ?? {}) as MatrixAnswer;
          m[r.itemId] = r.valueNumber;
          answers[q.id] = m;
        }
        break;
    }
  }
  return answers;
}
