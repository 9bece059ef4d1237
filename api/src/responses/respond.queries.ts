import { eq, sql } from 'drizzle-orm';
import type { Database, Sql } from '../db/client.ts';
import { answers, branches, customers, invitations, rentals, responses, surveyVersions } from '../db/schema.ts';
import { emitResponseFinished } from '../access/webhooks.delivery.ts';
import { onResponseFinished } from '../cases/evaluate.ts';
import { txSql } from '../queue/queue.ts';
import { analyseResponses, ensureDefaultLexicon } from '../text/text.queries.ts';
import { hashToken, TOKEN_PATTERN } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import {
  fromAnswerRows,
  metricQuestions,
  pruneHiddenAnswers,
  toAnswerRows,
  validateAnswers,
  visiblePageIndexes,
  type Answers,
  type Locale,
  type SurveyDefinition,
} from '@rs/survey-definition';
import { pipingFacts } from './piping-facts.ts';
import { npsCategory as npsCategoryOf, type NpsCategory } from '../analytics/engine/statistics/nps.ts';
import { issueReward, rewardOfResponse } from '../rewards/rewards.issue.ts';
import type { ThankYouReward } from '../rewards/rewards.schemas.ts';
import type { RateVerdict } from '../lib/rate-limit.queries.ts';
import { tooMany } from './rate-limit.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export const SUPPORTED_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;

/** One polite answer for unknown (and opted-out) links: it must not tell them apart. */
export const linkUnavailable = () => new ProblemError(404, 'Link not available', 'This survey link is not valid any more. Thank you for your time.');

/**
 * A real link that cannot be answered any more says why (only whoever holds the link learns it), in the
 * customer's language: already answered (with the time) or expired.
 */
function linkGone(reason: 'finished' | 'expired', locale: Locale, answeredAt?: Date | null) {
  return reason === 'finished'
    ? new ProblemError(410, 'Already answered', 'This survey was already answered. Thank you.', undefined, {
        reason,
        locale,
        answeredAt: answeredAt?.toISOString() ?? null,
      })
    : new ProblemError(410, 'Link expired', 'The time to answer this survey has ended.', undefined, { reason, locale });
}

/**
 * Published survey versions never change (a change is a new version), so each process keeps their
 * definitions by version id instead of reading the JSON with every request.
 */
const definitions = new Map<string, SurveyDefinition>();
const DEFINITIONS_KEPT = 500;

async function versionDefinition(db: Database | Tx, versionId: string): Promise<SurveyDefinition> {
  return cachedDefinition(versionId, async () => {
    const [row] = await db.select({ definition: surveyVersions.definition }).from(surveyVersions).where(eq(surveyVersions.id, versionId));
    return row.definition as SurveyDefinition;
  });
}

async function cachedDefinition(versionId: string, load: () => Promise<SurveyDefinition>): Promise<SurveyDefinition> {
  const known = definitions.get(versionId);
  if (known) return known;
  const definition = await load();
  if (definitions.size >= DEFINITIONS_KEPT) definitions.delete(definitions.keys().next().value as string);
  definitions.set(versionId, definition);
  return definition;
}

function invitationQuery(db: Database | Tx, token: string) {
  return db
    .select({
      invitation: invitations,
      version: surveyVersions.version,
      branchName: branches.name,
      branchNameEn: branches.nameEn,
      branchShareUrl: branches.shareUrl,
      customerName: customers.name,
      customerLanguage: customers.preferredLanguage,
      vehicleClass: rentals.vehicleClass,
      pickedUpAt: rentals.pickedUpAt,
      returnedAt: rentals.returnedAt,
    })
    .from(invitations)
    .innerJoin(surveyVersions, eq(surveyVersions.id, invitations.surveyVersionId))
    .innerJoin(branches, eq(branches.id, invitations.branchId))
    .innerJoin(customers, eq(customers.id, invitations.customerId))
    .leftJoin(rentals, eq(rentals.id, invitations.rentalId))
    .where(eq(invitations.tokenHash, hashToken(token)));
}

async function withDefinition(db: Database | Tx, row: Awaited<ReturnType<typeof invitationQuery>>[number] | undefined, malformed: boolean) {
  if (!row || malformed) return null;
  return { ...row, definition: await versionDefinition(db, row.invitation.surveyVersionId) };
}

async function findInvitation(db: Database | Tx, token: string, lock = false) {
  // Malformed tokens take the same path (hash and lookup) as unknown ones, so timing tells nothing apart.
  const malformed = !TOKEN_PATTERN.test(token);
  const query = invitationQuery(db, token);
  const [row] = lock ? await query.for('update', { of: invitations }) : await query;
  return withDefinition(db, row, malformed);
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;
type ResponseRow = typeof responses.$inferSelect;

/**
 * The invitation and its response when the link can still be answered. A finished response wins over
 * everything (its link says "already answered" even after opting out or expiring); an opted-out link is
 * as unknown as a wrong one; an expired link says so.
 */
async function openInvitation(
  db: Database | Tx,
  token: string,
  now: Date,
  opts: { lock?: boolean; locale?: string; acceptLanguage?: string } = {},
): Promise<{ row: InvitationRow; existing: ResponseRow | undefined }> {
  const row = await findInvitation(db, token, opts.lock);
  if (!row) throw linkUnavailable();
  const [existing] = await db.select().from(responses).where(eq(responses.invitationId, row.invitation.id));
  assertAnswerable(row, existing, now, opts);
  return { row, existing };
}

function assertAnswerable(row: InvitationRow, existing: ResponseRow | undefined, now: Date, opts: { locale?: string; acceptLanguage?: string }) {
  const locale = () => pickLocale(row.definition, opts.locale, existing?.locale ?? row.customerLanguage, opts.acceptLanguage);
  if (existing?.status === 'finished') throw linkGone('finished', locale(), existing.finishedAt);
  if (row.invitation.status === 'opted_out') throw linkUnavailable();
  if (row.invitation.expiresAt <= now || row.invitation.status === 'expired') throw linkGone('expired', locale());
}

function pickLocale(def: SurveyDefinition, requested: string | undefined, preferred: string | null, acceptLanguage: string | undefined): Locale {
  const offered = new Set<string>(def.locales ?? [def.defaultLocale]);
  if (requested && offered.has(requested)) return requested as Locale;
  if (preferred && offered.has(preferred)) return preferred as Locale;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim();
    if (!tag) continue;
    if (offered.has(tag)) return tag as Locale;
    const lower = tag.toLowerCase();
    if ((lower === 'zh-hk' || lower === 'zh-mo' || lower.startsWith('zh-hant')) && offered.has('zh-TW')) return 'zh-TW';
    if (lower.startsWith('zh') && offered.has('zh-CN')) return 'zh-CN';
    if (lower.startsWith('en') && offered.has('en')) return 'en';
  }
  return def.defaultLocale;
}

/**
 * Where a returning customer continues: the page of their last save, but never past the furthest page
 * shown to them (nor a page the answers now hide: then the shown page before it). Without a saved page
 * (a new response, or one saved without a page) the first shown page.
 */
export function resumePageIndex(def: SurveyDefinition, answers: Answers, saved: { resumePage: number | null; furthestPage: number | null }) {
  const shown = visiblePageIndexes(def, answers);
  if (shown.length === 0) return 0;
  const wanted = Math.min(saved.resumePage ?? shown[0], saved.furthestPage ?? shown[0]);
  return shown.filter((i) => i <= wanted).at(-1) ?? shown[0];
}

/**
 * The page to store with a save: `page` (an index in definition.pages) when it is shown for these answers
 * and at most one shown page past the furthest page seen so far; else the last shown page before that
 * limit (the customer cannot be sent past pages they have not seen).
 */
function pageToStore(def: SurveyDefinition, answers: Answers, page: number, furthestPage: number | null) {
  if (page >= def.pages.length) {
    throw new ProblemError(400, 'Invalid page', `There is no page ${page} in this survey.`, [
      { path: 'page', code: 'unknown_page', message: `page must be an index of the survey's pages, 0 to ${def.pages.length - 1}.` },
    ]);
  }
  const shown = visiblePageIndexes(def, answers);
  if (shown.length === 0) return { resumePage: 0, furthestPage: furthestPage ?? 0 };
  const furthest = furthestPage ?? shown[0];
  const limit = shown.find((i) => i > furthest) ?? furthest;
  const resumePage = shown.filter((i) => i <= Math.min(page, limit)).at(-1) ?? shown[0];
  return { resumePage, furthestPage: Math.max(furthest, resumePage) };
}

/** A response's answers as stored (fromAnswerRows turns them into answers); cases and rules read them so too. */
export async function answerRowsOf(db: Database | Tx, responseId: string) {
  return db
    .select({
      questionId: answers.questionId,
      itemId: answers.itemId,
      valueNumber: answers.valueNumber,
      choiceIds: answers.choiceIds,
      valueText: answers.valueText,
    })
    .from(answers)
    .where(eq(answers.responseId, responseId));
}

async function loadAnswers(db: Database | Tx, def: SurveyDefinition, responseId: string): Promise<Answers> {
  return fromAnswerRows(def, await answerRowsOf(db, responseId));
}

export async function openRespondSession(db: Database, token: string, now: Date, opts: { locale?: string; acceptLanguage?: string }) {
  const { row, existing } = await openInvitation(db, token, now, opts);
  if (!row.invitation.openedAt) {
    await db
      .update(invitations)
      .set({
        openedAt: now,
        status: sql`case when ${invitations.status} in ('scheduled', 'sent', 'failed') then 'opened' else ${invitations.status} end`,
      })
      .where(eq(invitations.id, row.invitation.id));
  }
  const locale = pickLocale(row.definition, opts.locale, existing?.locale ?? row.customerLanguage, opts.acceptLanguage);
  const saved = existing ? await loadAnswers(db, row.definition, existing.id) : {};
  return {
    survey: { id: row.invitation.surveyId, versionId: row.invitation.surveyVersionId, version: row.version, definition: row.definition },
    locale,
    facts: pipingFacts(row, locale),
    answers: saved,
    page: resumePageIndex(row.definition, saved, { resumePage: existing?.resumePage ?? null, furthestPage: existing?.furthestPage ?? null }),
    status: (existing ? 'partial' : 'new') as 'new' | 'partial',
  };
}

/**
 * Merges new answers over the saved ones; `null` removes an answer. Saved answers that the new ones hide
 * (a changed NPS hiding its follow-up) are dropped; new answers to hidden questions stay and are rejected.
 */
function mergeAnswers(def: SurveyDefinition, saved: Answers, incoming: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...saved };
  for (const [id, value] of Object.entries(incoming)) {
    if (value === null) delete merged[id];
    else merged[id] = value;
  }
  const kept: Record<string, unknown> = pruneHiddenAnswers(def, merged);
  for (const id of Object.keys(incoming)) if (id in merged) kept[id] = merged[id];
  return kept;
}

function assertValid(def: SurveyDefinition, candidate: Record<string, unknown>, final: boolean) {
  const faults = validateAnswers(def, candidate, { final });
  if (faults.length > 0) {
    throw new ProblemError(
      400,
      'Invalid answers',
      `${faults.length} answer(s) could not be accepted`,
      faults.map((f) => ({ path: f.questionId, code: f.code, message: f.message.en, messages: f.message }) as never),
    );
  }
  return candidate as Answers;
}

async function replaceAnswers(tx: Tx, def: SurveyDefinition, responseId: string, values: Answers) {
  await tx.delete(answers).where(eq(answers.responseId, responseId));
  const rows = toAnswerRows(def, values);
  if (rows.length > 0) await tx.insert(answers).values(rows.map((r) => ({ ...r, responseId })));
}

interface WriteInput {
  answers: Record<string, unknown>;
  locale?: string;
  /** save only: index (in definition.pages) of the page the customer is on after this save */
  page?: number;
}

export async function saveRespondAnswers(db: Database, token: string, now: Date, input: WriteInput) {
  return db.transaction(async (tx) => {
    const found = await openInvitation(tx, token, now, { lock: true, locale: input.locale }).catch((e: unknown) => {
      if (e instanceof ProblemError && e.extensions.reason === 'finished') {
        throw new ProblemError(409, 'Already finished', 'This survey was already submitted.');
      }
      throw e;
    });
    const { row, existing } = found;
    const saved = existing ? await loadAnswers(tx, row.definition, existing.id) : {};
    const merged = assertValid(row.definition, mergeAnswers(row.definition, saved, input.answers), false);
    const position = input.page === undefined ? null : pageToStore(row.definition, merged, input.page, existing?.furthestPage ?? null);
    const responseId = existing?.id ?? (await createResponse(tx, row, input.locale ?? row.definition.defaultLocale, now));
    const changes = {
      ...(existing && input.locale && input.locale !== existing.locale ? { locale: input.locale } : {}),
      ...(position ?? {}),
    };
    if (Object.keys(changes).length > 0) {
      await tx
        .update(responses)
        .set({ ...changes, updatedAt: now })
        .where(eq(responses.id, responseId));
    }
    await replaceAnswers(tx, row.definition, responseId, merged);
    await markStarted(tx, row.invitation.id);
    return { responseId, status: 'partial' as const, page: position?.resumePage ?? existing?.resumePage ?? null };
  });
}

function responseValues(row: InvitationRow, id: string, now: Date) {
  return {
    id,
    invitationId: row.invitation.id,
    surveyId: row.invitation.surveyId,
    surveyVersionId: row.invitation.surveyVersionId,
    branchId: row.invitation.branchId,
    customerId: row.invitation.customerId,
    rentalId: row.invitation.rentalId,
    startedAt: row.invitation.openedAt ?? now,
    updatedAt: now,
  };
}

async function createResponse(tx: Tx, row: InvitationRow, locale: string, now: Date) {
  const [created] = await tx
    .insert(responses)
    .values({ ...responseValues(row, crypto.randomUUID(), now), locale, status: 'partial' })
    .returning({ id: responses.id });
  return created.id;
}

async function markStarted(tx: Tx, invitationId: string) {
  await tx
    .update(invitations)
    .set({ status: sql`case when ${invitations.status} in ('scheduled', 'sent', 'opened', 'failed') then 'started' else ${invitations.status} end` })
    .where(eq(invitations.id, invitationId));
}

function npsCategory(def: SurveyDefinition, values: Answers): NpsCategory | null {
  const npsId = metricQuestions(def).nps;
  const score = npsId ? values[npsId] : undefined;
  return typeof score === 'number' ? npsCategoryOf(score) : null;
}

/** The submitted answers as they are: `null` means no answer. */
function submittedAnswers(incoming: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(incoming)) if (value !== null) out[id] = value;
  return out;
}

/** Whether these answer rows hold a comment, as the text analysis selects them (btrim drops spaces only). */
const hasComment = (rows: { itemId: string | null; valueText: string | null }[]) =>
  rows.some((r) => r.itemId === null && r.valueText !== null && /[^ ]/.test(r.valueText));

/**
 * Finishes the response with exactly the submitted answers: they replace whatever draft was saved (another
 * tab's unsent answers included), in one transaction. Repeating it returns the finished response.
 * Statements that do not wait for each other's results are sent together (pipelined on the transaction's
 * connection, run in the order sent). The path of a draft, a repeat, and of surveys with alert rules,
 * webhooks or rewards (submitRespondAnswers takes the others).
 */
async function submitInTransaction(db: Database, token: string, now: Date, input: WriteInput) {
  return db.transaction(async (tx) => {
    const malformed = !TOKEN_PATTERN.test(token);
    // The row lock serialises double clicks and two tabs: the second one finds the finished response. The
    // response is read by the statement after the lock (sent with it), so it sees what the first committed.
    const [[found], [existing]] = await Promise.all([
      invitationQuery(tx, token).for('update', { of: invitations }),
      tx
        .select()
        .from(responses)
        .where(sql`${responses.invitationId} = (select ${invitations.id} from ${invitations} where ${invitations.tokenHash} = ${hashToken(token)})`),
    ]);
    const row = await withDefinition(tx, found, malformed);
    if (!row) throw linkUnavailable();
    if (existing?.status === 'finished') {
      const [values, reward] = await Promise.all([
        loadAnswers(tx, row.definition, existing.id),
        rewardOfResponse(tx, existing.id, input.locale ?? existing.locale ?? row.definition.defaultLocale),
      ]);
      return thankYou(row, existing.id, values, true, false, reward);
    }
    assertAnswerable(row, existing, now, { locale: input.locale });
    const merged = assertValid(row.definition, submittedAnswers(input.answers), true);
    const locale = input.locale ?? existing?.locale ?? row.definition.defaultLocale;
    const startedAt = existing?.startedAt ?? row.invitation.openedAt ?? now;
    const finished = { status: 'finished' as const, finishedAt: now, locale, durationMs: Math.max(0, now.getTime() - startedAt.getTime()), updatedAt: now };
    const responseId = existing?.id ?? crypto.randomUUID();
    const rows = toAnswerRows(row.definition, merged).map((r) => ({ ...r, responseId }));
    await Promise.all([
      existing
        ? tx.update(responses).set(finished).where(eq(responses.id, responseId))
        : tx.insert(responses).values({ ...responseValues(row, responseId, now), ...finished, startedAt }),
      // A new response has no answers (nor analysed text) yet; a draft's are replaced.
      existing ? tx.delete(answers).where(eq(answers.responseId, responseId)) : null,
      rows.length > 0 ? tx.insert(answers).values(rows) : null,
      tx.update(invitations).set({ status: 'finished' }).where(eq(invitations.id, row.invitation.id)),
      // Topics and sentiment of the comments, stored with the response (alert rules may test a topic).
      existing || hasComment(rows) ? analyseResponses(txSql(tx), [responseId]) : null,
    ]);
    const [{ followUpPromised }, , reward] = await Promise.all([
      onResponseFinished(tx, {
        responseId,
        surveyId: row.invitation.surveyId,
        definition: row.definition,
        answers: merged,
        customerId: row.invitation.customerId,
        rentalId: row.invitation.rentalId,
        branchId: row.invitation.branchId,
      }),
      emitResponseFinished(tx, responseId, now),
      // A reward code of the survey's programme, whatever the answers (rewards/rewards.issue.ts).
      issueReward(tx, {
        surveyId: row.invitation.surveyId,
        responseId,
        customerId: row.invitation.customerId,
        branchId: row.invitation.branchId,
        locale,
        now,
      }),
    ]);
    return thankYou(row, responseId, merged, false, followUpPromised, reward);
  });
}

const lexicons = new WeakMap<Sql, Promise<void>>();

/**
 * The shipped lexicon, written (and committed) through the pool before the first submit of this process.
 * Seeded inside a submit's transaction, it would be cached by this process while other transactions cannot
 * see its topics yet, and their analysis would refer to topics that do not exist for them (a foreign-key
 * failure on response_topics, seen on fresh databases under concurrent submits).
 */
function lexiconSeeded(pool: Sql): Promise<void> {
  let seeded = lexicons.get(pool);
  if (!seeded) {
    seeded = ensureDefaultLexicon(pool).catch((error: unknown) => {
      lexicons.delete(pool);
      throw error;
    });
    lexicons.set(pool, seeded);
  }
  return seeded;
}

/** Awaits every statement sent; the first failure, if any, is thrown once all have settled. */
async function allSent<T extends readonly unknown[]>(sent: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as never;
}

interface SubmitTarget {
  id: string;
  survey_id: string;
  survey_version_id: string;
  branch_id: string;
  customer_id: string;
  rental_id: string | null;
  status: string;
  expires_at: Date;
  opened_at: Date | null;
  share_url: string | null;
}

/** The invitation behind a token, locked until the transaction ends (a double click waits here). */
function lockSubmitTarget(sql: Sql, tokenHash: string) {
  return sql<SubmitTarget[]>`
    select i.id, i.survey_id, i.survey_version_id, i.branch_id, i.customer_id, i.rental_id, i.status, i.expires_at, i.opened_at,
      b.share_url
    from invitations i join branches b on b.id = i.branch_id
    where i.token_hash = ${tokenHash}
    for update of i`;
}

/**
 * Whether the submit needs more than the write (a response exists, or the survey has enabled alert rules,
 * webhooks on finished responses, or an active reward programme). A statement after the lock: it sees what
 * a concurrent submit of the same link committed.
 */
function submitNeeds(sql: Sql, tokenHash: string) {
  return sql<{ response: boolean; rules: boolean; webhooks: boolean; rewards: boolean }[]>`
    select exists (select 1 from responses r join invitations i on i.id = r.invitation_id where i.token_hash = ${tokenHash}) as response,
      exists (select 1 from alert_rules a join invitations i on i.survey_id = a.survey_id where i.token_hash = ${tokenHash} and a.enabled) as rules,
      exists (select 1 from webhooks where active and 'response.finished' = any(events)) as webhooks,
      exists (select 1 from reward_programmes p join invitations i on i.survey_id = p.survey_id where i.token_hash = ${tokenHash} and p.active) as rewards`;
}

async function definitionOf(sql: Sql, versionId: string): Promise<SurveyDefinition> {
  const [row] = await sql<{ definition: SurveyDefinition }[]>`select definition from survey_versions where id = ${versionId}`;
  return row.definition;
}

function insertFinishedResponse(sql: Sql, r: ReturnType<typeof responseValues> & { locale: string; finishedAt: Date; durationMs: number; startedAt: Date }) {
  return sql`
    insert into responses (id, invitation_id, survey_id, survey_version_id, branch_id, customer_id, rental_id, locale, status,
      started_at, finished_at, duration_ms, updated_at)
    values (${r.id}, ${r.invitationId}, ${r.surveyId}, ${r.surveyVersionId}, ${r.branchId}, ${r.customerId}, ${r.rentalId}, ${r.locale}, 'finished',
      ${r.startedAt.toISOString()}::timestamptz, ${r.finishedAt.toISOString()}::timestamptz, ${r.durationMs}, ${r.updatedAt.toISOString()}::timestamptz)`;
}

/** The answer rows in one statement whatever their number (one prepared statement for every submit). */
function insertAnswerRows(sql: Sql, responseId: string, rows: ReturnType<typeof toAnswerRows>) {
  return sql`
    insert into answers (response_id, question_id, item_id, value_number, choice_ids, value_text)
    select ${responseId}::uuid, a.question_id, a.item_id, a.value_number, a.choice_ids, a.value_text
    from jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({ question_id: r.questionId, item_id: r.itemId, value_number: r.valueNumber, choice_ids: r.choiceIds, value_text: r.valueText })),
    )}::jsonb) as a(question_id text, item_id text, value_number float8, choice_ids text[], value_text text)`;
}

function finishInvitation(sql: Sql, invitationId: string) {
  return sql`update invitations set status = 'finished' where id = ${invitationId}`;
}

/**
 * Submits in one transaction of three round trips for the common case, a first submit of a survey without
 * alert rules, webhooks or rewards: (1) begin; (2) the link's rate-limit hit, the invitation's lock and what
 * the submit needs; (3) the response, its answer rows, the invitation's status and commit, sent together.
 * A comment's analysis (topics, sentiment) runs between them and commit. Anything else (a draft, a repeat,
 * an expired or opted-out link, rules, webhooks, rewards) commits the hit and goes the way of
 * submitInTransaction. The hit is counted in the same transaction, also when the submit is refused.
 *
 * The driver's transaction (`sql.begin`), not a reserved connection: a transaction whose connection closes
 * (a database restart) fails at once, whereas statements queued on a reserved connection that closes are
 * never settled, and a reservation asked for while the database is down can stay waiting after it is back.
 */
export async function submitRespondAnswers(
  db: Database,
  sql: Sql,
  token: string,
  now: Date,
  input: WriteInput,
  takeLinkHit: (conn: Sql) => Promise<RateVerdict>,
) {
  const tokenHash = hashToken(token);
  // Before taking a connection of the pool for this submit: seeding takes one of its own.
  await lexiconSeeded(sql);
  type Outcome =
    | { kind: 'finished'; result: ReturnType<typeof thankYou> }
    | { kind: 'tooMany'; retryAfterMs: number }
    | { kind: 'invalid'; error: unknown }
    | { kind: 'other' };
  const outcome = await sql.begin(async (tx): Promise<Outcome> => {
    const conn = tx as unknown as Sql;
    const [verdict, [target], [needs]] = await allSent([takeLinkHit(conn), lockSubmitTarget(conn, tokenHash), submitNeeds(conn, tokenHash)] as const);
    const plain =
      verdict.ok &&
      target !== undefined &&
      TOKEN_PATTERN.test(token) &&
      !needs.response &&
      !needs.rules &&
      !needs.webhooks &&
      !needs.rewards &&
      target.status !== 'opted_out' &&
      target.status !== 'expired' &&
      new Date(target.expires_at) > now;
    // Read in this transaction when not known yet: the pool may have no other connection free.
    const definition = plain ? await cachedDefinition(target.survey_version_id, () => definitionOf(conn, target.survey_version_id)) : null;
    // Returned, not thrown: the transaction commits with the rate-limit hit.
    if (!verdict.ok) return { kind: 'tooMany', retryAfterMs: verdict.retryAfterMs };
    if (!plain || !definition) return { kind: 'other' };
    let merged: Answers;
    try {
      merged = assertValid(definition, submittedAnswers(input.answers), true);
    } catch (error) {
      return { kind: 'invalid', error };
    }
    const locale = input.locale ?? definition.defaultLocale;
    const startedAt = target.opened_at ? new Date(target.opened_at) : now;
    const responseId = crypto.randomUUID();
    const rows = toAnswerRows(definition, merged);
    const values = {
      id: responseId,
      invitationId: target.id,
      surveyId: target.survey_id,
      surveyVersionId: target.survey_version_id,
      branchId: target.branch_id,
      customerId: target.customer_id,
      rentalId: target.rental_id,
      startedAt,
      updatedAt: now,
      locale,
      finishedAt: now,
      durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
    };
    const writes = [insertFinishedResponse(conn, values), rows.length > 0 ? insertAnswerRows(conn, responseId, rows) : null, finishInvitation(conn, target.id)];
    // Topics and sentiment of the comment, stored with the response (read after the writes, in this transaction).
    await allSent(hasComment(rows) ? [...writes, analyseResponses(conn, [responseId])] : writes);
    return { kind: 'finished', result: thankYou({ definition, branchShareUrl: target.share_url }, responseId, merged, false) };
  });
  if (outcome.kind === 'finished') return outcome.result;
  if (outcome.kind === 'tooMany') throw tooMany(outcome.retryAfterMs);
  if (outcome.kind === 'invalid') throw outcome.error;
  return submitInTransaction(db, token, now, input);
}

function thankYou(
  row: Pick<InvitationRow, 'definition' | 'branchShareUrl'>,
  responseId: string,
  values: Answers,
  alreadyFinished: boolean,
  followUpPromised = false,
  reward: ThankYouReward | null = null,
) {
  const category = npsCategory(row.definition, values);
  return {
    responseId,
    status: 'finished' as const,
    alreadyFinished,
    npsCategory: category,
    shareUrl: category === 'promoter' ? row.branchShareUrl : null,
    followUpPromised,
    reward,
  };
}
