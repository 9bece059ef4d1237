import { branchScopeOf } from '../access/scope.ts';
import { Z_95, npsDifference, npsFromCounts } from '../analytics/engine/statistics/index.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { conflict, notFound } from '../lib/problem.ts';
import { deleteTopic, loadLexicon, saveTopic, textAnalysisBacklog, topicFigures } from './text.queries.ts';
import type { CreateTopicRoute, LexiconRoute, RemoveTopicRoute, TopicsRoute, UpdateTopicRoute } from './text.routes.ts';
import type { TopicsResult } from './text.schemas.ts';

const npsGroup = (p: number, pa: number, d: number) => {
  const r = npsFromCounts({ promoters: p, passives: pa, detractors: d });
  return { n: r.n, score: r.score, ci95: r.ci95 };
};

export const topics: AppRouteHandler<TopicsRoute> = async (c) => {
  const { sql, readSql, env } = c.get('deps');
  const query = c.req.valid('query');
  const { req, totals, rows, trend, phrases, pending } = await topicFigures(readSql ?? sql, query, {
    timeZone: env.COMPANY_TIME_ZONE,
    branchScope: branchScopeOf(c),
    primary: sql,
  });
  const lexicon = await loadLexicon(sql);
  const labelOf = (id: string) => lexicon.topics.find((t) => t.id === id)?.label[req.locale === 'zh-CN' ? 'zh-CN' : 'en'] ?? id;
  const minN = req.survey.minN;
  const comments = totals?.comments ?? 0;
  const result: TopicsResult = {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    minN,
    comments,
    pending,
    nps: npsGroup(totals?.p ?? 0, totals?.pa ?? 0, totals?.d ?? 0),
    topics: rows.map((r) => {
      // Mentions under minN show their count only: sentiment and NPS of a handful would identify customers.
      const suppressed = r.volume < minN;
      const diff = npsDifference(
        { promoters: r.p_with, passives: r.pa_with, detractors: r.d_with },
        { promoters: r.p_without, passives: r.pa_without, detractors: r.d_without },
      );
      const empty = { n: 0, score: null, ci95: null };
      return {
        id: r.topic_id,
        label: labelOf(r.topic_id),
        volume: r.volume,
        share: comments > 0 ? (100 * r.volume) / comments : null,
        sentiment: suppressed ? null : r.sentiment,
        negativeShare: suppressed || r.volume === 0 ? null : (100 * r.negative) / r.volume,
        npsWith: suppressed ? empty : npsGroup(r.p_with, r.pa_with, r.d_with),
        npsWithout: suppressed ? empty : npsGroup(r.p_without, r.pa_without, r.d_without),
        npsDifference:
          suppressed || diff.difference === null || diff.se === null
            ? { difference: null, ci95: null, p: null }
            : { difference: diff.difference, ci95: [diff.difference - Z_95 * diff.se, diff.difference + Z_95 * diff.se] as [number, number], p: diff.p },
        suppressed,
      };
    }),
    trend: [...new Set(trend.map((t) => t.period))].map((period) => {
      const total = trend.find((t) => t.period === period && t.is_total === 1)?.n ?? 0;
      const topicsInPeriod: TopicsResult['trend'][number]['topics'] = {};
      for (const t of trend) {
        if (t.period !== period || t.is_total === 1 || t.topic_id === null) continue;
        topicsInPeriod[t.topic_id] = { volume: t.n, share: total > 0 ? (100 * t.n) / total : 0, sentiment: t.sentiment };
      }
      return { period, comments: total, topics: topicsInPeriod };
    }),
    phrases: comments < minN ? [] : phrases.map((p) => ({ phrase: p.phrase, count: p.n })),
  };
  return c.json(result, 200);
};

export const lexicon: AppRouteHandler<LexiconRoute> = async (c) => c.json(await loadLexicon(c.get('deps').sql), 200);

// After an edit every analysed response waits for analysis again: done before answering when they are few
// (the next read shows the new topics), else by the back-fill job while the topics page says it is catching up.
export const createTopic: AppRouteHandler<CreateTopicRoute> = async (c) => {
  const { sql } = c.get('deps');
  const body = c.req.valid('json');
  if (!(await saveTopic(sql, body, { create: true }))) throw conflict(`A topic "${body.id}" exists already`);
  await textAnalysisBacklog(sql);
  return c.json(await loadLexicon(sql), 201);
};

export const updateTopic: AppRouteHandler<UpdateTopicRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { id } = c.req.valid('param');
  if (!(await saveTopic(sql, { id, ...c.req.valid('json') }, { create: false }))) throw notFound(`No topic "${id}"`);
  await textAnalysisBacklog(sql);
  return c.json(await loadLexicon(sql), 200);
};

export const removeTopic: AppRouteHandler<RemoveTopicRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { id } = c.req.valid('param');
  if (!(await deleteTopic(sql, id))) throw notFound(`No topic "${id}"`);
  await textAnalysisBacklog(sql);
  return c.json(await loadLexicon(sql), 200);
};
