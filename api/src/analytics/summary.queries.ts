// The SQL behind /api/analytics/summary: counts per group in one GROUP BY pass; the statistics are
// computed from those counts by the pure functions in ./statistics.
import { desc, eq } from 'drizzle-orm';
import type { Database, Sql } from '../db/client.ts';
import { surveyVersions } from '../db/schema.ts';
import { notFound } from '../lib/problem.ts';
import { metricQuestions, type SurveyDefinition } from '../surveys/definition/index.ts';
import { npsFromCounts } from './statistics/index.ts';
import type { SummaryQuery } from './summary.schemas.ts';

export const DEFAULT_MIN_N = 5;

const groupKeySql = {
  none: { key: `'all'`, label: `'all'` },
  branch: { key: 'b.code', label: 'b.name' },
  region: { key: 'b.region', label: 'b.region' },
} as const;

export async function latestDefinition(db: Database, surveyId: string): Promise<SurveyDefinition> {
  const [row] = await db
    .select({ definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(eq(surveyVersions.surveyId, surveyId))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  if (!row) throw notFound('No published version of this survey');
  return row.definition as SurveyDefinition;
}

interface CountsRow {
  key: string;
  label: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export async function summaryCounts(sql: Sql, query: SummaryQuery, npsQuestion: string | null, timeZone: string) {
  const group = groupKeySql[query.groupBy];
  // Finished time is compared in the company time zone: "to" is inclusive of its whole day.
  return sql<CountsRow[]>`
    select ${sql.unsafe(group.key)} as key, ${sql.unsafe(group.label)} as label,
           count(*)::int as responses,
           count(*) filter (where a.value_number >= 9)::int as promoters,
           count(*) filter (where a.value_number between 7 and 8)::int as passives,
           count(*) filter (where a.value_number <= 6)::int as detractors
    from responses r
    join branches b on b.id = r.branch_id
    left join answers a on a.response_id = r.id and a.question_id = ${npsQuestion ?? ''} and a.item_id is null
    where r.survey_id = ${query.survey}
      and r.status = 'finished'
      and (${query.from ?? null}::date is null or r.finished_at >= (${query.from ?? null}::date)::timestamp at time zone ${timeZone})
      and (${query.to ?? null}::date is null or r.finished_at < (${query.to ?? null}::date + 1)::timestamp at time zone ${timeZone})
    group by 1, 2
    order by 1`;
}

export function summaryGroup(row: Omit<CountsRow, 'key' | 'label'> & { key: string; label: string }, minN: number) {
  const nps = npsFromCounts(row);
  const suppressed = nps.n < minN;
  return {
    key: row.key,
    label: row.label,
    responses: row.responses,
    suppressed,
    nps: suppressed ? { ...nps, score: null, se: null, ci95: null } : nps,
  };
}

export async function buildSummary(db: Database, sql: Sql, query: SummaryQuery, timeZone: string) {
  const definition = await latestDefinition(db, query.survey);
  const npsQuestion = metricQuestions(definition).nps;
  const minN = definition.settings?.minN ?? DEFAULT_MIN_N;
  const rows = await summaryCounts(sql, query, npsQuestion, timeZone);
  const totals = rows.reduce(
    (acc, r) => ({
      key: 'total',
      label: 'total',
      responses: acc.responses + r.responses,
      promoters: acc.promoters + r.promoters,
      passives: acc.passives + r.passives,
      detractors: acc.detractors + r.detractors,
    }),
    { key: 'total', label: 'total', responses: 0, promoters: 0, passives: 0, detractors: 0 },
  );
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: query.groupBy,
    minN,
    groups: query.groupBy === 'none' ? [] : rows.map((r) => summaryGroup(r, minN)),
    total: summaryGroup(totals, minN),
  };
}
