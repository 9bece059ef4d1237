// /api/analytics/comments: comment themes per group and per NPS category. The newest comments of the
// filtered, finished responses (at most COMMENT_LIMIT) are read with their group and NPS answer and
// counted in Node (word segmentation needs Intl.Segmenter); groups under minN show no themes.
import type { Sql } from '../db/client.ts';
import { maskContactIn } from '../access/mask.ts';
import { badRequest } from '../lib/problem.ts';
import type { CommentsQuery } from './comments.schemas.ts';
import { FACTS_SOURCE, analyticsRead, scopeSql } from './engine/filters.queries.ts';
import { groupLabel, totalLabel } from './engine/groups.ts';
import { prepare } from './engine/request.queries.ts';
import { questionById } from './engine/survey-context.ts';
import { ThemeCounter, termsOf, type ThemeSet } from './engine/text-themes.ts';
import { npsCategory, type NpsCategory } from './engine/statistics/nps.ts';

/** The most comments one request analyses (the newest first); `truncated` tells when there were more. */
export const COMMENT_LIMIT = 20_000;

const categoryOf = (nps: number | null): NpsCategory | null => (nps === null ? null : npsCategory(nps));

class GroupThemes {
  readonly all: ThemeCounter;
  readonly byCategory: Record<NpsCategory, ThemeCounter>;
  responses = new Set<string>();
  constructor(
    readonly label: string,
    examples: number,
  ) {
    this.all = new ThemeCounter(examples);
    this.byCategory = { promoter: new ThemeCounter(examples), passive: new ThemeCounter(examples), detractor: new ThemeCounter(examples) };
  }
  add(responseId: string, text: string, category: NpsCategory | null) {
    const terms = termsOf(text);
    this.responses.add(responseId);
    this.all.add(text, terms);
    if (category) this.byCategory[category].add(text, terms);
  }
}

export async function buildComments(sql: Sql, query: CommentsQuery, options: { timeZone: string; branchScope: string[] | null; maskContacts?: boolean }) {
  const req = await prepare(sql, query, options);
  const { survey, filters, locale, layout } = req;
  const questions = query.question ?? survey.metrics.comments;
  for (const id of questions) {
    if (questionById(survey, id)?.type !== 'text')
      throw badRequest('Invalid query', [{ path: 'question', message: `"${id}" is not a text question of this survey` }]);
  }
  const npsColumn = survey.metrics.nps ? layout.column('f', survey.metrics.nps) : 'null::float8';
  const scope = scopeSql(sql, FACTS_SOURCE, filters, [query.groupBy], { lang: locale });
  const rows =
    questions.length === 0
      ? []
      : await analyticsRead(
          sql,
          (tx) => tx<{ k0?: string; l0?: string; response_id: string; nps: number | null; text: string; email: string | null; phone: string | null }[]>`
          select ${scope.keys ? sql`${scope.keys}, ` : sql``}f.response_id, ${sql.unsafe(npsColumn)} as nps, a.value_text as text, cu.email, cu.phone
          from analytics_response_facts f ${scope.joins}
          join answers a on a.response_id = f.response_id and a.question_id = any(${questions}::text[]) and a.item_id is null
          left join customers cu on cu.id = f.customer_id
          where f.survey_id = ${filters.surveyId} and ${scope.where} and a.value_text is not null and a.value_text <> ''
          order by f.finished_at desc
          limit ${COMMENT_LIMIT + 1}`,
        );
  const truncated = rows.length > COMMENT_LIMIT;
  const groups = new Map<string, GroupThemes>();
  const total = new GroupThemes(totalLabel(locale), query.examples);
  for (const row of rows.slice(0, COMMENT_LIMIT)) {
    const key = row.k0 ?? 'all';
    let group = groups.get(key);
    if (!group) {
      group = new GroupThemes(groupLabel(query.groupBy, key, row.l0 ?? key, locale), query.examples);
      groups.set(key, group);
    }
    const category = categoryOf(row.nps);
    // A customer may write their own email or phone into a comment: masked like every contact field.
    const text = options.maskContacts ? maskContactIn(row.text, row) : row.text;
    group.add(row.response_id, text, category);
    total.add(row.response_id, text, category);
  }

  const block = (key: string, g: GroupThemes) => {
    // Comments are quotes: a group under minN respondents shows none of them.
    const suppressed = g.responses.size < survey.minN;
    const top = (counter: ThemeCounter): ThemeSet => (suppressed ? { comments: counter.top(0).comments, words: [], phrases: [] } : counter.top(query.limit));
    return {
      key,
      label: g.label,
      responses: g.responses.size,
      suppressed,
      themes: top(g.all),
      byCategory: { promoter: top(g.byCategory.promoter), passive: top(g.byCategory.passive), detractor: top(g.byCategory.detractor) },
    };
  };
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: query.groupBy,
    minN: survey.minN,
    questions,
    analysed: Math.min(rows.length, COMMENT_LIMIT),
    truncated,
    groups: query.groupBy === 'none' ? [] : [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => block(key, g)),
    total: block('total', total),
  };
}
