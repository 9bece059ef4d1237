// /api/analytics/change (docs/statistics.md#why-a-figure-moved). Two passes over the facts of both
// periods: the responses and driver coverage per period, then per (period, resampling unit, segment)
// the sums the decomposition needs; the decomposition and its bootstrap over the units are pure
// functions (statistics/change-decomposition.ts), so their cost does not grow with the responses.
import type { Sql } from '../db/client.ts';
import { ProblemError, badRequest } from '../lib/problem.ts';
import type { ChangeQuery, ChangeResult } from './change.schemas.ts';
import { MIN_DRIVER_COVERAGE } from './drivers.schemas.ts';
import { FACTS_SOURCE, analyticsRead, dayStart, scopeSql } from './engine/filters.queries.ts';
import { addDays, dayBefore, daysInclusive } from './engine/groups.ts';
import {
  CHANGE_RESAMPLING_GROUPS,
  CHANGE_RESPONSE_UNITS_UP_TO,
  changeDecompositionByUnits,
  ChangeInputError,
  type ChangeDecomposition,
  type ChangeUnitCell,
} from './engine/statistics/change-decomposition.ts';
import { ConstantVariableError, SingularMatrixError } from './engine/statistics/index.ts';
import { prepare } from './engine/request.queries.ts';
import { dimensionLabel } from './engine/survey-context.ts';
import { npsCategorySql } from './engine/nps.queries.ts';

const unprocessable = (detail: string, code: string, extensions: Record<string, unknown> = {}) =>
  new ProblemError(422, 'Unprocessable Entity', detail, undefined, { code, ...extensions });

interface CoverageRow {
  period: 'previous' | 'current';
  n: number;
  answered: number[];
}

interface UnitRow {
  period: 'previous' | 'current';
  unit: string;
  keys: string[];
  n: number;
  sum_y: number;
  x_sum: number[];
  x_n: number[];
  fit_n: number;
  fit_sums: number[];
  fit_products: number[];
}

export async function buildChange(sql: Sql, query: ChangeQuery, options: { timeZone: string; branchScope: string[] | null }): Promise<ChangeResult> {
  const req = await prepare(sql, query, options);
  const { plan, survey, filters, locale } = req;
  const length = daysInclusive(query.from, query.to);
  const previous = { from: addDays(query.from, -length), to: dayBefore(query.from) };
  const current = { from: query.from, to: query.to };

  // The outcome per response: NPS as +100 / 0 / −100 (its mean is the NPS), or the per-respondent index.
  let outcome: string;
  if (query.metric === 'nps') {
    if (!plan.nps) throw badRequest('Invalid query', [{ path: 'metric', message: 'the survey has no likelihood-to-recommend question' }]);
    outcome = `(case ${npsCategorySql(plan.nps)} when 'promoter' then 100 when 'detractor' then -100 when 'passive' then 0 end)::float8`;
  } else {
    outcome = 'f.csi';
  }
  const candidates = plan.dimensions.filter((d) => d.items.length > 0);

  const scope = scopeSql(sql, FACTS_SOURCE, filters, query.segment, { lang: locale, period: { from: previous.from, to: current.to } });
  const keyColumns = Array.from({ length: scope.keyCount }, (_, k) => `k${k}`);
  const isCurrent = sql`f.finished_at >= ${dayStart(sql, current.from, filters.timeZone)}`;
  // One row per response with the outcome: period, segment keys, y and the candidates' scores x0 … (SQL columns).
  // OFFSET 0 keeps PostgreSQL from pulling these expressions up into the aggregates: each reference would
  // read the facts' arrays again (ten times slower with the fit's products).
  const candidateColumns = candidates.map((d, j) => `${d.source} as x${j}`);
  const responses = sql`
      select case when ${isCurrent} then 'current' else 'previous' end as period, f.response_id, ${scope.keys!},
             ${sql.unsafe(outcome)} as y${sql.unsafe(candidateColumns.map((c) => `, ${c}`).join(''))}
      from analytics_response_facts f ${scope.joins}
      where f.survey_id = ${filters.surveyId} and ${scope.where} and ${sql.unsafe(outcome)} is not null
      offset 0`;
  const answeredArray = candidates.length === 0 ? `'{}'::int[]` : `array[${candidates.map((_, j) => `count(t.x${j})`).join(', ')}]::int[]`;
  const coverage = await analyticsRead(
    sql,
    (tx) => tx<CoverageRow[]>`
    select t.period, count(*)::int as n, ${sql.unsafe(answeredArray)} as answered from (${responses}) t group by t.period`,
  );
  const n = { previous: 0, current: 0 };
  const answered = candidates.map(() => ({ previous: 0, current: 0 }));
  for (const row of coverage) {
    n[row.period] = row.n;
    row.answered.forEach((count, j) => (answered[j][row.period] = count));
  }
  for (const period of ['previous', 'current'] as const) {
    if (n[period] < survey.minN) {
      const range = period === 'previous' ? previous : current;
      throw unprocessable(
        `The ${period} period (${range.from} to ${range.to}) has ${n[period]} responses with the ${query.metric === 'nps' ? 'recommend answer' : 'index'}; at least ${survey.minN} (the survey's minimum n) are needed.`,
        'insufficient_sample',
        { period, n: n[period], minN: survey.minN },
      );
    }
  }

  // The coverage rule of the driver analysis, plus: a dimension needs answers in both periods.
  const total = n.previous + n.current;
  const excluded: ChangeResult['excluded'] = [];
  const kept: number[] = [];
  candidates.forEach((d, j) => {
    const share = (answered[j].previous + answered[j].current) / total;
    if (share < MIN_DRIVER_COVERAGE || answered[j].previous === 0 || answered[j].current === 0) {
      excluded.push({ id: d.id, label: dimensionLabel(survey, d.id, locale), coverage: share });
    } else kept.push(j);
  });
  const drivers = kept.map((j) => candidates[j]);

  // The resampling unit: the response itself in a period of at most CHANGE_RESPONSE_UNITS_UP_TO responses,
  // else one of CHANGE_RESAMPLING_GROUPS random groups (the last byte of the random response id).
  const unitOf = (period: 'previous' | 'current') =>
    n[period] <= CHANGE_RESPONSE_UNITS_UP_TO ? 't.response_id::text' : `(get_byte(uuid_send(t.response_id), 15) % ${CHANGE_RESAMPLING_GROUPS})::text`;
  // The fit's variables, null outside the listwise-complete responses (so plain sums skip those).
  const complete = kept.length === 0 ? 'true' : kept.map((j) => `t.x${j} is not null`).join(' and ');
  const fitColumns = ['t.y', ...kept.map((j) => `t.x${j}`)].map((c, k) => `case when ${complete} then ${c} end as v${k}`);
  const v = fitColumns.map((_, k) => `u.v${k}`);
  const products: string[] = [];
  for (let a = 0; a < v.length; a++) for (let b = a; b < v.length; b++) products.push(`coalesce(sum(${v[a]} * ${v[b]}), 0)`);
  const floatArray = (items: string[]) => (items.length === 0 ? `'{}'::float8[]` : `array[${items.join(', ')}]::float8[]`);
  const unitRows = await analyticsRead(
    sql,
    (tx) => tx<UnitRow[]>`
    select u.period, u.unit, u.keys, count(*)::int as n, sum(u.y)::float8 as sum_y,
           ${sql.unsafe(floatArray(kept.map((j) => `coalesce(sum(u.x${j}), 0)`)))} as x_sum,
           ${sql.unsafe(floatArray(kept.map((j) => `count(u.x${j})`)))} as x_n,
           count(u.v0)::int as fit_n,
           ${sql.unsafe(floatArray(v.map((c) => `coalesce(sum(${c}), 0)`)))} as fit_sums,
           ${sql.unsafe(floatArray(products))} as fit_products
    from (
      select t.period, case when t.period = 'current' then ${sql.unsafe(unitOf('current'))} else ${sql.unsafe(unitOf('previous'))} end as unit,
             array[${sql.unsafe(keyColumns.map((k) => `t.${k}::text`).join(', '))}]::text[] as keys, t.y${sql.unsafe(kept.map((j) => `, t.x${j}`).join(''))},
             ${sql.unsafe(fitColumns.join(', '))}
      from (${responses}) t
      offset 0
    ) u
    group by 1, 2, 3`,
  );
  const cells: ChangeUnitCell[] = unitRows.map((row) => ({
    period: row.period,
    unit: row.unit,
    segment: row.keys.join('|'),
    n: row.n,
    sumY: row.sum_y,
    xSum: row.x_sum,
    xN: row.x_n,
    fitN: row.fit_n,
    fitSums: row.fit_sums,
    fitProducts: row.fit_products,
  }));

  let result: ChangeDecomposition;
  try {
    result = changeDecompositionByUnits(cells, drivers.length);
  } catch (error) {
    if (error instanceof SingularMatrixError) {
      throw unprocessable('The dimensions are collinear in these periods (one is a combination of the others).', 'singular_matrix');
    }
    if (error instanceof ConstantVariableError) {
      const names = error.indexes.map((i) => (i === 0 ? query.metric : drivers[i - 1].id));
      throw unprocessable(`No variation in ${names.join(', ')} over the two periods: the driver model cannot be fitted.`, 'constant_variable', {
        variables: names,
      });
    }
    if (error instanceof ChangeInputError) throw unprocessable(error.message, error.code);
    throw error;
  }

  const labelOf = (id: string) => dimensionLabel(survey, id, locale);
  const named = result.explanation.driver !== null ? drivers[result.explanation.driver] : null;
  return {
    survey: query.survey,
    metric: query.metric,
    segment: query.segment,
    minN: survey.minN,
    previous: { ...previous, n: result.n.previous, value: result.previous },
    current: { ...current, n: result.n.current, value: result.current, reweighted: result.reweightedCurrent },
    observed: { value: result.observed, ci95: result.intervals.observed },
    mix: { value: result.mix, ci95: result.intervals.mix },
    drivers: result.drivers.map((d, j) => ({ id: drivers[j].id, label: labelOf(drivers[j].id), ...d, ci95: result.intervals.drivers[j] })),
    rest: { value: result.rest, ci95: result.intervals.rest },
    fit: { n: result.fitN, r2: result.r2 },
    excluded,
    bootstrap: result.bootstrap,
    explanation: {
      kind: result.explanation.kind,
      driver: named?.id ?? null,
      label: named ? labelOf(named.id) : null,
      part: result.explanation.part,
      change: result.explanation.change,
    },
  };
}
