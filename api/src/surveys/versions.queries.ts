import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { surveys, surveyVersions } from '../db/schema.ts';
import { notFound, ProblemError } from '../lib/problem.ts';
import { compareVersions, validateSurveyDefinition, type SurveyDefinition } from './definition/index.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

function invalidDefinition(issues: { path: string; message: string }[]) {
  return new ProblemError(400, 'Invalid survey definition', `${issues.length} problem(s) in the definition`, issues);
}

export async function createSurvey(db: Database | Tx, input: { name: string; kind?: string; definition: unknown }, now = new Date()) {
  const checked = validateSurveyDefinition(input.definition);
  if (!checked.ok) throw invalidDefinition(checked.issues);
  const [row] = await db
    .insert(surveys)
    .values({ name: input.name, kind: input.kind ?? 'custom', draftDefinition: checked.definition, createdAt: now, updatedAt: now, draftUpdatedAt: now })
    .returning();
  return row;
}

/** Freezes the draft as the next immutable version and makes the survey active. */
export async function publishSurvey(db: Database | Tx, surveyId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [survey] = await tx.select().from(surveys).where(eq(surveys.id, surveyId)).for('update');
    if (!survey) throw notFound('No such survey');
    if (survey.status === 'archived') throw new ProblemError(409, 'Archived', 'An archived survey cannot be published');
    const checked = validateSurveyDefinition(survey.draftDefinition);
    if (!checked.ok) throw invalidDefinition(checked.issues);
    const [previous] = await tx
      .select()
      .from(surveyVersions)
      .where(eq(surveyVersions.surveyId, surveyId))
      .orderBy(sql`${surveyVersions.version} desc`)
      .limit(1);
    const changeSummary = previous ? compareVersions(previous.definition as SurveyDefinition, checked.definition) : null;
    const [version] = await tx
      .insert(surveyVersions)
      .values({
        surveyId,
        version: (previous?.version ?? 0) + 1,
        definition: checked.definition,
        changeSummary,
        publishedAt: now,
      })
      .returning();
    await tx.update(surveys).set({ status: 'active', updatedAt: now }).where(and(eq(surveys.id, surveyId)));
    return version;
  });
}
