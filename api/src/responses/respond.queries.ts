import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { answers, branches, customers, invitations, rentals, responses, surveyVersions } from '../db/schema.ts';
import { emitResponseFinished } from '../access/webhooks.delivery.ts';
import { onResponseFinished } from '../cases/evaluate.ts';
import { hashToken, TOKEN_PATTERN } from '../distribution/tokens.ts';
import { ProblemError } from '../lib/problem.ts';
import {
  fromAnswerRows,
  metricQuestions,
  pruneHiddenAnswers,
  toAnswerRows,
  validateAnswers,
  type Answers,
  type Locale,
  type SurveyDefinition,
} from '../surveys/definition/index.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export const SUPPORTED_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;

/** One polite answer for unknown, expired and used links alike: it must not tell them apart. */
export const linkUnavailable = () =>
  new ProblemError(404, 'Link not available', 'This survey link is not valid any more. Thank you for your time.');

async function findInvitation(db: Database | Tx, token: string, now: Date, lock = false) {
  // Malformed tokens take the same path (hash and lookup) as unknown ones, so timing tells nothing apart.
  const malformed = !TOKEN_PATTERN.test(token);
  const query = db
    .select({
      invitation: invitations,
      definition: surveyVersions.definition,
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
  const [row] = lock ? await query.for('update', { of: invitations }) : await query;
  if (!row || malformed) return null;
  const { invitation } = row;
  if (invitation.expiresAt <= now || invitation.status === 'expired' || invitation.status === 'opted_out') return null;
  return { ...row, definition: row.definition as SurveyDefinition };
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

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

function pipingFacts(row: InvitationRow, locale: string) {
  return {
    customer: { name: row.customerName ?? '' },
    branch: { name: locale === 'en' && row.branchNameEn ? row.branchNameEn : row.branchName },
    rental: {
      vehicleClass: row.vehicleClass ?? '',
      pickedUpAt: row.pickedUpAt?.toISOString() ?? '',
      returnedAt: row.returnedAt?.toISOString() ?? '',
    },
  };
}

async function loadAnswers(db: Database | Tx, def: SurveyDefinition, responseId: string): Promise<Answers> {
  const rows = await db
    .select({ questionId: answers.questionId, itemId: answers.itemId, valueNumber: answers.valueNumber, choiceIds: answers.choiceIds, valueText: answers.valueText })
    .from(answers)
    .where(eq(answers.responseId, responseId));
  return fromAnswerRows(def, rows);
}

export async function openRespondSession(db: Database, token: string, now: Date, opts: { locale?: string; acceptLanguage?: string }) {
  const row = await findInvitation(db, token, now);
  if (!row) throw linkUnavailable();
  const [existing] = await db
    .select({ id: responses.id, status: responses.status, locale: responses.locale })
    .from(responses)
    .where(eq(responses.invitationId, row.invitation.id));
  if (existing?.status === 'finished') throw linkUnavailable();

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
  return {
    survey: { id: row.invitation.surveyId, versionId: row.invitation.surveyVersionId, version: row.version, definition: row.definition },
    locale,
    facts: pipingFacts(row, locale),
    answers: existing ? await loadAnswers(db, row.definition, existing.id) : {},
    page: 0,
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
}

export async function saveRespondAnswers(db: Database, token: string, now: Date, input: WriteInput) {
  return db.transaction(async (tx) => {
    const row = await findInvitation(tx, token, now, true);
    if (!row) throw linkUnavailable();
    const [existing] = await tx.select().from(responses).where(eq(responses.invitationId, row.invitation.id));
    if (existing?.status === 'finished') throw new ProblemError(409, 'Already finished', 'This survey was already submitted.');
    const saved = existing ? await loadAnswers(tx, row.definition, existing.id) : {};
    const merged = assertValid(row.definition, mergeAnswers(row.definition, saved, input.answers), false);
    const responseId = existing?.id ?? (await createResponse(tx, row, input.locale ?? row.definition.defaultLocale, now));
    if (existing && input.locale && input.locale !== existing.locale) {
      await tx.update(responses).set({ locale: input.locale, updatedAt: now }).where(eq(responses.id, existing.id));
    }
    await replaceAnswers(tx, row.definition, responseId, merged);
    await markStarted(tx, row.invitation.id);
    return { responseId, status: 'partial' as const };
  });
}

async function createResponse(tx: Tx, row: InvitationRow, locale: string, now: Date) {
  const [created] = await tx
    .insert(responses)
    .values({
      invitationId: row.invitation.id,
      surveyId: row.invitation.surveyId,
      surveyVersionId: row.invitation.surveyVersionId,
      branchId: row.invitation.branchId,
      customerId: row.invitation.customerId,
      rentalId: row.invitation.rentalId,
      locale,
      status: 'partial',
      startedAt: row.invitation.openedAt ?? now,
      updatedAt: now,
    })
    .returning({ id: responses.id });
  return created.id;
}

async function markStarted(tx: Tx, invitationId: string) {
  await tx
    .update(invitations)
    .set({ status: sql`case when ${invitations.status} in ('scheduled', 'sent', 'opened', 'failed') then 'started' else ${invitations.status} end` })
    .where(eq(invitations.id, invitationId));
}

function npsCategory(def: SurveyDefinition, values: Answers): 'promoter' | 'passive' | 'detractor' | null {
  const npsId = metricQuestions(def).nps;
  const score = npsId ? values[npsId] : undefined;
  if (typeof score !== 'number') return null;
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export async function submitRespondAnswers(db: Database, token: string, now: Date, input: WriteInput) {
  return db.transaction(async (tx) => {
    // The row lock serialises double clicks and two tabs: the second one finds the finished response.
    const row = await lockInvitationForSubmit(tx, token, now);
    const [existing] = await tx.select().from(responses).where(eq(responses.invitationId, row.invitation.id));
    if (existing?.status === 'finished') {
      const values = await loadAnswers(tx, row.definition, existing.id);
      return thankYou(row, existing.id, values, true);
    }
    const saved = existing ? await loadAnswers(tx, row.definition, existing.id) : {};
    const merged = assertValid(row.definition, mergeAnswers(row.definition, saved, input.answers), true);
    const locale = input.locale ?? existing?.locale ?? row.definition.defaultLocale;
    const responseId = existing?.id ?? (await createResponse(tx, row, locale, now));
    const startedAt = existing?.startedAt ?? row.invitation.openedAt ?? now;
    await tx
      .update(responses)
      .set({ status: 'finished', finishedAt: now, locale, durationMs: Math.max(0, now.getTime() - startedAt.getTime()), updatedAt: now })
      .where(eq(responses.id, responseId));
    await replaceAnswers(tx, row.definition, responseId, merged);
    await tx.update(invitations).set({ status: 'finished' }).where(eq(invitations.id, row.invitation.id));
    const { followUpPromised } = await onResponseFinished(tx, {
      responseId,
      surveyId: row.invitation.surveyId,
      definition: row.definition,
      answers: merged,
      customerId: row.invitation.customerId,
      rentalId: row.invitation.rentalId,
      branchId: row.invitation.branchId,
    });
    await emitResponseFinished(tx, responseId, now);
    return thankYou(row, responseId, merged, false, followUpPromised);
  });
}

/** A finished response's token still resolves here (not in GET) so a retried submit gets its answer back. */
async function lockInvitationForSubmit(tx: Tx, token: string, now: Date) {
  const row = await findInvitation(tx, token, now, true);
  if (row) return row;
  throw linkUnavailable();
}

function thankYou(row: InvitationRow, responseId: string, values: Answers, alreadyFinished: boolean, followUpPromised = false) {
  const category = npsCategory(row.definition, values);
  return {
    responseId,
    status: 'finished' as const,
    alreadyFinished,
    npsCategory: category,
    shareUrl: category === 'promoter' ? row.branchShareUrl : null,
    followUpPromised,
  };
}

