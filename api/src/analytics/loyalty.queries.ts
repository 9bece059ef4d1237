// /api/analytics/loyalty: behavioural loyalty. For each finished response with a customer, did that
// customer pick up another rental within 90/180/365 days after answering? Shares by NPS category and by
// band of the respondent's own index, with Wilson intervals, and promoters against detractors. Only
// responses whose whole window has passed count for that window (no right-censoring).
import type { Sql } from '../db/client.ts';
import { badRequest } from '../lib/problem.ts';
import { FACTS_SOURCE, analyticsRead, scopeSql } from './engine/filters.queries.ts';
import type { LoyaltyQuery } from './loyalty.schemas.ts';
import { NPS_CATEGORIES, Z_95, twoProportionZTest, wilsonInterval } from './engine/statistics/index.ts';
import { prepare } from './engine/request.queries.ts';
import { npsCategorySql } from './engine/nps.queries.ts';

interface Counts {
  eligible: number[];
  returned: number[];
}

export async function buildLoyalty(sql: Sql, query: LoyaltyQuery, options: { timeZone: string; branchScope: string[] | null; now: Date }) {
  const windows = [...new Set(query.windows)].sort((a, b) => a - b);
  const cuts = [...new Set(query.bands)].sort((a, b) => a - b);
  if (cuts.some((c) => c <= 0 || c >= 100)) throw badRequest('Invalid query', [{ path: 'bands', message: 'band limits lie strictly between 0 and 100' }]);
  const req = await prepare(sql, query, options);
  const { survey, filters, layout } = req;
  const npsColumn = survey.metrics.nps ? layout.column('f', survey.metrics.nps) : 'null::float8';
  const scope = scopeSql(sql, FACTS_SOURCE, filters, []);
  const now = options.now.toISOString();

  const bandCase = ['case when csi is null then null', ...cuts.map((cut, i) => `when csi < ${cut} then ${i}`), `else ${cuts.length} end`].join(' ');
  const aggregates = windows.flatMap((days) => [
    `count(*) filter (where finished_at <= $now::timestamptz - interval '${days} days')::int`,
    `count(*) filter (where finished_at <= $now::timestamptz - interval '${days} days' and next_at <= finished_at + interval '${days} days')::int`,
  ]);
  const rows = await analyticsRead(
    sql,
    (tx) => tx<{ by: 'category' | 'band' | 'all'; category: string | null; band: number | null; counts: number[] }[]>`
    select case when grouping(category) = 0 then 'category' when grouping(band) = 0 then 'band' else 'all' end as by,
           category, band,
           array[${sql.unsafe(aggregates.join(', ').replaceAll('$now', `'${now}'`))}] as counts
    from (
      select f.finished_at, f.csi,
             ${sql.unsafe(npsCategorySql('nps'))} as category,
             ${sql.unsafe(bandCase)} as band,
             (select min(x.picked_up_at) from rentals x where x.customer_id = f.customer_id and x.picked_up_at > f.finished_at) as next_at
      from (
        select f.finished_at, f.csi, f.customer_id, ${sql.unsafe(npsColumn)} as nps
        from analytics_response_facts f ${scope.joins}
        where f.survey_id = ${filters.surveyId} and ${scope.where} and f.customer_id is not null
      ) f
    ) t
    group by grouping sets ((category), (band), ())`,
  );

  const countsOf = (row: { counts: number[] } | undefined): Counts => ({
    eligible: windows.map((_, i) => row?.counts[2 * i] ?? 0),
    returned: windows.map((_, i) => row?.counts[2 * i + 1] ?? 0),
  });
  /** One cell: of the n responses whose window has passed, how many customers rented again. */
  const cell = (c: Counts, i: number) => {
    const n = c.eligible[i];
    const suppressed = n < survey.minN;
    const interval = suppressed ? null : wilsonInterval(c.returned[i], n);
    return {
      n,
      returned: c.returned[i],
      share: suppressed ? null : (100 * c.returned[i]) / n,
      ci95: interval ? ([100 * interval[0], 100 * interval[1]] as [number, number]) : null,
      suppressed,
    };
  };

  const byCategory = new Map(rows.filter((r) => r.by === 'category' && r.category !== null).map((r) => [r.category!, countsOf(r)]));
  const byBand = new Map(rows.filter((r) => r.by === 'band' && r.band !== null).map((r) => [r.band!, countsOf(r)]));
  const all = countsOf(rows.find((r) => r.by === 'all'));
  const none = countsOf(undefined);
  const promoters = byCategory.get('promoter') ?? none;
  const detractors = byCategory.get('detractor') ?? none;
  const limits = [0, ...cuts, 100];

  const difference = (i: number) => {
    const [x1, n1, x2, n2] = [promoters.returned[i], promoters.eligible[i], detractors.returned[i], detractors.eligible[i]];
    if (n1 < survey.minN || n2 < survey.minN) return { difference: null, ci95: null, z: null, p: null, significant: false };
    const test = twoProportionZTest(x1, n1, x2, n2);
    const p1 = x1 / n1;
    const p2 = x2 / n2;
    // Unpooled (Wald) interval of the difference, in percentage points.
    const half = Z_95 * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
    return {
      difference: 100 * (p1 - p2),
      ci95: [100 * (p1 - p2 - half), 100 * (p1 - p2 + half)] as [number, number],
      z: test.z,
      p: test.p,
      significant: test.p !== null && test.p < 0.05,
    };
  };

  return {
    survey: query.survey,
    from: query.from ?? null,
    to: query.to ?? null,
    asOf: now,
    minN: survey.minN,
    windows: windows.map((days, i) => ({
      days,
      overall: cell(all, i),
      byNps: NPS_CATEGORIES.map((category) => ({ category, ...cell(byCategory.get(category) ?? none, i) })),
      byCsi: limits.slice(0, -1).map((low, b) => ({ band: `${low}–${limits[b + 1]}`, from: low, to: limits[b + 1], ...cell(byBand.get(b) ?? none, i) })),
      difference: difference(i),
    })),
  };
}
