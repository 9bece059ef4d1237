// /api/analytics/problems: how often each checklist problem was ticked, per group, as a Pareto (most
// frequent first, with the cumulative share of all problems). Counts from the answers of the filtered,
// finished responses; "no problem" is reported apart.
import type { Sql } from '../db/client.ts';
import { localize } from '@rs/survey-definition';
import { FACTS_SOURCE, analyticsRead, ordinals, scopeSql } from './engine/filters.queries.ts';
import { groupLabel, periodsBetween, totalLabel } from './engine/groups.ts';
import { isPeriod } from './engine/filters.schemas.ts';
import type { ProblemsQuery } from './problems.schemas.ts';
import { prepare } from './engine/request.queries.ts';
import { questionById } from './engine/survey-context.ts';

interface ChoiceInfo {
  id: string;
  label: string;
}

function paretoOf(choices: ChoiceInfo[], counts: Map<string, number>, n: number, suppressed: boolean) {
  const totalProblems = choices.reduce((acc, c) => acc + (counts.get(c.id) ?? 0), 0);
  const sorted = choices.map((c, order) => ({ ...c, count: counts.get(c.id) ?? 0, order })).sort((a, b) => b.count - a.count || a.order - b.order);
  let running = 0;
  return {
    totalProblems,
    problems: sorted.map(({ id, label, count }) => {
      running += count;
      return {
        id,
        label,
        count,
        share: suppressed || totalProblems === 0 ? null : (100 * count) / totalProblems,
        incidence: suppressed || n === 0 ? null : (100 * count) / n,
        cumulative: suppressed || totalProblems === 0 ? null : (100 * running) / totalProblems,
      };
    }),
  };
}

export async function buildProblems(sql: Sql, query: ProblemsQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const req = await prepare(sql, query, options);
  const { survey, filters, locale, layout } = req;
  const questionId = survey.metrics.problems;
  const question = questionId ? questionById(survey, questionId) : undefined;
  const base = { survey: query.survey, from: query.from ?? null, to: query.to ?? null, groupBy: query.groupBy, minN: survey.minN, question: questionId };
  if (!questionId || question?.type !== 'problems') {
    return {
      ...base,
      groups: [],
      total: { key: 'total', label: totalLabel(locale), n: 0, noProblem: 0, withProblem: 0, totalProblems: 0, suppressed: true, problems: [] },
    };
  }
  const fallback = survey.latest.defaultLocale;
  const noProblemId = question.noProblem?.id ?? null;
  const choices: ChoiceInfo[] = [...question.choices, ...(question.other ? [question.other] : [])].map((c) => ({
    id: c.id,
    label: localize(c.text, locale, fallback),
  }));

  const scope = scopeSql(sql, FACTS_SOURCE, filters, [query.groupBy], { lang: locale });
  const keyCount = scope.keyCount;
  const slot = layout.column('f', questionId);
  const keySelect = scope.keys ? sql`${scope.keys}, ` : sql``;
  const [answered, ticked] = await analyticsRead(
    sql,
    async (tx) =>
      [
        await tx<{ k0?: string; l0?: string; n: number; with_problem: number }[]>`
      select ${keySelect}count(${sql.unsafe(slot)})::int as n, count(*) filter (where ${sql.unsafe(slot)} > 0)::int as with_problem
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where}
      ${keyCount > 0 ? sql`group by ${sql.unsafe(ordinals(keyCount * 2))}` : sql``}`,
        await tx<{ k0?: string; l0?: string; choice: string; count: number }[]>`
      select ${keySelect}c.choice, count(*)::int as count
      from analytics_response_facts f ${scope.joins}
      join answers a on a.response_id = f.response_id and a.question_id = ${questionId} and a.item_id is null
      cross join lateral unnest(a.choice_ids) c(choice)
      where f.survey_id = ${filters.surveyId} and ${scope.where}
      group by ${sql.unsafe(ordinals(keyCount * 2 + 1))}`,
      ] as const,
  );

  const groups = new Map<string, { label: string; n: number; withProblem: number; counts: Map<string, number> }>();
  const entry = (key: string, label: string) => {
    const found = groups.get(key);
    if (found) return found;
    const created = { label, n: 0, withProblem: 0, counts: new Map<string, number>() };
    groups.set(key, created);
    return created;
  };
  for (const row of answered) Object.assign(entry(row.k0 ?? 'all', row.l0 ?? 'all'), { n: row.n, withProblem: row.with_problem });
  for (const row of ticked) {
    const counts = entry(row.k0 ?? 'all', row.l0 ?? 'all').counts;
    counts.set(row.choice, (counts.get(row.choice) ?? 0) + row.count);
  }
  if (isPeriod(query.groupBy)) {
    const present = [...groups.keys()].sort();
    const from = query.from ?? present[0];
    const to = query.to ?? present[present.length - 1];
    if (from && to) for (const period of periodsBetween(query.groupBy, from, to)) entry(period, period);
  }

  const block = (key: string, label: string, g: { n: number; withProblem: number; counts: Map<string, number> }) => {
    const suppressed = g.n < survey.minN;
    return {
      key,
      label,
      n: g.n,
      noProblem: noProblemId ? (g.counts.get(noProblemId) ?? 0) : 0,
      withProblem: g.withProblem,
      suppressed,
      ...paretoOf(choices, g.counts, g.n, suppressed),
    };
  };
  const total = { n: 0, withProblem: 0, counts: new Map<string, number>() };
  for (const g of groups.values()) {
    total.n += g.n;
    total.withProblem += g.withProblem;
    for (const [id, count] of g.counts) total.counts.set(id, (total.counts.get(id) ?? 0) + count);
  }
  return {
    ...base,
    groups:
      query.groupBy === 'none'
        ? []
        : [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => block(key, groupLabel(query.groupBy, key, g.label, locale), g)),
    total: block('total', totalLabel(locale), total),
  };
}
