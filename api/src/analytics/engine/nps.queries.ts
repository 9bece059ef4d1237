import { PASSIVE_MIN_SCORE, PROMOTER_MIN_SCORE } from './statistics/nps.ts';

/**
 * SQL text of the NPS category ('promoter', 'passive', 'detractor', or null for no score) of a 0–10 score
 * column, the SQL twin of npsCategory() in statistics/nps.ts. `column` is an expression the query builds
 * itself (never input); use it in string-built SQL, or as sql.unsafe(npsCategorySql(…)) in a template.
 */
export function npsCategorySql(column: string): string {
  return `(case when ${column} >= ${PROMOTER_MIN_SCORE} then 'promoter' when ${column} >= ${PASSIVE_MIN_SCORE} then 'passive' when ${column} is not null then 'detractor' end)`;
}
