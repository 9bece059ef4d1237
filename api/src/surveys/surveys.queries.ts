import { eq, sql } from 'drizzle-orm';
import { inBranchScope } from '../access/scope.ts';
import type { Database, Sql } from '../db/client.ts';
import { surveys, surveyVersions } from '../db/schema.ts';
import { surveysReceivingRentals } from '../distribution/rentals.queries.ts';
import { conflict, notFound } from '../lib/problem.ts';
import { validateSurveyDefinition, type SurveyDefinition } from '@rs/survey-definition';
import { invalidDefinition } from './versions.queries.ts';

type Status = 'draft' | 'active' | 'archived';
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

interface SummaryRow {
  id: string;
  name: string;
  kind: string;
  status: Status;
  latestVersion: number | null;
  publishedAt: string | null;
  draftUpdatedAt: string;
  unpublishedChanges: boolean;
  responses: number;
}

/** The surveys new rentals are invited to (each for the rentals its invitation targets match). */
const rentalTargets = (db: Database): Promise<Set<string>> => surveysReceivingRentals(db);

// Response and invitation counts are the caller's: a branch manager counts only their branches.
export async function listSurveySummaries(
  { db, sql }: { db: Database; sql: Sql },
  filter: { status?: Status; unpublished?: boolean } = {},
  scope: string[] | null = null,
) {
  const rows = await sql<SummaryRow[]>`
    select s.id, s.name, s.kind, s.status,
           v.version as "latestVersion",
           to_char(v.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt",
           to_char(s.draft_updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "draftUpdatedAt",
           (s.draft_definition is distinct from v.definition) as "unpublishedChanges",
           (select count(*) from responses r where r.survey_id = s.id and r.status = 'finished' and ${inBranchScope(sql, scope, 'r.branch_id')})::int as responses
    from surveys s
    left join lateral (
      select version, published_at, definition from survey_versions x where x.survey_id = s.id order by version desc limit 1
    ) v on true
    where (${filter.status ?? null}::text is null or s.status = ${filter.status ?? null})
    order by s.created_at, s.id`;
  const targets = await rentalTargets(db);
  return rows
    .filter((r) => filter.unpublished === undefined || r.unpublishedChanges === filter.unpublished)
    .map((r) => ({ ...r, receivesRentalInvitations: targets.has(r.id) }));
}

interface VersionRow {
  version: number;
  publishedAt: string;
  changeSummary: { added: unknown[]; removed: unknown[]; changed: unknown[]; breaksComparability: boolean } | null;
  invitations: number;
  responses: number;
}

export async function listVersionSummaries(sql: Sql, surveyId: string, scope: string[] | null = null) {
  const rows = await sql<VersionRow[]>`
    select v.version,
           to_char(v.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt",
           v.change_summary as "changeSummary",
           (select count(*) from invitations i where i.survey_version_id = v.id and ${inBranchScope(sql, scope, 'i.branch_id')})::int as invitations,
           (select count(*) from responses r where r.survey_version_id = v.id and r.status = 'finished' and ${inBranchScope(sql, scope, 'r.branch_id')})::int as responses
    from survey_versions v
    where v.survey_id = ${surveyId}
    order by v.version`;
  return rows.map((r) => ({
    version: r.version,
    publishedAt: r.publishedAt,
    breaksComparability: r.changeSummary?.breaksComparability ?? false,
    changes: r.changeSummary ? { added: r.changeSummary.added.length, removed: r.changeSummary.removed.length, changed: r.changeSummary.changed.length } : null,
    invitations: r.invitations,
    responses: r.responses,
  }));
}

interface DetailRow extends SummaryRow {
  createdAt: string;
  /** stored only after validateSurveyDefinition */
  draftDefinition: SurveyDefinition;
}

export async function getSurveyDetail({ db, sql }: { db: Database; sql: Sql }, surveyId: string, scope: string[] | null = null) {
  const [row] = await sql<DetailRow[]>`
    select s.id, s.name, s.kind, s.status, s.draft_definition as "draftDefinition",
           to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
           to_char(s.draft_updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "draftUpdatedAt",
           v.version as "latestVersion",
           (s.draft_definition is distinct from v.definition) as "unpublishedChanges",
           (select count(*) from responses r where r.survey_id = s.id and r.status = 'finished' and ${inBranchScope(sql, scope, 'r.branch_id')})::int as responses
    from surveys s
    left join lateral (
      select version, definition from survey_versions x where x.survey_id = s.id order by version desc limit 1
    ) v on true
    where s.id = ${surveyId}`;
  if (!row) throw notFound('No such survey');
  const targets = await rentalTargets(db);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    createdAt: row.createdAt,
    latestVersion: row.latestVersion,
    responses: row.responses,
    receivesRentalInvitations: targets.has(row.id),
    draft: {
      definition: row.draftDefinition,
      updatedAt: row.draftUpdatedAt,
      baseVersion: row.latestVersion,
      unpublishedChanges: row.unpublishedChanges,
    },
    versions: await listVersionSummaries(sql, surveyId, scope),
  };
}

async function lockSurvey(tx: Tx, surveyId: string) {
  const [row] = await tx.select().from(surveys).where(eq(surveys.id, surveyId)).for('update');
  if (!row) throw notFound('No such survey');
  return row;
}

/**
 * Replaces the draft with a complete definition (validated: nothing is stored when any check fails).
 * Published versions are not touched; the next publish makes a new version of this draft.
 */
export async function updateDraft(db: Database, surveyId: string, input: { definition: unknown; name?: string; expectedUpdatedAt?: string }, now: Date) {
  const checked = validateSurveyDefinition(input.definition);
  await db.transaction(async (tx) => {
    const survey = await lockSurvey(tx, surveyId);
    if (survey.status === 'archived') throw conflict('The survey is archived: unarchive it to edit its draft');
    if (input.expectedUpdatedAt && Date.parse(input.expectedUpdatedAt) !== survey.draftUpdatedAt.getTime()) {
      throw conflict(`The draft was saved by someone else at ${survey.draftUpdatedAt.toISOString()}; reload it before saving`);
    }
    if (!checked.ok) throw invalidDefinition(checked.issues);
    await tx
      .update(surveys)
      .set({ draftDefinition: checked.definition, name: input.name ?? survey.name, draftUpdatedAt: now, updatedAt: now })
      .where(eq(surveys.id, surveyId));
  });
}

export async function setArchived(db: Database, surveyId: string, archived: boolean, now: Date) {
  await db.transaction(async (tx) => {
    const survey = await lockSurvey(tx, surveyId);
    let status: Status;
    if (archived) status = 'archived';
    else if (survey.status !== 'archived') return;
    else {
      const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId));
      status = count > 0 ? 'active' : 'draft';
    }
    await tx.update(surveys).set({ status, updatedAt: now }).where(eq(surveys.id, surveyId));
  });
}

/** A new survey (status draft, no versions) whose draft is a copy of this survey's draft. */
export async function duplicateSurvey(sql: Sql, surveyId: string, name: string | undefined, now: Date): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into surveys (name, kind, status, draft_definition, draft_updated_at, created_at, updated_at)
    select coalesce(${name ?? null}::text, name || ' (2)'), kind, 'draft', draft_definition, ${now.toISOString()}, ${now.toISOString()}, ${now.toISOString()}
    from surveys where id = ${surveyId}
    returning id`;
  if (!row) throw notFound('No such survey');
  return row.id;
}
