// Text analytics in PostgreSQL: the lexicon (seeded from the shipped defaults), the per-response analysis
// written when a response is finished (the rest of text_analysis_pending by the back-fill job, or by a read
// when only a few wait), and the topic figures aggregated in SQL.
import type { Sql } from '../db/client.ts';
import type { SqlClient } from '../queue/queue.ts';
import { FACTS_SOURCE, analyticsRead, scopeSql } from '../analytics/engine/filters.queries.ts';
import { prepare } from '../analytics/engine/request.queries.ts';
import { analyseComment, compileLexicon, type CompiledLexicon } from './analyse.ts';
import { DEFAULT_LEXICON, type LexiconTopic } from './lexicon.defaults.ts';
import type { TopicsQuery } from './text.schemas.ts';
import { npsCategorySql } from '../analytics/engine/nps.queries.ts';

export interface StoredLexicon {
  version: number;
  topics: LexiconTopic[];
}

/** Writes the shipped lexicon when no topic is stored yet (first start, fresh test database). */
export async function ensureDefaultLexicon(sql: SqlClient): Promise<void> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from text_topics`;
  if (n > 0) return;
  const topics = DEFAULT_LEXICON.map((t, i) => ({ id: t.id, label_zh: t.label['zh-CN'], label_en: t.label.en, position: i }));
  const terms = DEFAULT_LEXICON.flatMap((t) =>
    (['zh', 'en'] as const).flatMap((language) => [...new Set(t.terms[language])].map((term) => ({ topic_id: t.id, language, term }))),
  );
  await sql`insert into text_topics ${sql(topics)} on conflict do nothing`;
  await sql`insert into text_topic_terms ${sql(terms)} on conflict do nothing`;
}

export async function loadLexicon(sql: SqlClient): Promise<StoredLexicon> {
  await ensureDefaultLexicon(sql);
  const [state] = await sql<{ version: string }[]>`select version from text_lexicon_state where id = 1`;
  const topics = await sql<{ id: string; label_zh: string; label_en: string }[]>`select id, label_zh, label_en from text_topics order by position, id`;
  const terms = await sql<{ topic_id: string; language: 'zh' | 'en'; term: string }[]>`select topic_id, language, term from text_topic_terms order by term`;
  return {
    version: Number(state?.version ?? 1),
    topics: topics.map((t) => ({
      id: t.id,
      label: { 'zh-CN': t.label_zh, en: t.label_en },
      terms: {
        zh: terms.filter((x) => x.topic_id === t.id && x.language === 'zh').map((x) => x.term),
        en: terms.filter((x) => x.topic_id === t.id && x.language === 'en').map((x) => x.term),
      },
    })),
  };
}

// Compiling segments every term: done once per lexicon version.
let compiled: { version: number; lexicon: CompiledLexicon } | undefined;
async function currentLexicon(sql: SqlClient): Promise<{ version: number; lexicon: CompiledLexicon }> {
  const [state] = await sql<{ version: string }[]>`select version from text_lexicon_state where id = 1`;
  const version = Number(state?.version ?? 1);
  if (compiled?.version !== version) {
    const stored = await loadLexicon(sql);
    compiled = { version: stored.version, lexicon: compileLexicon(stored.topics) };
  }
  return compiled;
}

/** Replaces one topic's labels and terms; bumps the lexicon version so every response is analysed again. */
export async function saveTopic(sql: Sql, topic: LexiconTopic, options: { create: boolean }): Promise<boolean> {
  return sql.begin(async (tx) => {
    await ensureDefaultLexicon(tx);
    const [existing] = await tx<{ id: string }[]>`select id from text_topics where id = ${topic.id} for update`;
    if (!existing && !options.create) return false;
    if (existing && options.create) return false;
    await tx`
      insert into text_topics (id, label_zh, label_en, position, updated_at)
      values (${topic.id}, ${topic.label['zh-CN']}, ${topic.label.en}, (select coalesce(max(position), -1) + 1 from text_topics), now())
      on conflict (id) do update set label_zh = excluded.label_zh, label_en = excluded.label_en, updated_at = now()`;
    await tx`delete from text_topic_terms where topic_id = ${topic.id}`;
    const terms = (['zh', 'en'] as const).flatMap((language) => [...new Set(topic.terms[language])].map((term) => ({ topic_id: topic.id, language, term })));
    if (terms.length > 0) await tx`insert into text_topic_terms ${tx(terms)}`;
    await tx`update text_lexicon_state set version = version + 1 where id = 1`;
    await listAnalysedAgain(tx);
    return true;
  }) as Promise<boolean>;
}

export async function deleteTopic(sql: Sql, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const deleted = await tx`delete from text_topics where id = ${id} returning id`;
    if (deleted.length > 0) {
      await tx`update text_lexicon_state set version = version + 1 where id = 1`;
      await listAnalysedAgain(tx);
    }
    return deleted.length > 0;
  }) as Promise<boolean>;
}

/** After a lexicon edit every analysed response waits to be analysed again (the others wait already). */
async function listAnalysedAgain(sql: SqlClient): Promise<void> {
  await sql`insert into text_analysis_pending (response_id) select response_id from response_text on conflict do nothing`;
}

/** The comments of one response (every free-text answer), joined into one text. */
async function commentsOf(sql: SqlClient, responseIds: string[]) {
  return sql<{ response_id: string; text: string }[]>`
    select a.response_id, string_agg(a.value_text, E'\n' order by a.question_id) as text
    from answers a
    where a.response_id = any(${responseIds}::uuid[]) and a.item_id is null and a.value_text is not null and btrim(a.value_text) <> ''
    group by a.response_id`;
}

/** Analyses the comments of these responses under the current lexicon and stores the result. */
export async function analyseResponses(sql: SqlClient, responseIds: string[]): Promise<void> {
  if (responseIds.length === 0) return;
  const { version, lexicon } = await currentLexicon(sql);
  const texts = await commentsOf(sql, responseIds);
  const rows = texts.map((t) => ({ responseId: t.response_id, result: analyseComment(t.text, lexicon) }));
  await sql`
    with analysed as (delete from text_analysis_pending where response_id = any(${responseIds}::uuid[]))
    delete from response_topics where response_id = any(${responseIds}::uuid[])`;
  await sql`delete from response_text where response_id = any(${responseIds}::uuid[])`;
  if (rows.length === 0) return;
  await sql`insert into response_text ${sql(
    rows.map((r) => ({
      response_id: r.responseId,
      language: r.result.language,
      sentiment: r.result.sentiment,
      label: r.result.label,
      phrases: r.result.phrases,
      lexicon_version: version,
    })),
  )}`;
  const mentions = rows.flatMap((r) =>
    r.result.mentions.map((m) => ({ response_id: r.responseId, topic_id: m.topicId, sentiment: m.sentiment, label: m.label, terms: m.terms })),
  );
  if (mentions.length > 0) await sql`insert into response_topics ${sql(mentions)}`;
}

/** Responses analysed per transaction by the back-fill, and the most a read analyses itself. */
export const TEXT_BACKFILL_BATCH = 2000;

/**
 * One batch of text_analysis_pending: finished responses are analysed under the current lexicon;
 * unfinished ones leave the list (their submit analyses them). Returns how many left the list; SKIP
 * LOCKED lets several workers (and a read) work through it at once.
 */
async function analysePendingBatch(sql: Sql, limit: number): Promise<number> {
  return (await sql.begin(async (tx) => {
    const batch = await tx<{ id: string; finished: boolean }[]>`
      select p.response_id as id, coalesce(r.status = 'finished', false) as finished
      from text_analysis_pending p left join responses r on r.id = p.response_id
      order by p.response_id
      limit ${limit}
      for update of p skip locked`;
    if (batch.length === 0) return 0;
    const unfinished = batch.filter((b) => !b.finished).map((b) => b.id);
    if (unfinished.length > 0) await tx`delete from text_analysis_pending where response_id = any(${unfinished}::uuid[])`;
    await analyseResponses(
      tx as unknown as SqlClient,
      batch.filter((b) => b.finished).map((b) => b.id),
    );
    return batch.length;
  })) as number;
}

/**
 * Lists the finished responses whose comments were never analysed or were analysed under an older lexicon:
 * for data written with the triggers off (a restore, a load with session_replication_role = replica).
 */
export async function listCommentsWithoutAnalysis(sql: Sql): Promise<number> {
  const { version } = await currentLexicon(sql);
  const listed = await sql`
    insert into text_analysis_pending (response_id)
    select distinct a.response_id from answers a
    join responses r on r.id = a.response_id and r.status = 'finished'
    left join response_text rt on rt.response_id = a.response_id
    where a.item_id is null and a.value_text is not null and btrim(a.value_text) <> '' and (rt.response_id is null or rt.lexicon_version < ${version})
    on conflict do nothing`;
  return listed.count;
}

/** Works through text_analysis_pending until it is empty (the back-fill job; the bench after loading data). */
export async function analysePendingComments(sql: Sql): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await analysePendingBatch(sql, TEXT_BACKFILL_BATCH);
    if (n === 0) return done;
    done += n;
  }
}

/** How many responses wait for analysis, counted up to `upTo` (beyond that the exact figure does not matter). */
async function pendingUpTo(sql: SqlClient, upTo: number): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from (select 1 from text_analysis_pending limit ${upTo}) p`;
  return n;
}

/**
 * Before text figures are read: when at most TEXT_BACKFILL_BATCH responses wait (a lexicon edit on a small
 * database, a few rows loaded around the app), they are analysed now, so the figures are complete;
 * when more wait, the read shows what is analysed and says how many wait (at least; the back-fill job
 * catches up). Returns the responses still waiting.
 */
export async function textAnalysisBacklog(sql: Sql): Promise<number> {
  const waiting = await pendingUpTo(sql, TEXT_BACKFILL_BATCH + 1);
  if (waiting === 0) return 0;
  if (waiting <= TEXT_BACKFILL_BATCH) {
    await analysePendingBatch(sql, TEXT_BACKFILL_BATCH);
    // Rows another worker held (SKIP LOCKED) are being analysed right now: counted as still waiting.
    return pendingUpTo(sql, TEXT_BACKFILL_BATCH + 1);
  }
  return waiting;
}

/** Topic ids a finished response mentions, with the mention's sentiment label (analysed first if it never was). */
export async function topicsOfResponse(sql: SqlClient, responseId: string) {
  const [analysed] = await sql`select 1 from response_text where response_id = ${responseId}`;
  if (!analysed) await analyseResponses(sql, [responseId]);
  return sql<
    { topicId: string; label: 'pos' | 'neg' | 'neutral' }[]
  >`select topic_id as "topicId", label from response_topics where response_id = ${responseId}`;
}

interface TopicRow {
  topic_id: string;
  volume: number;
  sentiment: number | null;
  negative: number;
  p_with: number;
  pa_with: number;
  d_with: number;
  p_without: number;
  pa_without: number;
  d_without: number;
}

/** Topic figures of the filtered, finished responses with a comment (see docs/statistics.md#text-topics). */
export async function topicFigures(sql: Sql, query: TopicsQuery, options: { timeZone: string; branchScope: string[] | null; primary?: Sql }) {
  // The analysis writes: on the primary when `sql` is a replica (prepare does the same for the rollups).
  const pending = await textAnalysisBacklog(options.primary ?? sql);
  const req = await prepare(sql, query, options);
  const { survey, filters, locale, layout } = req;
  const npsColumn = survey.metrics.nps ? layout.column('f', survey.metrics.nps) : 'null::float8';
  const scope = scopeSql(sql, FACTS_SOURCE, filters, [], { lang: locale });
  return analyticsRead(sql, async (tx) => {
    const base = tx`
      select f.response_id, f.finished_at, ${tx.unsafe(npsCategorySql(npsColumn))} as category
      from analytics_response_facts f ${scope.joins}
      join response_text rt on rt.response_id = f.response_id
      where f.survey_id = ${filters.surveyId} and ${scope.where}`;
    const [totals] = await tx<{ comments: number; p: number; pa: number; d: number }[]>`
      with base as (${base})
      select count(*)::int as comments, count(*) filter (where category = 'promoter')::int as p, count(*) filter (where category = 'passive')::int as pa,
             count(*) filter (where category = 'detractor')::int as d
      from base`;
    // Per topic, its mentions among these comments; "without" = all comments of a category minus those with.
    const mentioned = await tx<Omit<TopicRow, 'p_without' | 'pa_without' | 'd_without'>[]>`
      with base as (${base}),
      mentions as (select m.topic_id, m.sentiment, m.label, b.category from base b join response_topics m on m.response_id = b.response_id)
      select t.id as topic_id, count(x.topic_id)::int as volume, avg(x.sentiment)::float8 as sentiment,
             count(*) filter (where x.label = 'neg')::int as negative,
             count(*) filter (where x.category = 'promoter')::int as p_with,
             count(*) filter (where x.category = 'passive')::int as pa_with,
             count(*) filter (where x.category = 'detractor')::int as d_with
      from text_topics t left join mentions x on x.topic_id = t.id
      group by t.id, t.position order by t.position, t.id`;
    const rows: TopicRow[] = mentioned.map((r) => ({
      ...r,
      p_without: (totals?.p ?? 0) - r.p_with,
      pa_without: (totals?.pa ?? 0) - r.pa_with,
      d_without: (totals?.d ?? 0) - r.d_with,
    }));
    // grouping(...) = 1: the period's row of all comments; 0: one topic in the period.
    const trend = await tx<{ period: string; topic_id: string | null; is_total: number; n: number; sentiment: number | null }[]>`
      with base as (${base})
      select to_char(date_trunc('month', b.finished_at at time zone ${options.timeZone}), 'YYYY-MM') as period, m.topic_id,
             grouping(m.topic_id)::int as is_total, count(distinct b.response_id)::int as n, avg(m.sentiment)::float8 as sentiment
      from base b left join response_topics m on m.response_id = b.response_id
      group by grouping sets ((1), (1, 2)) order by 1`;
    const phrases = await tx<{ phrase: string; n: number }[]>`
      with base as (${base})
      select p as phrase, count(*)::int as n
      from base b join response_text rt on rt.response_id = b.response_id, unnest(rt.phrases) p
      where char_length(p) >= 2
      group by p having count(*) >= 2 order by n desc, p limit 30`;
    return { req, totals, rows, trend, phrases, pending };
  });
}
