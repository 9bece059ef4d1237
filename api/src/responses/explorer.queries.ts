// The SQL behind the responses explorer: one filter clause shared by the list, the count and the export.
import { desc, eq } from 'drizzle-orm';
import { maskContactIn } from '../access/mask.ts';
import { inBranchScope } from '../access/scope.ts';
import type { Database, Sql } from '../db/client.ts';
import { surveyVersions } from '../db/schema.ts';
import { notFound } from '../lib/problem.ts';
import {
  allQuestions,
  choiceOptions,
  fromAnswerRows,
  metricQuestions,
  noProblemChoiceId,
  questionPositions,
  scaleOf,
  type AnswerRow,
  type SurveyDefinition,
} from '@rs/survey-definition';
import type { AnswerView, ExplorerFilters, ListQuery, ResponseDetail, ResponseListItem } from './explorer.schemas.ts';
import { pipingFacts } from './piping-facts.ts';
import { npsCategorySql } from '../analytics/engine/nps.queries.ts';
import { npsCategory } from '../analytics/engine/statistics/nps.ts';

/** Rows fetched from PostgreSQL per round trip while a CSV export streams. */
export const EXPORT_BATCH_SIZE = 500;
const COMMENT_PREVIEW = 280;
/** The first COMMENT_PREVIEW characters (code points, as PostgreSQL's left() counts them). */
const commentPreview = (text: string) => Array.from(text).slice(0, COMMENT_PREVIEW).join('');

/** What the explorer needs from a survey's newest version: which questions the headline columns read. */
export interface SurveyContext {
  surveyId: string;
  definition: SurveyDefinition;
  npsQuestion: string;
  csatQuestion: string;
  problemsQuestion: string;
  noProblemId: string;
  commentQuestions: string[];
}

export async function surveyContext(db: Database, surveyId: string): Promise<SurveyContext> {
  const [row] = await db
    .select({ definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, surveyId))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  if (!row) throw notFound('No published version of this survey');
  const definition = row.definition as SurveyDefinition;
  const metrics = metricQuestions(definition);
  return {
    surveyId,
    definition,
    // '' matches no question: the column is then null for every response.
    npsQuestion: metrics.nps ?? '',
    csatQuestion: metrics.csat ?? '',
    problemsQuestion: metrics.problems ?? '',
    noProblemId: metrics.problems ? (noProblemChoiceId(definition, metrics.problems) ?? '') : '',
    commentQuestions: metrics.comments,
  };
}

const iso = (value: string | Date | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());

/** Branch ids the caller may see (null = all), from `branchScopeOf(c)`. */
export type BranchScope = string[] | null;

/**
 * FROM + WHERE of every explorer query. Aliases: r responses, b branches, c customers, x rentals,
 * an the NPS answer, ac the CSAT answer, ap the problem checklist answer. Every join is a left join on a
 * unique key, so it never changes which responses match: `joins: 'filters'` (the count) joins only what
 * the filters test.
 */
function fromWhere(sql: Sql, f: ExplorerFilters, ctx: SurveyContext, timeZone: string, scope: BranchScope, joins: 'all' | 'filters' = 'all') {
  const list = (values: string[] | undefined) => (values && values.length > 0 ? values : null);
  const branch = list(f.branch);
  const region = list(f.region);
  const tier = list(f.tier);
  const customerType = list(f.customerType);
  const vehicleClass = list(f.vehicleClass);
  const channel = list(f.channel);
  const problem = list(f.problem);
  const categories = list(f.npsCategory);
  const comments = ctx.commentQuestions;
  const all = joins === 'all';
  return sql`
    from responses r
    ${all || branch || region ? sql`left join branches b on b.id = r.branch_id` : sql``}
    ${all || tier || customerType ? sql`left join customers c on c.id = r.customer_id` : sql``}
    ${all || vehicleClass || channel ? sql`left join rentals x on x.id = r.rental_id` : sql``}
    ${all || categories ? sql`left join answers an on an.response_id = r.id and an.question_id = ${ctx.npsQuestion} and an.item_id is null` : sql``}
    ${all ? sql`left join answers ac on ac.response_id = r.id and ac.question_id = ${ctx.csatQuestion} and ac.item_id is null` : sql``}
    ${all || problem ? sql`left join answers ap on ap.response_id = r.id and ap.question_id = ${ctx.problemsQuestion} and ap.item_id is null` : sql``}
    where r.survey_id = ${ctx.surveyId}
      and ${inBranchScope(sql, scope, 'r.branch_id')}
      ${f.status ? sql`and r.status = ${f.status}` : sql``}
      ${f.from ? sql`and coalesce(r.finished_at, r.started_at) >= (${f.from}::date)::timestamp at time zone ${timeZone}` : sql``}
      ${f.to ? sql`and coalesce(r.finished_at, r.started_at) < (${f.to}::date + 1)::timestamp at time zone ${timeZone}` : sql``}
      ${branch ? sql`and b.code = any(${branch}::text[])` : sql``}
      ${region ? sql`and b.region = any(${region}::text[])` : sql``}
      ${tier ? sql`and c.value_tier = any(${tier}::text[])` : sql``}
      ${customerType ? sql`and c.customer_type = any(${customerType}::text[])` : sql``}
      ${vehicleClass ? sql`and x.vehicle_class = any(${vehicleClass}::text[])` : sql``}
      ${channel ? sql`and x.booking_channel = any(${channel}::text[])` : sql``}
      ${categories ? sql`and ${sql.unsafe(npsCategorySql('an.value_number'))} = any(${categories}::text[])` : sql``}
      ${problem ? sql`and ap.choice_ids && ${problem}::text[]` : sql``}
      ${
        f.hasComment === undefined
          ? sql``
          : sql`and ${f.hasComment ? sql`` : sql`not`} exists (
              select 1 from answers t where t.response_id = r.id and t.question_id = any(${comments}::text[]) and t.value_text <> '')`
      }
      ${
        f.q
          ? sql`and exists (
              select 1 from answers t where t.response_id = r.id and t.value_text is not null
                and strpos(lower(t.value_text), lower(${f.q})) > 0)`
          : sql``
      }
      ${f.topic ? sql`and exists (select 1 from response_topics m where m.response_id = r.id and m.topic_id = any(${f.topic}::text[]))` : sql``}`;
}

function orderBy(sql: Sql, sort: ListQuery['sort']) {
  switch (sort) {
    case 'finishedAt':
      return sql`order by coalesce(r.finished_at, r.started_at) asc, r.id`;
    case 'nps':
      return sql`order by an.value_number asc nulls last, coalesce(r.finished_at, r.started_at) desc, r.id`;
    case '-nps':
      return sql`order by an.value_number desc nulls last, coalesce(r.finished_at, r.started_at) desc, r.id`;
    default:
      return sql`order by coalesce(r.finished_at, r.started_at) desc, r.id`;
  }
}

function npsCategoryOf(value: number | null): ResponseListItem['npsCategory'] {
  return value === null ? null : npsCategory(value);
}

const problemCount = (sql: Sql, ctx: SurveyContext) => sql`cardinality(array_remove(ap.choice_ids, ${ctx.noProblemId}))`;

interface ListRow {
  id: string;
  status: 'finished' | 'partial';
  source: 'web' | 'import';
  locale: string;
  started_at: string;
  finished_at: string | null;
  branch_code: string | null;
  branch_name: string | null;
  branch_name_en: string | null;
  branch_region: string | null;
  customer_external_id: string | null;
  customer_name: string | null;
  customer_type: string | null;
  value_tier: string | null;
  rental_external_id: string | null;
  vehicle_class: string | null;
  booking_channel: string | null;
  returned_at: string | null;
  nps: number | null;
  csat: number | null;
  problems: number | null;
  comment: string | null;
  customer_email: string | null;
  customer_phone: string | null;
}

/**
 * One page of responses. With `maskContacts` (branch and regional managers) a customer's own email or phone
 * written into the comment is masked before the preview is cut, so a cut cannot leave part of it whole.
 */
export async function listResponses(sql: Sql, query: ListQuery, ctx: SurveyContext, timeZone: string, scope: BranchScope, maskContacts = false) {
  // (With a topic filter the caller has run textAnalysisBacklog on the primary first: `sql` may be a replica.)
  const where = fromWhere(sql, query, ctx, timeZone, scope);
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total ${fromWhere(sql, query, ctx, timeZone, scope, 'filters')}`;
  const rows = await sql<ListRow[]>`
    select r.id, r.status, r.source, r.locale, r.started_at, r.finished_at,
           b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en, b.region as branch_region,
           c.external_id as customer_external_id, c.name as customer_name, c.customer_type, c.value_tier,
           x.external_id as rental_external_id, x.vehicle_class, x.booking_channel, x.returned_at,
           an.value_number as nps, ac.value_number as csat, ${problemCount(sql, ctx)} as problems,
           c.email as customer_email, c.phone as customer_phone,
           (select left(t.value_text, ${COMMENT_PREVIEW * 2}) from answers t
             where t.response_id = r.id and t.question_id = any(${ctx.commentQuestions}::text[]) and t.value_text <> ''
             order by array_position(${ctx.commentQuestions}::text[], t.question_id) limit 1) as comment
    ${where}
    ${orderBy(sql, query.sort)}
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`;
  const items: ResponseListItem[] = rows.map((r) => ({
    id: r.id,
    status: r.status,
    source: r.source,
    locale: r.locale,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    branch: r.branch_code ? { code: r.branch_code, name: r.branch_name!, nameEn: r.branch_name_en, region: r.branch_region! } : null,
    customer: r.customer_external_id
      ? { externalId: r.customer_external_id, name: r.customer_name, customerType: r.customer_type!, valueTier: r.value_tier }
      : null,
    rental: r.rental_external_id
      ? { externalId: r.rental_external_id, vehicleClass: r.vehicle_class!, channel: r.booking_channel!, returnedAt: iso(r.returned_at)! }
      : null,
    nps: r.nps,
    npsCategory: npsCategoryOf(r.nps),
    csat: r.csat,
    problems: r.problems,
    comment:
      r.comment === null ? null : commentPreview(maskContacts ? maskContactIn(r.comment, { email: r.customer_email, phone: r.customer_phone }) : r.comment),
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** Every question of a definition with the respondent's answer and the texts to show it with. */
export function answerViews(definition: SurveyDefinition, rows: readonly AnswerRow[]): AnswerView[] {
  const values = fromAnswerRows(definition, rows);
  return questionPositions(definition).map(({ question: q, page }) => {
    const value = values[q.id] as unknown;
    const view: AnswerView = {
      questionId: q.id,
      pageId: page.id,
      type: q.type,
      question: q.text as Record<string, string>,
      answered: value !== undefined,
      number: null,
      scale: scaleOf(q),
      choices: [],
      otherText: null,
      text: null,
      items: [],
    };
    if (value === undefined) return view;
    if (typeof value === 'number') view.number = value;
    else if (typeof value === 'string') view.text = value;
    else if (q.type === 'matrix') {
      const m = value as Record<string, number>;
      view.items = q.items.map((item) => ({ id: item.id, text: item.text as Record<string, string>, value: m[item.id] ?? null }));
    } else if (q.type === 'single' || q.type === 'multi' || q.type === 'problems') {
      const v = value as { choice?: string; choices?: string[]; other?: string };
      const chosen = new Set(v.choices ?? (v.choice ? [v.choice] : []));
      view.choices = choiceOptions(q)
        .filter((o) => chosen.has(o.choice.id))
        .map((o) => ({ id: o.choice.id, text: o.choice.text as Record<string, string>, role: o.role }));
      view.otherText = v.other ?? null;
    }
    return view;
  });
}

/** One response, or null when it does not exist or lies outside the caller's branches. */
export async function responseDetail(sql: Sql, id: string, scope: BranchScope): Promise<ResponseDetail | null> {
  const [r] = await sql`
    select r.id, r.status, r.source, r.locale, r.started_at, r.finished_at, r.duration_ms,
           r.survey_id, s.name as survey_name, v.version, v.definition,
           b.code as branch_code, b.name as branch_name, b.name_en as branch_name_en, b.region as branch_region, b.city as branch_city,
           c.external_id as customer_external_id, c.name as customer_name, c.email, c.phone, c.preferred_language,
           c.customer_type, c.value_tier, c.member_level, c.erased_at,
           x.external_id as rental_external_id, x.vehicle_class, x.booking_channel, x.picked_up_at, x.returned_at, x.amount,
           pb.code as pickup_code, pb.name as pickup_name, rb.code as return_code, rb.name as return_name,
           i.channel as invitation_channel, i.sent_at, i.opened_at
    from responses r
    join surveys s on s.id = r.survey_id
    join survey_versions v on v.id = r.survey_version_id
    left join branches b on b.id = r.branch_id
    left join customers c on c.id = r.customer_id
    left join rentals x on x.id = r.rental_id
    left join branches pb on pb.id = x.pickup_branch_id
    left join branches rb on rb.id = x.return_branch_id
    left join invitations i on i.id = r.invitation_id
    where r.id = ${id} and ${inBranchScope(sql, scope, 'r.branch_id')}`;
  if (!r) return null;
  const definition = r.definition as SurveyDefinition;
  const answerRows = await sql<AnswerRow[]>`
    select question_id as "questionId", item_id as "itemId", value_number as "valueNumber", choice_ids as "choiceIds", value_text as "valueText"
    from answers where response_id = ${id} order by id`;
  const answers = answerViews(definition, answerRows);
  const metrics = metricQuestions(definition);
  const byId = new Map(answers.map((a) => [a.questionId, a]));
  const nps = metrics.nps ? (byId.get(metrics.nps)?.number ?? null) : null;
  const problemsView = metrics.problems ? byId.get(metrics.problems) : undefined;
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    locale: r.locale,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    survey: { id: r.survey_id, name: r.survey_name, version: r.version, defaultLocale: definition.defaultLocale },
    branch: r.branch_code ? { code: r.branch_code, name: r.branch_name, nameEn: r.branch_name_en, region: r.branch_region, city: r.branch_city } : null,
    customer: r.customer_external_id
      ? {
          externalId: r.customer_external_id,
          name: r.customer_name,
          email: r.email,
          phone: r.phone,
          preferredLanguage: r.preferred_language,
          customerType: r.customer_type,
          valueTier: r.value_tier,
          memberLevel: r.member_level,
          erased: r.erased_at !== null,
        }
      : null,
    rental: r.rental_external_id
      ? {
          externalId: r.rental_external_id,
          vehicleClass: r.vehicle_class,
          channel: r.booking_channel,
          pickedUpAt: iso(r.picked_up_at)!,
          returnedAt: iso(r.returned_at)!,
          amount: Number(r.amount),
          pickupBranch: { code: r.pickup_code, name: r.pickup_name },
          returnBranch: { code: r.return_code, name: r.return_name },
        }
      : null,
    invitation: r.invitation_channel ? { channel: r.invitation_channel, sentAt: iso(r.sent_at), openedAt: iso(r.opened_at) } : null,
    nps,
    npsCategory: npsCategoryOf(nps),
    csat: metrics.csat ? (byId.get(metrics.csat)?.number ?? null) : null,
    problems: problemsView?.answered ? problemsView.choices.filter((c) => c.role !== 'noProblem').length : null,
    answers,
    // the placeholders of the question texts as this customer saw them
    facts: pipingFacts({
      customerName: r.customer_name,
      branchName: r.branch_name,
      branchNameEn: r.branch_name_en,
      vehicleClass: r.vehicle_class,
      pickedUpAt: r.picked_up_at,
      returnedAt: r.returned_at,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV export
// ---------------------------------------------------------------------------------------------

interface ExportColumn {
  header: string;
  value: (row: ExportRow, answers: Map<string, AnswerRow>) => string | number | null;
}

export interface ExportRow {
  id: string;
  status: string;
  source: string;
  locale: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  branch_code: string | null;
  branch_name: string | null;
  branch_region: string | null;
  customer_external_id: string | null;
  customer_type: string | null;
  value_tier: string | null;
  /** Not exported: only to mask them where a customer wrote them into an answer. */
  customer_email: string | null;
  customer_phone: string | null;
  rental_external_id: string | null;
  vehicle_class: string | null;
  booking_channel: string | null;
  returned_at: string | null;
  problems: number | null;
  answers: AnswerRow[] | null;
}

const answerKey = (questionId: string, itemId: string | null) => (itemId ? `${questionId}.${itemId}` : questionId);

/** The columns of the export: response, branch, customer and rental facts, then one column per question (per matrix item). */
export function exportColumns(ctx: SurveyContext, lang: 'zh-CN' | 'en'): ExportColumn[] {
  const def = ctx.definition;
  const label = (text: Record<string, string | undefined>) => text[lang] ?? text[def.defaultLocale] ?? Object.values(text).find(Boolean) ?? '';
  const columns: ExportColumn[] = [
    { header: 'response_id', value: (r) => r.id },
    { header: 'status', value: (r) => r.status },
    { header: 'source', value: (r) => r.source },
    { header: 'locale', value: (r) => r.locale },
    { header: 'started_at', value: (r) => iso(r.started_at) },
    { header: 'finished_at', value: (r) => iso(r.finished_at) },
    { header: 'duration_s', value: (r) => (r.duration_ms === null ? null : Math.round(r.duration_ms / 1000)) },
    { header: 'branch_code', value: (r) => r.branch_code },
    { header: 'branch_name', value: (r) => r.branch_name },
    { header: 'region', value: (r) => r.branch_region },
    { header: 'customer_id', value: (r) => r.customer_external_id },
    { header: 'customer_type', value: (r) => r.customer_type },
    { header: 'value_tier', value: (r) => r.value_tier },
    { header: 'rental_id', value: (r) => r.rental_external_id },
    { header: 'vehicle_class', value: (r) => r.vehicle_class },
    { header: 'booking_channel', value: (r) => r.booking_channel },
    { header: 'returned_at', value: (r) => iso(r.returned_at) },
    { header: 'nps_category', value: (_r, a) => npsCategoryOf(a.get(ctx.npsQuestion)?.valueNumber ?? null) },
    { header: 'problems_count', value: (r) => r.problems },
  ];
  for (const q of allQuestions(def)) {
    if (q.type === 'matrix') {
      for (const item of q.items) columns.push({ header: answerKey(q.id, item.id), value: (_r, a) => a.get(answerKey(q.id, item.id))?.valueNumber ?? null });
    } else if (q.type === 'single' || q.type === 'multi' || q.type === 'problems') {
      const labels = new Map(choiceOptions(q).map((o) => [o.choice.id, label(o.choice.text)]));
      columns.push({
        header: q.id,
        value: (_r, a) =>
          a
            .get(q.id)
            ?.choiceIds?.map((id) => labels.get(id) ?? id)
            .join('; ') ?? null,
      });
      if (q.other) columns.push({ header: `${q.id}.other`, value: (_r, a) => a.get(q.id)?.valueText ?? null });
    } else if (q.type === 'text') {
      columns.push({ header: q.id, value: (_r, a) => a.get(q.id)?.valueText ?? null });
    } else {
      columns.push({ header: q.id, value: (_r, a) => a.get(q.id)?.valueNumber ?? null });
    }
  }
  return columns;
}

export function exportCells(columns: ExportColumn[], row: ExportRow): (string | number | null)[] {
  const answers = new Map((row.answers ?? []).map((a) => [answerKey(a.questionId, a.itemId), a]));
  return columns.map((c) => c.value(row, answers));
}

/** The filtered responses with their answers, fetched EXPORT_BATCH_SIZE rows at a time through a cursor. */
export function exportCursor(sql: Sql, filters: ExplorerFilters, ctx: SurveyContext, timeZone: string, scope: BranchScope, batchSize = EXPORT_BATCH_SIZE) {
  return sql<ExportRow[]>`
    select r.id, r.status, r.source, r.locale, r.started_at, r.finished_at, r.duration_ms,
           b.code as branch_code, b.name as branch_name, b.region as branch_region,
           c.external_id as customer_external_id, c.customer_type, c.value_tier, c.email as customer_email, c.phone as customer_phone,
           x.external_id as rental_external_id, x.vehicle_class, x.booking_channel, x.returned_at,
           ${problemCount(sql, ctx)} as problems,
           (select json_agg(json_build_object('questionId', a.question_id, 'itemId', a.item_id, 'valueNumber', a.value_number,
                                              'choiceIds', a.choice_ids, 'valueText', a.value_text))
              from answers a where a.response_id = r.id) as answers
    ${fromWhere(sql, filters, ctx, timeZone, scope)}
    order by coalesce(r.finished_at, r.started_at), r.id`.cursor(batchSize);
}
