// Alert rules, the teams cases can go to, and the escalation contacts.
import { and, asc, desc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { branchScopeWhere } from '../access/scope.ts';
import type { Database } from '../db/client.ts';
import { alertRules, answers, branches, caseTeams, cases, customers, escalationContacts, rentals, responses, surveys, surveyVersions } from '../db/schema.ts';
import { conflict, notFound, unprocessable } from '../lib/problem.ts';
import { fromAnswerRows, type SurveyDefinition } from '@rs/survey-definition';
import type { Executor } from './assignment.ts';
import type { BusinessHours } from './business-hours.ts';
import type { RuleInput } from './cases.schemas.ts';
import { evaluateRule, triggerProblems, type Filter, type Trigger } from './rules.ts';

type RuleRow = typeof alertRules.$inferSelect;

function ruleView(row: RuleRow & { surveyName: string; teamName: string | null; cases: number }) {
  return {
    id: row.id,
    surveyId: row.surveyId,
    surveyName: row.surveyName,
    name: row.name,
    enabled: row.enabled,
    triggers: row.triggers as Trigger[],
    filters: (row.filters ?? []) as Filter[],
    priority: row.priority,
    assignTo: row.assignTo,
    teamId: row.teamId,
    teamName: row.teamName,
    firstResponseHours: row.firstResponseHours,
    resolutionHours: row.resolutionHours,
    businessHours: (row.businessHours as BusinessHours | null) ?? null,
    followUpSurvey: row.followUpSurvey,
    cases: row.cases,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** `scope`: the caller's branches (null = all); a branch manager's case counts are their branches' only. */
function selectRules(db: Database, scope: string[] | null) {
  return db
    .select({
      rule: alertRules,
      surveyName: surveys.name,
      teamName: caseTeams.name,
      cases: sql<number>`(select count(*)::int from ${cases} where ${cases.ruleId} = ${alertRules.id} and ${branchScopeWhere(scope, cases.branchId) ?? sql`true`})`,
    })
    .from(alertRules)
    .innerJoin(surveys, eq(surveys.id, alertRules.surveyId))
    .leftJoin(caseTeams, eq(caseTeams.id, alertRules.teamId));
}

export async function listRules(db: Database, surveyId?: string, scope: string[] | null = null) {
  const rows = await selectRules(db, scope)
    .where(surveyId ? eq(alertRules.surveyId, surveyId) : undefined)
    .orderBy(asc(surveys.name), asc(alertRules.name));
  return rows.map((r) => ruleView({ ...r.rule, surveyName: r.surveyName, teamName: r.teamName, cases: r.cases }));
}

export async function getRule(db: Database, id: string, scope: string[] | null = null) {
  const [row] = await selectRules(db, scope).where(eq(alertRules.id, id));
  if (!row) throw notFound('No such rule');
  return ruleView({ ...row.rule, surveyName: row.surveyName, teamName: row.teamName, cases: row.cases });
}

/** The survey's newest published definition, which the triggers are checked against. */
async function latestDefinition(db: Database, surveyId: string): Promise<SurveyDefinition | null> {
  const [survey] = await db.select({ id: surveys.id, draft: surveys.draftDefinition }).from(surveys).where(eq(surveys.id, surveyId));
  if (!survey) throw unprocessable('Unknown survey', [{ path: 'surveyId', message: 'no such survey' }]);
  const [version] = await db
    .select({ definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, surveyId))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  return ((version?.definition ?? survey.draft) as SurveyDefinition | null) ?? null;
}

async function checkRule(db: Database, input: RuleInput) {
  const definition = await latestDefinition(db, input.surveyId);
  const problems = definition ? triggerProblems(input.triggers, definition) : [];
  if (input.assignTo === 'team' && input.teamId) {
    const [team] = await db.select({ id: caseTeams.id }).from(caseTeams).where(eq(caseTeams.id, input.teamId));
    if (!team) problems.push({ path: 'teamId', message: 'no such team' });
  }
  if (problems.length > 0) throw unprocessable('The rule does not fit the survey', problems);
}

export async function createRule(db: Database, input: RuleInput, at: Date) {
  await checkRule(db, input);
  const [row] = await db
    .insert(alertRules)
    .values({ ...input, teamId: input.assignTo === 'team' ? input.teamId : null, createdAt: at, updatedAt: at })
    .returning({ id: alertRules.id });
  return getRule(db, row.id);
}

export async function updateRule(db: Database, id: string, input: RuleInput, at: Date) {
  const [existing] = await db.select().from(alertRules).where(eq(alertRules.id, id));
  if (!existing) throw notFound('No such rule');
  if (existing.surveyId !== input.surveyId) {
    const [used] = await db.select({ n: sql<number>`count(*)::int` }).from(cases).where(eq(cases.ruleId, id));
    if (used.n > 0) throw conflict('This rule already raised cases; make a new rule for another survey.');
  }
  await checkRule(db, input);
  await db
    .update(alertRules)
    .set({ ...input, teamId: input.assignTo === 'team' ? input.teamId : null, updatedAt: at })
    .where(eq(alertRules.id, id));
  return getRule(db, id);
}

/** Deletes a rule that never raised a case; one that did can only be switched off. */
export async function deleteRule(db: Database, id: string) {
  const [used] = await db.select({ n: sql<number>`count(*)::int` }).from(cases).where(eq(cases.ruleId, id));
  if (used.n > 0) throw conflict('This rule raised cases and stays for their history; switch it off instead.');
  const deleted = await db.delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id });
  if (deleted.length === 0) throw notFound('No such rule');
}

/**
 * A survey's finished responses in [from, to) with what alert rules look at: the definition, the customer,
 * rental and branch (null where the response has none) and the answers. `complete`: only responses that have
 * all three, oldest first (the demo replays them as the evaluation job would have).
 */
export async function responsesForRules(
  db: Executor,
  q: { surveyId: string; from: Date; to?: Date; scope?: string[] | null; limit?: number; complete?: boolean },
) {
  const where = and(
    eq(responses.surveyId, q.surveyId),
    eq(responses.status, 'finished'),
    gte(responses.finishedAt, q.from),
    q.to ? lt(responses.finishedAt, q.to) : undefined,
    branchScopeWhere(q.scope ?? null, responses.branchId),
    q.complete ? and(isNotNull(responses.customerId), isNotNull(responses.rentalId), isNotNull(responses.branchId)) : undefined,
  );
  const query = db
    .select({
      id: responses.id,
      surveyId: responses.surveyId,
      customerId: responses.customerId,
      rentalId: responses.rentalId,
      finishedAt: responses.finishedAt,
      definition: surveyVersions.definition,
      branchId: branches.id,
      branchCode: branches.code,
      region: branches.region,
      timeZone: branches.timeZone,
      valueTier: customers.valueTier,
      customerType: customers.customerType,
      memberLevel: customers.memberLevel,
      vehicleClass: rentals.vehicleClass,
      bookingChannel: rentals.bookingChannel,
      amount: rentals.amount,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .leftJoin(customers, eq(customers.id, responses.customerId))
    .leftJoin(rentals, eq(rentals.id, responses.rentalId))
    .leftJoin(branches, eq(branches.id, responses.branchId))
    .where(where)
    .$dynamic();
  if (q.complete) query.orderBy(responses.finishedAt);
  if (q.limit) query.limit(q.limit);
  const rows = await query;
  const answerRows = rows.length
    ? await db
        .select({
          responseId: answers.responseId,
          questionId: answers.questionId,
          itemId: answers.itemId,
          valueNumber: answers.valueNumber,
          choiceIds: answers.choiceIds,
          valueText: answers.valueText,
        })
        .from(answers)
        .innerJoin(responses, eq(responses.id, answers.responseId))
        .where(where)
    : [];
  const byResponse = new Map<string, typeof answerRows>();
  for (const a of answerRows) {
    const list = byResponse.get(a.responseId) ?? [];
    list.push(a);
    byResponse.set(a.responseId, list);
  }
  return rows.map((r) => ({ ...r, answers: fromAnswerRows(r.definition as SurveyDefinition, byResponse.get(r.id) ?? []) }));
}

/**
 * How many of the survey's finished responses in the last `days` days the rule would have raised a case
 * for, within the caller's branches (`scope`, null = all).
 */
export async function previewRule(db: Database, id: string, days: number, at: Date, scope: string[] | null = null) {
  const [rule] = await db.select().from(alertRules).where(eq(alertRules.id, id));
  if (!rule) throw notFound('No such rule');
  const from = new Date(at.getTime() - days * 86_400_000);
  const rows = await responsesForRules(db, { surveyId: rule.surveyId, from, to: at, scope, limit: 20_000 });
  const conditions = { triggers: rule.triggers as Trigger[], filters: (rule.filters ?? []) as Filter[] };
  let matching = 0;
  for (const r of rows) {
    const outcome = evaluateRule(conditions, {
      definition: r.definition as SurveyDefinition,
      answers: r.answers,
      customer: r.customerType ? { valueTier: r.valueTier, customerType: r.customerType, memberLevel: r.memberLevel } : null,
      rental: r.vehicleClass ? { vehicleClass: r.vehicleClass, bookingChannel: r.bookingChannel!, amount: Number(r.amount) } : null,
      branch: r.branchCode ? { code: r.branchCode, region: r.region! } : null,
    });
    if (outcome.matched) matching++;
  }
  return { responses: rows.length, matching, from: from.toISOString(), to: at.toISOString() };
}

// ── Teams and escalation contacts ────────────────────────────────────────────────────────────────

export async function listTeams(db: Database) {
  return db.select({ id: caseTeams.id, name: caseTeams.name, email: caseTeams.email }).from(caseTeams).orderBy(asc(caseTeams.name));
}

export async function createTeam(db: Database, input: { name: string; email: string }) {
  const [row] = await db
    .insert(caseTeams)
    .values({ name: input.name, email: input.email.toLowerCase() })
    .onConflictDoNothing({ target: caseTeams.name })
    .returning({ id: caseTeams.id, name: caseTeams.name, email: caseTeams.email });
  if (!row) throw conflict(`A team called "${input.name}" exists already`);
  return row;
}

export async function deleteTeam(db: Database, id: string) {
  const [usedByRule] = await db.select({ n: sql<number>`count(*)::int` }).from(alertRules).where(eq(alertRules.teamId, id));
  const [usedByCase] = await db.select({ n: sql<number>`count(*)::int` }).from(cases).where(eq(cases.teamId, id));
  if (usedByRule.n > 0 || usedByCase.n > 0) throw conflict('Rules or cases are assigned to this team');
  const deleted = await db.delete(caseTeams).where(eq(caseTeams.id, id)).returning({ id: caseTeams.id });
  if (deleted.length === 0) throw notFound('No such team');
}

export async function listEscalationContacts(db: Database) {
  return db
    .select({
      id: escalationContacts.id,
      level: escalationContacts.level,
      region: escalationContacts.region,
      name: escalationContacts.name,
      email: escalationContacts.email,
    })
    .from(escalationContacts)
    .orderBy(asc(escalationContacts.level), asc(escalationContacts.region), asc(escalationContacts.name));
}

export async function createEscalationContact(
  db: Database,
  input: { level: 'regional_manager' | 'quality_manager'; region: string | null; name: string; email: string },
) {
  const [row] = await db
    .insert(escalationContacts)
    .values({ level: input.level, region: input.level === 'quality_manager' ? null : input.region, name: input.name, email: input.email.toLowerCase() })
    .onConflictDoNothing()
    .returning({
      id: escalationContacts.id,
      level: escalationContacts.level,
      region: escalationContacts.region,
      name: escalationContacts.name,
      email: escalationContacts.email,
    });
  if (!row) throw conflict('This contact is already on that level');
  return row;
}

export async function deleteEscalationContact(db: Database, id: string) {
  const deleted = await db.delete(escalationContacts).where(eq(escalationContacts.id, id)).returning({ id: escalationContacts.id });
  if (deleted.length === 0) throw notFound('No such contact');
}

export async function listRegions(db: Database) {
  const rows = await db.selectDistinct({ region: branches.region }).from(branches).orderBy(asc(branches.region));
  return rows.map((r) => r.region);
}
