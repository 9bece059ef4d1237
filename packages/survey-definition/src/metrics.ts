/**
 * Helpers for the analytics SQL (see docs/statistics.md for the metric definitions).
 */
import type { ProblemsQuestion, Question, SurveyDefinition } from './schema.ts';
import { choiceIdsOf } from './values.ts';
import { allQuestions, findQuestion, scaleOf } from './walk.ts';

export interface DimensionItem {
  dimensionId: string;
  questionId: string;
  /** the matrix item; null for a csat / rating question */
  itemId: string | null;
  /** scale used to rescale an answer x: s = 100 · (x − min) / (max − min) */
  min: number;
  max: number;
  /** relative weight of the item inside its dimension (default 1) */
  itemWeight: number;
}

/** Every (dimension, question, item) assignment in definition order, with its scale and item weight. */
export function dimensionItems(def: SurveyDefinition): DimensionItem[] {
  const out: DimensionItem[] = [];
  for (const d of def.dimensions) {
    for (const ref of d.items) {
      const q = findQuestion(def, ref.questionId);
      const scale = q ? scaleOf(q) : null;
      if (!q || !scale) continue; // not possible in a validated definition
      out.push({
        dimensionId: d.id,
        questionId: ref.questionId,
        itemId: ref.itemId ?? null,
        min: scale.min,
        max: scale.max,
        itemWeight: ref.weight ?? 1,
      });
    }
  }
  return out;
}

export interface MetricQuestions {
  /** NPS (0–10): outcomes.recommend, else the first nps question */
  nps: string | null;
  /**
   * CSAT (top-2-box of 1–5): outcomes.overall when it is a csat question or a 5-point rating,
   * else the first csat question
   */
  csat: string | null;
  /** PP100: the first problems question */
  problems: string | null;
  /** every text question, in document order */
  comments: string[];
}

function isFivePoint(q: Question | undefined): boolean {
  return !!q && (q.type === 'csat' || (q.type === 'rating' && q.max === 5));
}

/** Which question each headline metric reads. */
export function metricQuestions(def: SurveyDefinition): MetricQuestions {
  const questions = allQuestions(def);
  const recommend = def.outcomes.recommend ? findQuestion(def, def.outcomes.recommend) : undefined;
  const overall = def.outcomes.overall ? findQuestion(def, def.outcomes.overall) : undefined;
  return {
    nps: recommend?.type === 'nps' ? recommend.id : (questions.find((q) => q.type === 'nps')?.id ?? null),
    csat: isFivePoint(overall) ? overall!.id : (questions.find((q) => q.type === 'csat')?.id ?? null),
    problems: questions.find((q) => q.type === 'problems')?.id ?? null,
    comments: questions.filter((q) => q.type === 'text').map((q) => q.id),
  };
}

/** The "no problem" choice id of a problems question (null when it has none or is not a problems question). */
export function noProblemChoiceId(def: SurveyDefinition, questionId: string): string | null {
  const q = findQuestion(def, questionId);
  return q?.type === 'problems' ? (q.noProblem?.id ?? null) : null;
}

/**
 * Problems counted toward PP100 in one answer: the checked ids except "no problem" (an "other" problem
 * counts as one). Accepts the answer value `{ choices }` or the stored choiceIds array.
 */
export function countProblems(question: ProblemsQuestion, answer: { choices: string[] } | readonly string[] | null | undefined): number {
  const ids = Array.isArray(answer) ? (answer as readonly string[]) : choiceIdsOf(answer);
  const none = question.noProblem?.id;
  return new Set(ids.filter((id) => id !== none)).size;
}
