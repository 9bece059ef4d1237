// The analytics endpoints as data. Every one has the same shape: a GET with filters in the query, read in the
// caller's branch scope, answered by one engine function as JSON; analytics.index.ts registers them in one loop.
import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import { guard } from '../access/guard.ts';
import type { Sql } from '../db/client.ts';
import { problemResponses } from '../lib/openapi.ts';
import { buildChange } from './change.queries.ts';
import { changeQuerySchema, changeResultSchema } from './change.schemas.ts';
import { buildComments } from './comments.queries.ts';
import { commentsQuerySchema, commentsResultSchema } from './comments.schemas.ts';
import { buildCompare } from './compare.queries.ts';
import { compareQuerySchema, compareResultSchema } from './compare.schemas.ts';
import { buildDrivers } from './drivers.queries.ts';
import { driversQuerySchema, driversResultSchema } from './drivers.schemas.ts';
import { buildFilterOptions } from './filter-options.queries.ts';
import { filterOptionsQuerySchema, filterOptionsResultSchema } from './filter-options.schemas.ts';
import { buildFunnel } from './funnel.queries.ts';
import { funnelQuerySchema, funnelResultSchema } from './funnel.schemas.ts';
import { buildLoyalty } from './loyalty.queries.ts';
import { loyaltyQuerySchema, loyaltyResultSchema } from './loyalty.schemas.ts';
import { buildProblems } from './problems.queries.ts';
import { problemsQuerySchema, problemsResultSchema } from './problems.schemas.ts';
import { buildSummary } from './summary.queries.ts';
import { summaryQuerySchema, summaryResultSchema } from './summary.schemas.ts';
import { buildTrend } from './trend.queries.ts';
import { trendQuerySchema, trendResultSchema } from './trend.schemas.ts';

/** What every analytics computation may use besides the query: the company's calendar and the caller's reach. */
export interface AnalyticsContext {
  timeZone: string;
  /** Branch ids the caller may see (null = all), applied inside the SQL. */
  branchScope: string[] | null;
  /** Whether the caller sees customers' email and phone masked in quoted comments. */
  maskContacts: boolean;
  now: Date;
  /** The primary, where the rollups are brought up to date when the computation reads from a replica. */
  primary?: Sql;
}

type QuerySchema = NonNullable<NonNullable<RouteConfig['request']>['query']>;

interface AnalyticsEndpoint<Q extends QuerySchema, R extends z.ZodType> {
  path: `/analytics/${string}`;
  summary: string;
  description: string;
  query: Q;
  result: R;
  /** The 200 response's description. */
  resultDescription: string;
  /** 422 where the figure can be impossible to compute from the data (too few responses, a singular fit). */
  unprocessable?: boolean;
  compute: (sql: Sql, query: z.output<Q>, context: AnalyticsContext) => Promise<z.input<R>>;
}

/** One endpoint's OpenAPI contract and its computation; the generic ties the computation's result to the schema. */
function analyticsEndpoint<Q extends QuerySchema, R extends z.ZodType>(endpoint: AnalyticsEndpoint<Q, R>) {
  const route = createRoute({
    method: 'get',
    path: endpoint.path,
    ...guard('analytics:read'),
    tags: ['Analytics'],
    summary: endpoint.summary,
    description: endpoint.description,
    request: { query: endpoint.query },
    responses: {
      200: { description: endpoint.resultDescription, content: { 'application/json': { schema: endpoint.result } } },
      ...(endpoint.unprocessable ? problemResponses(400, 404, 422) : problemResponses(400, 404)),
    },
  });
  return { route, compute: endpoint.compute as (sql: Sql, query: unknown, context: AnalyticsContext) => Promise<unknown> };
}

export const analyticsEndpoints = [
  analyticsEndpoint({
    path: '/analytics/summary',
    summary: 'NPS, CSAT, CSI and PP100 per group and in total (docs/statistics.md definitions, unrounded)',
    description:
      'Finished responses of the survey (all versions) in the period, filtered and grouped. Groups with fewer responses than the ' +
      "survey's minN keep their counts but have null scores (`suppressed`). Time groupings list every period, empty ones with n = 0.",
    query: summaryQuerySchema,
    result: summaryResultSchema,
    resultDescription: 'Per-group and total blocks',
    compute: buildSummary,
  }),
  analyticsEndpoint({
    path: '/analytics/compare',
    summary: 'Significance of each group against the rest, or against the previous period',
    description:
      'NPS difference with z and p (docs/statistics.md), CSAT top-2-box two-proportion z-test, CSI Welch t-test on the per-respondent ' +
      'index; p-values Holm-adjusted across the groups per metric; `significant` at 95 %. Groups or references under minN are not tested.',
    query: compareQuerySchema,
    result: compareResultSchema,
    resultDescription: 'One comparison per group',
    compute: buildCompare,
  }),
  analyticsEndpoint({
    path: '/analytics/drivers',
    summary: 'Key-driver analysis with the importance–performance quadrant',
    description:
      'The caller lists the drivers, or takes the dimensions or items of the survey; those take only the drivers answered by at least ' +
      'half of the filtered responses and name the others in `excluded`. One SQL pass gives n, Σx and Σx·x over the responses with the ' +
      'outcome and every driver (listwise deletion); correlations, betas and weights follow docs/statistics.md. 422 when n < p + 2, for ' +
      'shapley with more than 15 drivers, for collinear or constant variables.',
    query: driversQuerySchema,
    result: driversResultSchema,
    resultDescription: 'Drivers with weights, shares and quadrants',
    unprocessable: true,
    compute: buildDrivers,
  }),
  analyticsEndpoint({
    path: '/analytics/change',
    summary: 'Why a figure moved: the change of NPS or CSI split into customer mix, each driver dimension and the rest',
    description:
      'Current period = from…to, previous = the same number of days before. Mix = current − current reweighted to the previous ' +
      "period's segment shares; driver part = the dimension's change in mean score × its OLS coefficient on both periods pooled; " +
      'rest = what is left. 95 % intervals from a seeded bootstrap over responses within each period (docs/statistics.md). ' +
      '422 when either period has fewer than minN responses, or the pooled fit is impossible.',
    query: changeQuerySchema,
    result: changeResultSchema,
    resultDescription: 'The decomposition',
    unprocessable: true,
    compute: buildChange,
  }),
  analyticsEndpoint({
    path: '/analytics/trend',
    summary: 'Any metric by day, week, month or quarter, one series per group',
    description:
      "Every period between from and to (or the data's first and last) is present, empty ones with n = 0 and null values. Metrics: nps, csat (top-2-box), csatMean, csi, pp100, incidence, responses, dimension.<id>.",
    query: trendQuerySchema,
    result: trendResultSchema,
    resultDescription: 'Any metric by day, week, month or quarter, one series per group',
    compute: buildTrend,
  }),
  analyticsEndpoint({
    path: '/analytics/problems',
    summary: 'Checklist problems per group as a Pareto',
    description:
      'Counts of each problem ticked by the filtered finished responses, most frequent first, with the share of the responses that answered the checklist and the cumulative share of all problems. "No problem" is counted apart.',
    query: problemsQuerySchema,
    result: problemsResultSchema,
    resultDescription: 'Checklist problems per group as a Pareto',
    compute: buildProblems,
  }),
  analyticsEndpoint({
    path: '/analytics/comments',
    summary: 'Comment themes per group and per NPS category',
    description:
      'The most frequent words and two-word phrases (Intl.Segmenter word segmentation for Chinese and English, stop words removed) of the newest 20,000 comments, each with example comments; groups under minN respondents show no terms or quotes.',
    query: commentsQuerySchema,
    result: commentsResultSchema,
    resultDescription: 'Comment themes per group and per NPS category',
    compute: buildComments,
  }),
  analyticsEndpoint({
    path: '/analytics/loyalty',
    summary: 'Behavioural loyalty: repeat rentals after answering, by NPS category and index band',
    description:
      'For each finished response with a customer: did the customer pick up another rental within each window after answering? Only responses whose whole window has passed count. Wilson intervals; promoters minus detractors with a two-proportion z-test.',
    query: loyaltyQuerySchema,
    result: loyaltyResultSchema,
    resultDescription: 'Behavioural loyalty: repeat rentals after answering, by NPS category and index band',
    compute: buildLoyalty,
  }),
  analyticsEndpoint({
    path: '/analytics/funnel',
    summary: 'Delivery funnel per group',
    description:
      'Invitations created in the period and what became of them (sent, failed, opened, started, finished, opted out, expired), with the finished rentals of the period as eligible; response rate = finished / sent.',
    query: funnelQuerySchema,
    result: funnelResultSchema,
    resultDescription: 'Delivery funnel per group',
    compute: buildFunnel,
  }),
  analyticsEndpoint({
    path: '/analytics/filter-options',
    summary: 'What the filters offer: branches and regions the caller may see, vehicle classes, tiers, customer types, channels',
    description:
      "Read from the branch and region tables (in the caller's branch scope) and the rentals' vehicle classes, with the survey's minN; " +
      'no response is summarised, so the dashboard can fill its filter lists on every load.',
    query: filterOptionsQuerySchema,
    result: filterOptionsResultSchema,
    resultDescription: 'The filter values with their labels',
    compute: buildFilterOptions,
  }),
];
