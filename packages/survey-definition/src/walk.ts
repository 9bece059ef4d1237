/** Traversal helpers over a survey definition (positions, paths, every localized text). */
import type { Choice, LocalizedText, Page, Question, SurveyDefinition } from './schema.ts';

export interface QuestionPosition {
  question: Question;
  page: Page;
  pageIndex: number;
  questionIndex: number;
  /** Index of the question in the whole survey (document order). */
  order: number;
  /** e.g. "pages.1.questions.0" */
  path: string;
}

/** Every question in document order with its position. */
export function questionPositions(def: SurveyDefinition): QuestionPosition[] {
  const out: QuestionPosition[] = [];
  def.pages.forEach((page, pageIndex) =>
    page.questions.forEach((question, questionIndex) =>
      out.push({
        question,
        page,
        pageIndex,
        questionIndex,
        order: out.length,
        path: `pages.${pageIndex}.questions.${questionIndex}`,
      }),
    ),
  );
  return out;
}

/** Every question in document order. */
export function allQuestions(def: SurveyDefinition): Question[] {
  return def.pages.flatMap((p) => p.questions);
}

/** Question id → position (the first one when ids are duplicated). */
export function questionMap(def: SurveyDefinition): Map<string, QuestionPosition> {
  const map = new Map<string, QuestionPosition>();
  for (const pos of questionPositions(def)) if (!map.has(pos.question.id)) map.set(pos.question.id, pos);
  return map;
}

export function findQuestion(def: SurveyDefinition, questionId: string): Question | undefined {
  for (const page of def.pages) for (const q of page.questions) if (q.id === questionId) return q;
  return undefined;
}

export interface ChoiceOption {
  choice: Choice;
  role: 'choice' | 'other' | 'noProblem';
  /** Path relative to the question, e.g. "choices.2", "other", "noProblem". */
  path: string;
}

/** All selectable options of a single / multi / problems question: choices, then other, then noProblem. */
export function choiceOptions(question: Question): ChoiceOption[] {
  if (question.type !== 'single' && question.type !== 'multi' && question.type !== 'problems') return [];
  const out: ChoiceOption[] = question.choices.map((choice, i) => ({ choice, role: 'choice' as const, path: `choices.${i}` }));
  if (question.other) out.push({ choice: question.other, role: 'other', path: 'other' });
  if (question.type === 'problems' && question.noProblem) {
    out.push({ choice: question.noProblem, role: 'noProblem', path: 'noProblem' });
  }
  return out;
}

export interface TextEntry {
  /** e.g. "pages.0.questions.2.choices.1.text" */
  path: string;
  text: LocalizedText;
}

/** Every localized text of the definition with its path. */
export function collectTexts(def: SurveyDefinition): TextEntry[] {
  const out: TextEntry[] = [];
  const add = (path: string, text: LocalizedText | undefined) => {
    if (text) out.push({ path, text });
  };
  add('title', def.title);
  add('description', def.description);
  add('intro', def.intro);
  add('thankYou', def.thankYou);
  def.pages.forEach((page, pi) => {
    add(`pages.${pi}.title`, page.title);
    add(`pages.${pi}.description`, page.description);
    page.questions.forEach((q, qi) => {
      const base = `pages.${pi}.questions.${qi}`;
      add(`${base}.text`, q.text);
      add(`${base}.help`, q.help);
      if ('labels' in q && q.labels) {
        add(`${base}.labels.min`, q.labels.min);
        add(`${base}.labels.max`, q.labels.max);
      }
      for (const opt of choiceOptions(q)) add(`${base}.${opt.path}.text`, opt.choice.text);
      if (q.type === 'text') add(`${base}.placeholder`, q.placeholder);
      if (q.type === 'matrix') q.items.forEach((item, ii) => add(`${base}.items.${ii}.text`, item.text));
    });
  });
  def.dimensions.forEach((d, di) => add(`dimensions.${di}.name`, d.name));
  return out;
}

/** The scale of a number question (for a matrix: of each item); null for other types. */
export function scaleOf(question: Question): { min: number; max: number } | null {
  switch (question.type) {
    case 'nps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'rating':
    case 'matrix':
      return { min: 1, max: question.max };
    default:
      return null;
  }
}
