// The SQL of the survey context (survey-context.ts).
import type { Sql } from '../../db/client.ts';
import type { SurveyDefinition } from '@rs/survey-definition';

/** The survey's kind with each published definition, newest version first. */
export async function publishedDefinitions(sql: Sql, surveyId: string) {
  return sql<{ kind: string; definition: SurveyDefinition }[]>`
    select s.kind, v.definition
    from surveys s join survey_versions v on v.survey_id = s.id
    where s.id = ${surveyId}
    order by v.version desc`;
}
