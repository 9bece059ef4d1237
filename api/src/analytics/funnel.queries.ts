// /api/analytics/funnel: the delivery funnel per group with the analytics filters and segments, from the
// invitations (created in the period) and their responses; `eligible` is the finished rentals returned in
// the period (the population post-rental invitations are drawn from).
import type { Sql } from '../db/client.ts';
import { INVITATIONS_SOURCE, RENTALS_SOURCE, ordinals, resolveFilters, scopeSql } from './engine/filters.queries.ts';
import { isPeriod } from './engine/filters.schemas.ts';
import type { FunnelQuery } from './funnel.schemas.ts';
import { groupLabel, periodsBetween, totalLabel } from './engine/groups.ts';
import { loadSurveyContext, localeOf } from './engine/survey-context.ts';

const STEPS = ['invited', 'sent', 'failed', 'opened', 'started', 'finished', 'optedOut', 'expired'] as const;
type Step = (typeof STEPS)[number];
type Counts = Record<Step, number> & { eligible: number | null };

export async function buildFunnel(sql: Sql, query: FunnelQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const survey = await loadSurveyContext(sql, query.survey);
  const filters = await resolveFilters(sql, query, options);
  const locale = localeOf(survey, query.lang);
  const postRental = survey.kind === 'post_rental';
  const scope = scopeSql(sql, INVITATIONS_SOURCE, filters, [query.groupBy], { lang: locale });
  const keys = scope.keys ? sql`${scope.keys}, ` : sql``;
  const group = scope.keyCount > 0 ? sql`group by ${sql.unsafe(ordinals(scope.keyCount * 2))}` : sql``;
  const rentalScope = scopeSql(sql, RENTALS_SOURCE, filters, [query.groupBy], { lang: locale });
  const [invited, rentals] = await Promise.all([
    sql<({ k0?: string; l0?: string } & Record<string, number>)[]>`
      select ${keys}count(*)::int as invited,
             count(i.sent_at)::int as sent,
             count(*) filter (where i.status = 'failed')::int as failed,
             count(*) filter (where i.opened_at is not null or r.id is not null)::int as opened,
             count(r.id)::int as started,
             count(*) filter (where r.status = 'finished')::int as finished,
             count(*) filter (where i.status = 'opted_out')::int as "optedOut",
             count(*) filter (where i.status = 'expired')::int as expired
      from invitations i
      left join responses r on r.invitation_id = i.id
      ${scope.joins}
      where i.survey_id = ${filters.surveyId} and ${scope.where}
      ${group}`,
    postRental
      ? sql<{ k0?: string; l0?: string; eligible: number }[]>`
          select ${rentalScope.keys ? sql`${rentalScope.keys}, ` : sql``}count(*)::int as eligible
          from rentals x ${rentalScope.joins}
          where ${rentalScope.where}
          ${rentalScope.keyCount > 0 ? sql`group by ${sql.unsafe(ordinals(rentalScope.keyCount * 2))}` : sql``}`
      : Promise.resolve([]),
  ]);

  const groups = new Map<string, { label: string; counts: Counts }>();
  const entry = (key: string, label: string) => {
    let found = groups.get(key);
    if (!found) {
      const counts = Object.fromEntries(STEPS.map((s) => [s, 0])) as Counts;
      counts.eligible = postRental ? 0 : null;
      found = { label, counts };
      groups.set(key, found);
    }
    return found;
  };
  for (const row of invited) {
    const counts = entry(row.k0 ?? 'all', row.l0 ?? 'all').counts;
    for (const step of STEPS) counts[step] = row[step];
  }
  for (const row of rentals) entry(row.k0 ?? 'all', row.l0 ?? 'all').counts.eligible = row.eligible;
  if (isPeriod(query.groupBy)) {
    const present = [...groups.keys()].sort();
    const from = query.from ?? present[0];
    const to = query.to ?? present[present.length - 1];
    if (from && to) for (const period of periodsBetween(query.groupBy, from, to)) entry(period, period);
  }

  const shape = (key: string, label: string, c: Counts) =>
    ({
      key,
      label,
      eligible: c.eligible,
      ...Object.fromEntries(STEPS.map((s) => [s, c[s]])),
      // Fractions 0–1, as in the delivery funnel (/api/distribution/funnel): the pages format them as percentages.
      responseRate: c.sent > 0 ? c.finished / c.sent : null,
      openRate: c.sent > 0 ? c.opened / c.sent : null,
    }) as { key: string; label: string; eligible: number | null; responseRate: number | null; openRate: number | null } & Record<Step, number>;

  const total = Object.fromEntries(STEPS.map((s) => [s, 0])) as Counts;
  total.eligible = postRental ? 0 : null;
  for (const { counts } of groups.values()) {
    for (const s of STEPS) total[s] += counts[s];
    if (total.eligible !== null) total.eligible += counts.eligible ?? 0;
  }
  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: query.groupBy,
    groups:
      query.groupBy === 'none'
        ? []
        : [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => shape(key, groupLabel(query.groupBy, key, g.label, locale), g.counts)),
    total: shape('total', totalLabel(locale), total),
  };
}
