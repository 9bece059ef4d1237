// Open feedback links: the links staff manage, the customer's side (open a link, send the answers under
// the abuse limits) and the statistics per link. All SQL of the domain lives here.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { metricQuestions, toAnswerRows, validateAnswers, visiblePageIndexes, type Answers, type Locale, type SurveyDefinition } from '@rs/survey-definition';
import type { Database, Sql } from '../db/client.ts';
import { answers, responses } from '../db/schema.ts';
import { emitResponseFinished } from '../access/webhooks.delivery.ts';
import { onResponseFinished } from '../cases/evaluate.ts';
import { npsCategory } from '../analytics/engine/statistics/nps.ts';
import { ProblemError, badRequest, conflict, notFound } from '../lib/problem.ts';
import { txSql } from '../queue/queue.ts';
import { pipingFacts } from '../responses/piping-facts.ts';
import { analyseResponses } from '../text/text.queries.ts';
import type { OpenLink, OpenLinkCreate, OpenLinkUpdate, OpenSession, OpenSubmit, OpenSubmitResult } from './open-links.schemas.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** 12 random base64url characters (72 bits): short enough for a small QR code, not guessable. */
export const newSlug = () => randomBytes(9).toString('base64url');
export const SLUG_PATTERN = /^[A-Za-z0-9_-]{12}$/;
export const openLinkUrl = (publicUrl: string, slug: string) => `${publicUrl}/s/o/${slug}`;

interface LinkRow {
  id: string;
  slug: string;
  survey_id: string;
  survey_name: string;
  branch_id: string;
  branch_code: string;
  branch_name: string;
  branch_name_en: string | null;
  tag: string | null;
  active: boolean;
  max_per_device: number;
  max_per_address: number;
  min_seconds: number;
  answers: number;
  answers_30d: number;
  linked: number;
  last_answer_at: Date | null;
  created_at: Date;
}

const toLink = (publicUrl: string, r: LinkRow): OpenLink => ({
  id: r.id,
  slug: r.slug,
  url: openLinkUrl(publicUrl, r.slug),
  surveyId: r.survey_id,
  surveyName: r.survey_name,
  branch: { code: r.branch_code, name: r.branch_name, nameEn: r.branch_name_en },
  tag: r.tag,
  active: r.active,
  maxPerDevice: r.max_per_device,
  maxPerAddress: r.max_per_address,
  minSeconds: r.min_seconds,
  answers: r.answers,
  answers30d: r.answers_30d,
  linkedToRental: r.linked,
  lastAnswerAt: r.last_answer_at ? new Date(r.last_answer_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

function linkSelect(sql: Sql, now: Date) {
  return sql`
    select l.id, l.slug, l.survey_id, s.name as survey_name, l.branch_id, b.code as branch_code, b.name as branch_name,
      b.name_en as branch_name_en, l.tag, l.active, l.max_per_device, l.max_per_address, l.min_seconds, l.created_at,
      coalesce(a.answers, 0)::int as answers, coalesce(a.answers_30d, 0)::int as answers_30d, coalesce(a.linked, 0)::int as linked,
      a.last_answer_at
    from open_links l
    join surveys s on s.id = l.survey_id
    join branches b on b.id = l.branch_id
    left join lateral (
      select count(*) as answers,
        count(*) filter (where r.finished_at >= ${now.toISOString()}::timestamptz - interval '30 days') as answers_30d,
        count(*) filter (where o.rental_verified) as linked,
        max(r.finished_at) as last_answer_at
      from open_link_responses o join responses r on r.id = o.response_id
      where o.open_link_id = l.id and r.status = 'finished'
    ) a on true`;
}

export async function listOpenLinks(
  sql: Sql,
  publicUrl: string,
  now: Date,
  filter: { survey?: string; branch?: string },
  branchScope: string[] | null,
): Promise<OpenLink[]> {
  const rows = await sql<LinkRow[]>`
    ${linkSelect(sql, now)}
    where true
      ${filter.survey ? sql`and l.survey_id = ${filter.survey}` : sql``}
      ${filter.branch ? sql`and b.code = ${filter.branch}` : sql``}
      ${branchScope ? sql`and l.branch_id = any(${branchScope}::uuid[])` : sql``}
    order by l.active desc, b.code, l.tag nulls first, l.created_at`;
  return rows.map((r) => toLink(publicUrl, r));
}

export async function getOpenLink(sql: Sql, publicUrl: string, now: Date, id: string, branchScope: string[] | null): Promise<OpenLink> {
  const [row] = await sql<LinkRow[]>`
    ${linkSelect(sql, now)}
    where l.id = ${id} ${branchScope ? sql`and l.branch_id = any(${branchScope}::uuid[])` : sql``}`;
  if (!row) throw notFound('No open link with this id.');
  return toLink(publicUrl, row);
}

const DUPLICATE = 'An active open link of this survey already exists for this branch and tag.';

export async function createOpenLink(sql: Sql, publicUrl: string, now: Date, input: OpenLinkCreate, createdBy: string | null): Promise<OpenLink> {
  const [survey] = await sql<{ id: string; published: boolean }[]>`
    select s.id, exists (select 1 from survey_versions v where v.survey_id = s.id) as published
    from surveys s where s.id = ${input.surveyId} and s.status <> 'archived'`;
  const [branch] = await sql<{ id: string }[]>`select id from branches where code = ${input.branch} and active`;
  const errors = [
    ...(!survey ? [{ path: 'surveyId', message: 'no active survey with this id' }] : []),
    ...(survey && !survey.published ? [{ path: 'surveyId', message: 'the survey has no published version yet' }] : []),
    ...(!branch ? [{ path: 'branch', message: `no active branch with code "${input.branch}"` }] : []),
  ];
  if (errors.length > 0) throw badRequest(errors[0].message, errors);
  const [row] = await sql<{ id: string }[]>`
    insert into open_links (slug, survey_id, branch_id, tag, max_per_device, max_per_address, min_seconds, created_by, created_at, updated_at)
    values (${newSlug()}, ${input.surveyId}, ${branch.id}, ${input.tag ?? null}, ${input.maxPerDevice}, ${input.maxPerAddress},
      ${input.minSeconds}, ${createdBy}, ${now.toISOString()}, ${now.toISOString()})
    on conflict do nothing
    returning id`;
  if (!row) throw conflict(DUPLICATE);
  return getOpenLink(sql, publicUrl, now, row.id, null);
}

export async function updateOpenLink(sql: Sql, publicUrl: string, now: Date, id: string, input: OpenLinkUpdate, branchScope: string[] | null) {
  await getOpenLink(sql, publicUrl, now, id, branchScope);
  const set: Record<string, unknown> = { updated_at: now.toISOString() };
  if (input.active !== undefined) set.active = input.active;
  if (input.tag !== undefined) set.tag = input.tag;
  if (input.maxPerDevice !== undefined) set.max_per_device = input.maxPerDevice;
  if (input.maxPerAddress !== undefined) set.max_per_address = input.maxPerAddress;
  if (input.minSeconds !== undefined) set.min_seconds = input.minSeconds;
  try {
    await sql`update open_links set ${sql(set)} where id = ${id}`;
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict(DUPLICATE);
    throw e;
  }
  return getOpenLink(sql, publicUrl, now, id, branchScope);
}

// ── The customer's side ───────────────────────────────────────────────────────────────────────────────

interface PublicLink {
  id: string;
  slug: string;
  survey_id: string;
  branch_id: string;
  branch_code: string;
  branch_name: string;
  branch_name_en: string | null;
  share_url: string | null;
  tag: string | null;
  max_per_device: number;
  max_per_address: number;
  min_seconds: number;
  version_id: string;
  version: number;
  definition: SurveyDefinition;
}

/** An active link of a survey that is not archived, with its newest published version; else 404. */
async function publicLink(sql: Sql, slug: string): Promise<PublicLink> {
  const rows = SLUG_PATTERN.test(slug)
    ? await sql<PublicLink[]>`
        select l.id, l.slug, l.survey_id, l.branch_id, b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en,
          b.share_url, l.tag, l.max_per_device, l.max_per_address, l.min_seconds, v.id as version_id, v.version, v.definition
        from open_links l
        join surveys s on s.id = l.survey_id and s.status <> 'archived'
        join branches b on b.id = l.branch_id
        join lateral (select id, version, definition from survey_versions where survey_id = l.survey_id order by version desc limit 1) v on true
        where l.slug = ${slug} and l.active`
    : [];
  if (!rows[0]) throw new ProblemError(404, 'Link not available', 'This feedback link is not available any more. Thank you for your time.');
  return rows[0];
}

function pickLocale(def: SurveyDefinition, requested: string | undefined, acceptLanguage: string | undefined): Locale {
  const offered = new Set<string>(def.locales ?? [def.defaultLocale]);
  if (requested && offered.has(requested)) return requested as Locale;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (!tag) continue;
    if ((tag === 'zh-hk' || tag === 'zh-mo' || tag === 'zh-tw' || tag.startsWith('zh-hant')) && offered.has('zh-TW')) return 'zh-TW';
    if (tag.startsWith('zh') && offered.has('zh-CN')) return 'zh-CN';
    if (tag.startsWith('en') && offered.has('en')) return 'en';
  }
  return def.defaultLocale;
}

/** `<opened at, ms>.<HMAC>`: the page's opening time, which the customer cannot move. */
export function issueTicket(secret: string, slug: string, at: Date): string {
  const ms = String(at.getTime());
  return `${ms}.${createHmac('sha256', secret).update(`open-link:${slug}:${ms}`).digest('base64url').slice(0, 32)}`;
}

/** When the page was opened, or null when the ticket was not issued for this link. */
export function ticketTime(secret: string, slug: string, ticket: string): number | null {
  const [ms, mac] = ticket.split('.');
  if (!ms || !mac || !/^\d{1,15}$/.test(ms)) return null;
  const expected = Buffer.from(issueTicket(secret, slug, new Date(Number(ms))).split('.')[1]);
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? Number(ms) : null;
}

export async function openPublicSession(
  sql: Sql,
  slug: string,
  now: Date,
  secret: string,
  opts: { locale?: string; acceptLanguage?: string },
): Promise<OpenSession> {
  const link = await publicLink(sql, slug);
  const locale = pickLocale(link.definition, opts.locale, opts.acceptLanguage);
  return {
    slug: link.slug,
    survey: { id: link.survey_id, versionId: link.version_id, version: link.version, definition: link.definition },
    locale,
    facts: pipingFacts(
      { customerName: null, branchName: link.branch_name, branchNameEn: link.branch_name_en, vehicleClass: null, pickedUpAt: null, returnedAt: null },
      locale,
    ),
    branch: { code: link.branch_code, name: link.branch_name, nameEn: link.branch_name_en },
    tag: link.tag,
    ticket: issueTicket(secret, link.slug, now),
  };
}

/** A client key as stored: never the address or cookie itself. */
const keyHash = (secret: string, kind: string, value: string) => createHash('sha256').update(`${secret}:${kind}:${value}`).digest('hex');

/** Tickets older than this are refused (the page was left open overnight: reload it). */
const TICKET_MAX_AGE_MS = 12 * 3_600_000;

export interface SubmitContext {
  now: Date;
  secret: string;
  timeZone: string;
  /** The device cookie (the page sets one); null when the browser sent none. */
  device: string | null;
  address: string;
}

/** The rental an answer names (its number, or the customer's phone), of this branch and recent; else null. */
async function verifiedRental(sql: Sql, ref: string | undefined, branchId: string, now: Date) {
  const text = ref?.trim() ?? '';
  if (text.length < 4) return null;
  const digits = text.replace(/\D/g, '');
  const phone = /^[+\d\s()-]+$/.test(text) && digits.length >= 7 ? digits.slice(-11) : null;
  const [row] = await sql<{ rental_id: string; customer_id: string }[]>`
    select r.id as rental_id, r.customer_id
    from rentals r join customers c on c.id = r.customer_id
    where (r.external_id = ${text}
        ${phone ? sql`or (c.phone is not null and right(regexp_replace(c.phone, '\\D', '', 'g'), 11) = ${phone})` : sql``})
      and ${branchId} in (r.pickup_branch_id, r.return_branch_id)
      and r.picked_up_at <= ${now.toISOString()}::timestamptz + interval '1 day'
      and r.returned_at >= ${now.toISOString()}::timestamptz - interval '30 days'
      and c.erased_at is null
    order by r.returned_at desc
    limit 1`;
  return row ?? null;
}

/**
 * Stores one open answer as a finished response, after the checks that a person sent it (honeypot, time
 * on page) and within the day's limits per device and per address. The counters are raised in the same
 * transaction: a refused or failed answer counts for nothing.
 */
export async function submitOpenAnswer(db: Database, sql: Sql, slug: string, input: OpenSubmit, ctx: SubmitContext): Promise<OpenSubmitResult> {
  const link = await publicLink(sql, slug);
  const def = link.definition;
  const answered = Object.fromEntries(Object.entries(input.answers).filter(([, v]) => v !== null));
  // A field people never see: whatever fills it is not a person. Answered as if accepted, nothing kept.
  if (input.website && input.website.trim() !== '') return { status: 'finished', npsCategory: null, shareUrl: null };

  const opened = ticketTime(ctx.secret, link.slug, input.ticket);
  if (opened === null || opened > ctx.now.getTime() || ctx.now.getTime() - opened > TICKET_MAX_AGE_MS) {
    throw badRequest('The page is out of date: reload it and answer again.', [{ path: 'ticket', message: 'not a ticket of this link, or too old' }]);
  }
  if (ctx.now.getTime() - opened < link.min_seconds * 1000) {
    throw new ProblemError(400, 'Too fast', 'The answers came sooner than a person can give them.', [
      { path: 'ticket', code: 'too_fast', message: `answers are accepted ${link.min_seconds} s after the page opened` } as never,
    ]);
  }
  if (!ctx.device) {
    throw badRequest('This page needs its cookie to count answers per device.', [{ path: 'device', message: 'no device cookie' }]);
  }
  const faults = validateAnswers(def, answered, { final: true });
  if (faults.length > 0) {
    throw new ProblemError(
      400,
      'Invalid answers',
      `${faults.length} answer(s) could not be accepted`,
      faults.map((f) => ({ path: f.questionId, code: f.code, message: f.message.en, messages: f.message }) as never),
    );
  }
  const values = answered as Answers;
  const locale = pickLocale(def, input.locale, undefined);
  const rental = await verifiedRental(sql, input.rentalRef, link.branch_id, ctx.now);

  return db.transaction(async (tx: Tx) => {
    const t = txSql(tx);
    const day = sql`(${ctx.now.toISOString()}::timestamptz at time zone ${ctx.timeZone})::date`;
    for (const [kind, value, limit] of [
      ['device', ctx.device as string, link.max_per_device],
      ['address', ctx.address, link.max_per_address],
    ] as const) {
      const [row] = await t<{ answers: number }[]>`
        insert into open_link_counters (open_link_id, kind, key_hash, day, answers)
        values (${link.id}, ${kind}, ${keyHash(ctx.secret, kind, value)}, ${day}, 1)
        on conflict (open_link_id, kind, key_hash, day) do update set answers = open_link_counters.answers + 1
        returning answers`;
      if (row.answers > limit) {
        throw new ProblemError(429, 'Already answered today', 'Thank you: answers from this device or network have reached today’s limit.', undefined, {
          reason: `${kind}_limit`,
        });
      }
    }
    const responseId = crypto.randomUUID();
    const nowIso = ctx.now.toISOString();
    await tx.insert(responses).values({
      id: responseId,
      invitationId: null,
      surveyId: link.survey_id,
      surveyVersionId: link.version_id,
      branchId: link.branch_id,
      customerId: rental?.customer_id ?? null,
      rentalId: rental?.rental_id ?? null,
      locale,
      status: 'finished',
      source: 'web',
      startedAt: new Date(opened),
      finishedAt: ctx.now,
      durationMs: Math.max(0, ctx.now.getTime() - opened),
      updatedAt: ctx.now,
    });
    const rows = toAnswerRows(def, values);
    if (rows.length > 0) await tx.insert(answers).values(rows.map((r) => ({ ...r, responseId })));
    await t`
      insert into open_link_responses (response_id, open_link_id, tag, rental_verified, created_at)
      values (${responseId}, ${link.id}, ${link.tag}, ${rental !== null}, ${nowIso})`;
    if (rows.some((r) => r.itemId == null && r.valueText)) await analyseResponses(t, [responseId]);
    await onResponseFinished(tx, {
      responseId,
      surveyId: link.survey_id,
      definition: def,
      answers: values,
      customerId: rental?.customer_id ?? null,
      rentalId: rental?.rental_id ?? null,
      branchId: link.branch_id,
    });
    await emitResponseFinished(tx, responseId, ctx.now);
    const npsId = metricQuestions(def).nps;
    const score = npsId ? values[npsId] : undefined;
    const category = typeof score === 'number' ? npsCategory(score) : null;
    return { status: 'finished' as const, npsCategory: category, shareUrl: category === 'promoter' ? link.share_url : null };
  });
}

// ── The recommendation scale in the invitation email ─────────────────────────────────────────────────

/**
 * The survey's recommendation (0–10) question when it is the first question the customer sees (first
 * shown page, first question, no display condition): only then can the email ask it.
 */
export function firstQuestionOf(def: SurveyDefinition) {
  const npsId = metricQuestions(def).nps;
  if (!npsId) return null;
  const first = visiblePageIndexes(def, {})[0];
  const page = first === undefined ? undefined : def.pages[first];
  const question = page?.questions[0];
  if (!question || question.id !== npsId || question.type !== 'nps' || question.visibleIf) return null;
  return { pageIndex: first as number, question };
}

/** Where the survey continues after the email's score: the same page when it shows more, else the next one. */
export function pageAfterScore(def: SurveyDefinition, pageIndex: number, questionId: string, score: number): number {
  const answers = { [questionId]: score } as Answers;
  const shown = visiblePageIndexes(def, answers);
  const page = def.pages[pageIndex];
  const more = page.questions.some((q) => q.id !== questionId);
  if (more) return pageIndex;
  return shown.find((i) => i > pageIndex) ?? pageIndex;
}

/** The invitation behind a survey link, with its newest definition (null for unknown links). */
export async function invitationOfToken(sql: Sql, tokenHash: string) {
  const [row] = await sql<{ id: string; definition: SurveyDefinition; preferred_language: string | null }[]>`
    select i.id, v.definition, c.preferred_language
    from invitations i join survey_versions v on v.id = i.survey_version_id join customers c on c.id = i.customer_id
    where i.token_hash = ${tokenHash}`;
  return row ?? null;
}

/** Notes that this invitation's email carried the scale (the funnel compares response rates with and without). */
export async function recordScaleShown(sql: Sql, invitationId: string, questionId: string, now: Date) {
  await sql`
    insert into email_first_question (invitation_id, question_id, shown_at)
    values (${invitationId}, ${questionId}, ${now.toISOString()})
    on conflict (invitation_id) do nothing`;
}

/** The score clicked in the email (the last click wins; the response itself holds the answer). */
export async function recordScoreClick(sql: Sql, invitationId: string, questionId: string, score: number, now: Date) {
  await sql`
    insert into email_first_question (invitation_id, question_id, shown_at, score, clicked_at, clicks)
    values (${invitationId}, ${questionId}, ${now.toISOString()}, ${score}, ${now.toISOString()}, 1)
    on conflict (invitation_id) do update set score = excluded.score, clicked_at = excluded.clicked_at,
      clicks = email_first_question.clicks + 1`;
}
