// What every analytics query needs to know about a survey: all its published versions (questions are
// matched by id across them), the newest definition (metric questions, dimensions, labels) and minN.
import type { Sql } from '../../db/client.ts';
import { notFound } from '../../lib/problem.ts';
import { publishedDefinitions } from './survey-context.queries.ts';
import {
  allQuestions,
  dimensionItems,
  localize,
  metricQuestions,
  type DimensionItem,
  type Locale,
  type MetricQuestions,
  type Question,
  type SurveyDefinition,
} from '@rs/survey-definition';
import { DEFAULT_MIN_N } from './statistics/index.ts';

export interface SurveyContext {
  id: string;
  kind: string;
  /** Newest published version first. */
  definitions: SurveyDefinition[];
  latest: SurveyDefinition;
  minN: number;
  metrics: MetricQuestions;
  dimensionItems: DimensionItem[];
}

export async function loadSurveyContext(sql: Sql, surveyId: string): Promise<SurveyContext> {
  const rows = await publishedDefinitions(sql, surveyId);
  if (rows.length === 0) throw notFound('No published version of this survey');
  const latest = rows[0].definition;
  return {
    id: surveyId,
    kind: rows[0].kind,
    definitions: rows.map((r) => r.definition),
    latest,
    minN: latest.settings?.minN ?? DEFAULT_MIN_N,
    metrics: metricQuestions(latest),
    dimensionItems: dimensionItems(latest),
  };
}

/** A question of the newest version that has it (questions are matched by id across versions). */
export function questionById(survey: SurveyContext, questionId: string): Question | undefined {
  for (const definition of survey.definitions) {
    const found = allQuestions(definition).find((q) => q.id === questionId);
    if (found) return found;
  }
  return undefined;
}

export function localeOf(survey: SurveyContext, lang: string | undefined): Locale {
  return (lang ?? survey.latest.defaultLocale) as Locale;
}

/** Label of a dimension item: the matrix item's text, else the question's text. */
export function itemLabel(survey: SurveyContext, item: { questionId: string; itemId: string | null }, locale: Locale): string {
  const question = questionById(survey, item.questionId);
  if (!question) return item.itemId ? `${item.questionId}.${item.itemId}` : item.questionId;
  const fallback = survey.latest.defaultLocale;
  if (item.itemId && question.type === 'matrix') {
    const matrixItem = question.items.find((i) => i.id === item.itemId);
    if (matrixItem) return localize(matrixItem.text, locale, fallback);
  }
  return localize(question.text, locale, fallback);
}

export function dimensionLabel(survey: SurveyContext, dimensionId: string, locale: Locale): string {
  const dimension = survey.latest.dimensions.find((d) => d.id === dimensionId);
  return dimension ? localize(dimension.name, locale, survey.latest.defaultLocale) : dimensionId;
}
