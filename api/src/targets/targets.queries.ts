// Targets: storing them (one per metric, level, region or branch and period) and the figures they are
// judged against (docs/statistics.md#targets), from the same engine as the dashboards.
import type { AppDeps } from '../lib/types.ts';
import type { Sql } from '../db/client.ts';
import type { SqlClient } from '../queue/queue.ts';
import { notFound, unprocessable } from '../lib/problem.ts';
import { groupedBlocks, prepare, type GroupResult } from '../analytics/engine/request.queries.ts';
import type { CellSums } from '../analytics/engine/metrics.queries.ts';
import { buildFunnel } from '../analytics/funnel.queries.ts';
import { caseMetrics, type Actor } from '../cases/cases.queries.ts';
import { meanInterval, meanVarianceFromSums, targetStatus, wilsonInterval } from '../analytics/engine/statistics/index.ts';
import { periodLabel, periodsBetween, nextPeriod, dayBefore } from '../analytics/engine/groups.ts';
import type { Period } from '../analytics/engine/filters.schemas.ts';
import {
  metricDirection,
  periodBounds,
  TARGET_METRICS,
  type Figure,
  type StatusQuery,
  type Target,
  type TargetInput,
  type TargetLevel,
  type TargetMetric,
  type TargetTrendQuery,
} from './targets.schemas.ts';

interface TargetRow {
  id: string;
  metric: TargetMetric;
  level: TargetLevel;
  region_id: string | null;
  branch_id: string | null;
  scope: string | null;
  scope_name: string | null;
  scope_name_en: string | null;
  period: string;
  period_start: string;
  period_end: string;
  value: number;
  updated_at: Date;
}

const toTarget = (r: TargetRow, english = false): Target => ({
  id: r.id,
  metric: r.metric,
  level: r.level,
  scope: r.scope,
  scopeName: english && r.scope_name_en ? r.scope_name_en : r.scope_name,
  period: r.period,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  value: r.value,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Targets (the company's, every region's and the branches the caller sees), newest period first. */
export async function listTargets(
  sql: SqlClient,
  filter: { metric?: TargetMetric; level?: TargetLevel; on?: string; id?: string },
  scope: string[] | null,
  english = false,
): Promise<Target[]> {
  const rows = await sql<TargetRow[]>`
    select t.id, t.metric, t.level, t.region_id, t.branch_id, coalesce(b.code, r.code) as scope,
           coalesce(b.name, r.name) as scope_name, coalesce(b.name_en, r.name_en) as scope_name_en,
           t.period, t.period_start::text, t.period_end::text, t.value, t.updated_at
    from targets t
    left join branches b on b.id = t.branch_id
    left join regions r on r.id = t.region_id
    where (${filter.metric ?? null}::text is null or t.metric = ${filter.metric ?? null})
      and (${filter.level ?? null}::text is null or t.level = ${filter.level ?? null})
      and (${filter.on ?? null}::date is null or ${filter.on ?? null}::date between t.period_start and t.period_end)
      and (${filter.id ?? null}::uuid is null or t.id = ${filter.id ?? null})
      and (${scope}::uuid[] is null or t.branch_id = any(${scope}::uuid[]))
    order by t.period_start desc, t.level, scope nulls first, t.metric`;
  return rows.map((r) => toTarget(r, english));
}

/** Region and branch ids by code (to check what a target names). */
export async function scopeCodes(sql: SqlClient) {
  const [regions, branches] = await Promise.all([
    sql<{ id: string; code: string }[]>`select id, code from regions`,
    sql<{ id: string; code: string }[]>`select id, code from branches`,
  ]);
  return { regions: new Map(regions.map((r) => [r.code, r.id])), branches: new Map(branches.map((b) => [b.code, b.id])) };
}

/** Sets targets (insert or replace the value of the same metric, level, scope and period) in one statement. */
export async function upsertTargets(sql: SqlClient, targets: TargetInput[], now: Date): Promise<{ ids: string[]; created: number; updated: number }> {
  const codes = await scopeCodes(sql);
  const values = targets.map((t, i) => {
    const bounds = periodBounds(t.period)!;
    const regionId = t.level === 'region' ? codes.regions.get(t.scope!) : null;
    const branchId = t.level === 'branch' ? codes.branches.get(t.scope!) : null;
    if (regionId === undefined || branchId === undefined) {
      throw unprocessable('Unknown region or branch', [
        { path: targets.length > 1 ? `row ${i + 2}.scope` : 'scope', code: 'unknown_scope', message: `no ${t.level} with code "${t.scope}"` },
      ]);
    }
    return {
      metric: t.metric,
      level: t.level,
      region_id: regionId,
      branch_id: branchId,
      period: t.period,
      period_start: bounds.start,
      period_end: bounds.end,
      value: t.value,
    };
  });
  const rows = await sql<{ id: string; inserted: boolean }[]>`
    insert into targets (metric, level, region_id, branch_id, period, period_start, period_end, value, created_at, updated_at)
    select x.metric, x.level, x.region_id, x.branch_id, x.period, x.period_start, x.period_end, x.value, ${now.toISOString()}, ${now.toISOString()}
    from json_to_recordset(${JSON.stringify(values)}::json)
      as x(metric text, level text, region_id uuid, branch_id uuid, period text, period_start date, period_end date, value float8)
    on conflict on constraint targets_key_uq do update set value = excluded.value, updated_at = excluded.updated_at
    returning id, (xmax = 0) as inserted`;
  const created = rows.filter((r) => r.inserted).length;
  return { ids: rows.map((r) => r.id), created, updated: rows.length - created };
}

export async function deleteTarget(sql: SqlClient, id: string): Promise<Target> {
  const [target] = await listTargets(sql, { id }, null);
  if (!target) throw notFound('No such target');
  await sql`delete from targets where id = ${id}`;
  return target;
}

// ── Figures against targets ─────────────────────────────────────────────────────────────────────

interface Entity {
  level: TargetLevel;
  key: string;
  label: string;
  id: string | null;
}

type Measure = { n: number; value: number | null; ci95: [number, number] | null };
const NONE: Measure = { n: 0, value: null, ci95: null };

/** The survey metrics of one group of the engine (suppressed figures have no value). */
function surveyMeasures(g: (GroupResult & { cell: CellSums }) | undefined): Partial<Record<TargetMetric, Measure>> {
  if (!g) return {};
  const csiStats = meanVarianceFromSums(g.cell.csi.n, g.cell.csi.sum, g.cell.csi.sumSquares);
  const csiSe = csiStats.variance === null ? null : Math.sqrt(csiStats.variance / csiStats.n);
  return {
    nps: { n: g.nps.n, value: g.nps.score, ci95: g.nps.ci95 },
    csi: { n: g.cell.csi.n, value: g.csi.score, ci95: g.csi.score === null ? null : meanInterval(g.csi.score, csiSe, g.cell.csi.n) },
    csat_top2: { n: g.csat.n, value: g.csat.top2, ci95: g.csat.ci95 },
    csat_top_box: { n: g.csat.n, value: g.csat.topBox, ci95: g.csat.topBoxCi95 },
    pp100: { n: g.pp100.n, value: g.pp100.value, ci95: g.pp100.value === null ? null : meanInterval(g.pp100.value, g.pp100.se, g.pp100.n) },
  };
}

/** 100 · x / n with its Wilson interval in percent. */
function rateMeasure(x: number, n: number): Measure {
  if (n === 0) return NONE;
  const ci = wilsonInterval(x, n)!;
  return { n, value: (100 * x) / n, ci95: [100 * ci[0], 100 * ci[1]] };
}

interface Applicable {
  id: string;
  metric: TargetMetric;
  level: TargetLevel;
  region_id: string | null;
  branch_id: string | null;
  period: string;
  value: number;
}

/** Targets whose period contains `day`, the shortest period first (docs/statistics.md#targets). */
async function targetsOn(sql: SqlClient, day: string): Promise<Applicable[]> {
  return sql<Applicable[]>`
    select id, metric, level, region_id, branch_id, period, value from targets
    where ${day}::date between period_start and period_end
    order by period_end - period_start, period_start desc`;
}

function pick(targets: Applicable[], metric: TargetMetric, entity: Entity): Applicable | null {
  return (
    targets.find(
      (t) =>
        t.metric === metric &&
        t.level === entity.level &&
        (entity.level === 'company' || (entity.level === 'region' ? t.region_id === entity.id : t.branch_id === entity.id)),
    ) ?? null
  );
}

function figure(metric: TargetMetric, measure: Measure, target: Applicable | null): Figure {
  return {
    metric,
    ...measure,
    target: target ? { id: target.id, period: target.period, value: target.value } : null,
    status: target ? targetStatus({ value: measure.value, ci95: measure.ci95, target: target.value, direction: metricDirection(metric) }) : null,
  };
}

async function entitiesOf(sql: SqlClient, level: TargetLevel, scope: string[] | null, code: string | undefined, english: boolean): Promise<Entity[]> {
  if (level === 'company') return [{ level, key: 'company', label: english ? 'Company' : '公司', id: null }];
  if (level === 'region') {
    const rows = await sql<{ id: string; code: string; name: string; name_en: string | null }[]>`
      select r.id, r.code, r.name, r.name_en from regions r
      where exists (select 1 from branches b where b.region_id = r.id) and (${code ?? null}::text is null or r.code = ${code ?? null})
      order by r.code`;
    return rows.map((r) => ({ level, key: r.code, label: english && r.name_en ? r.name_en : r.name, id: r.id }));
  }
  const rows = await sql<{ id: string; code: string; name: string; name_en: string | null }[]>`
    select b.id, b.code, b.name, b.name_en from branches b
    where (${scope}::uuid[] is null or b.id = any(${scope}::uuid[])) and (${code ?? null}::text is null or b.code = ${code ?? null})
    order by b.code`;
  return rows.map((b) => ({ level, key: b.code, label: english && b.name_en ? b.name_en : b.name, id: b.id }));
}

/** Every metric of the entities of one level for a period, keyed by entity key. */
async function measuresOf(
  deps: AppDeps,
  sql: Sql,
  actor: Actor,
  q: { survey: string; from?: string; to?: string; lang?: 'zh-CN' | 'zh-TW' | 'en' },
  level: TargetLevel,
  options: { timeZone: string; branchScope: string[] | null },
): Promise<Map<string, Partial<Record<TargetMetric, Measure>>>> {
  const groupBy = level === 'company' ? 'none' : level;
  const query = { survey: q.survey, from: q.from, to: q.to, lang: q.lang };
  const req = await prepare(sql, query, { ...options, primary: deps.sql });
  const [{ groups, total }, funnel, cases, regionOf] = await Promise.all([
    groupedBlocks(sql, req, groupBy),
    buildFunnel(sql, { ...query, groupBy }, options),
    caseMetrics(deps, actor, { from: q.from, to: q.to }),
    level === 'region' ? sql<{ code: string; region: string }[]>`select code, region from branches` : Promise.resolve([]),
  ]);
  const out = new Map<string, Partial<Record<TargetMetric, Measure>>>();
  const entry = (key: string) => {
    const found = out.get(key) ?? {};
    out.set(key, found);
    return found;
  };
  if (level === 'company') Object.assign(entry('company'), surveyMeasures(total));
  else for (const g of groups) Object.assign(entry(g.key), surveyMeasures(g));
  for (const g of level === 'company' ? [{ ...funnel.total, key: 'company' }] : funnel.groups) entry(g.key).response_rate = rateMeasure(g.finished, g.sent);
  // SLA hit rate: cases with a decided SLA that were not breached (the counts of /api/cases/metrics).
  const sla = new Map<string, { decided: number; breached: number }>();
  const regionByBranch = new Map(regionOf.map((r) => [r.code, r.region]));
  const rows = level === 'company' ? [{ key: 'company', ...cases.total }] : cases.rows.map((r) => ({ key: r.branch?.code ?? '', ...r }));
  for (const r of rows) {
    const key = level === 'region' ? (regionByBranch.get(r.key) ?? '') : r.key;
    const s = sla.get(key) ?? { decided: 0, breached: 0 };
    s.decided += r.slaDecided;
    s.breached += r.slaBreached;
    sla.set(key, s);
  }
  for (const [key, s] of sla) entry(key).sla_hit_rate = rateMeasure(s.decided - s.breached, s.decided);
  return out;
}

export const todayIn = (timeZone: string, now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);

/** Each entity of a level with every metric against its target as of the view's last day. */
export async function targetStatusReport(deps: AppDeps, actor: Actor, q: StatusQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const sql = deps.readSql ?? deps.sql;
  const english = q.lang === 'en';
  const asOf = q.to ?? todayIn(options.timeZone, deps.now());
  // Company and region figures of a branch-scoped caller would be their own branches only: branches only.
  const entities = options.branchScope !== null && q.level !== 'branch' ? [] : await entitiesOf(deps.sql, q.level, options.branchScope, q.code, english);
  const [measures, targets] = await Promise.all([
    entities.length > 0 ? measuresOf(deps, sql, actor, q, q.level, options) : Promise.resolve(new Map()),
    targetsOn(deps.sql, asOf),
  ]);
  return {
    survey: q.survey,
    from: q.from ?? null,
    to: q.to ?? null,
    asOf,
    level: q.level,
    rows: entities.map((e) => ({
      key: e.key,
      label: e.label,
      figures: TARGET_METRICS.map((m) => figure(m, measures.get(e.key)?.[m] ?? NONE, pick(targets, m, e))),
    })),
  };
}

/** One metric per period against the target of each period (the one containing the period's last day shown). */
export async function targetTrend(deps: AppDeps, actor: Actor, q: TargetTrendQuery, options: { timeZone: string; branchScope: string[] | null }) {
  const sql = deps.readSql ?? deps.sql;
  const english = q.lang === 'en';
  const entities = options.branchScope !== null && q.level !== 'branch' ? [] : await entitiesOf(deps.sql, q.level, options.branchScope, q.code, english);
  const entity = q.level === 'company' ? entities[0] : entities.find((e) => e.key === q.code);
  if (!entity) throw notFound(`No such ${q.level}`);
  const interval = q.interval as Period;
  const points = await Promise.all(
    periodsBetween(interval, q.from, q.to, 60).map(async (start) => {
      const from = start < q.from ? q.from : start;
      const end = dayBefore(nextPeriod(interval, start));
      const to = end > q.to ? q.to : end;
      const filter = { survey: q.survey, from, to, lang: q.lang };
      const [measures, targets] = await Promise.all([measuresOf(deps, sql, actor, filter, q.level, options), targetsOn(deps.sql, to)]);
      const measure = measures.get(entity.key)?.[q.metric] ?? NONE;
      return { period: start, label: periodLabel(interval, start), ...figure(q.metric, measure, pick(targets, q.metric, entity)) };
    }),
  );
  return { survey: q.survey, metric: q.metric, interval, level: q.level, code: q.code ?? null, points };
}
