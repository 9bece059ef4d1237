// One report, built once and shown three ways: the digest e-mail (HTML with the charts as inline images),
// its plain-text part, and the PDF (pdf.ts). Every figure comes from the analytics engine the dashboard
// uses (compare against the previous period, trend, the change decomposition, text topics), read in the
// reader's branch scope: a branch manager's report holds their branches only.
import type { Database, Sql } from '../db/client.ts';
import { buildChange } from '../analytics/change.queries.ts';
import { changeQuerySchema } from '../analytics/change.schemas.ts';
import { buildCompare } from '../analytics/compare.queries.ts';
import { compareQuerySchema } from '../analytics/compare.schemas.ts';
import { buildSummary } from '../analytics/summary.queries.ts';
import { summaryQuerySchema } from '../analytics/summary.schemas.ts';
import { buildTrend } from '../analytics/trend.queries.ts';
import { trendQuerySchema } from '../analytics/trend.schemas.ts';
import { addDays, daysInclusive } from '../analytics/engine/groups.ts';
import { loadLexicon, topicFigures } from '../text/text.queries.ts';
import { topicsQuerySchema } from '../text/text.schemas.ts';
import { formatWallTime } from '../lib/time-zone.ts';
import { ProblemError } from '../lib/problem.ts';
import type { AppDeps } from '../lib/types.ts';
import { targetStatusReport } from '../targets/targets.queries.ts';
import type { Figure, TargetLevel, TargetMetric } from '../targets/targets.schemas.ts';
import { brandNames, breachingCases, branchesInScope, regionNames, surveyExists } from './reports.queries.ts';
import { leagueChart, trendChart } from './render-chart.ts';
import { explanationSentence, fmt, fmtP, fmtSigned, rt, type ReportLocale, type ReportTextKey } from './texts.ts';

export const FILTER_KEYS = ['branch', 'region', 'brand', 'tier', 'customerType', 'vehicleClass', 'channel'] as const;
export type ReportFilters = Partial<Record<(typeof FILTER_KEYS)[number], string[]>>;

export interface ReportSpec {
  surveyId: string;
  /** null = since the first answer (no previous period, no changes). */
  from: string | null;
  to: string | null;
  filters: ReportFilters;
  locale: ReportLocale;
  /** The reader's branches (null = all), applied inside the SQL. */
  branchScope: string[] | null;
  interval: 'day' | 'week' | 'month';
  /** First day of the trend (default: the period's). */
  trendFrom?: string | null;
  /** The title: a weekly or monthly digest, or a report from the dashboard. */
  kind: 'weekly' | 'monthly' | 'report';
}

export interface ReportEnv {
  db: Database;
  sql: Sql;
  /** Analytics reads (a replica when there is one); rollups are brought up to date on `sql`. */
  readSql?: Sql;
  timeZone: string;
  now: Date;
  publicUrl: string;
  /** The app's dependencies, for the targets domain's figures against their targets. */
  deps: AppDeps;
}

/** A target that applies to a figure and the figure's status against it (docs/statistics.md#targets). */
export interface TargetMark {
  value: number;
  status: NonNullable<Figure['status']>;
}

export interface HeadlineFigure {
  metric: 'nps' | 'csat' | 'csi';
  n: number;
  value: number | null;
  previous: number | null;
  change: number | null;
  p: number | null;
  significant: boolean;
  target: TargetMark | null;
}

export interface LeagueRow {
  code: string;
  label: string;
  n: number;
  nps: number | null;
  change: number | null;
  significant: boolean;
  suppressed: boolean;
  /** The branch's NPS target, when one applies. */
  target: TargetMark | null;
}

export interface Mover {
  code: string;
  label: string;
  change: number;
  significant: boolean;
  why: string;
  kind: 'driver' | 'mix' | 'rest' | 'steady' | null;
  driver: string | null;
}

export interface TopicNews {
  id: string;
  label: string;
  volume: number;
  share: number;
  previousShare: number | null;
  isNew: boolean;
}

export interface BreachLine {
  number: number;
  branch: string;
  priority: string;
  status: string;
  kind: 'first_response' | 'resolution';
  due: string;
}

export interface ReportData {
  kind: ReportSpec['kind'];
  locale: ReportLocale;
  title: string;
  survey: { id: string; name: string };
  period: { from: string | null; to: string | null };
  previous: { from: string; to: string } | null;
  scopeLabel: string;
  minN: number;
  responses: number;
  headline: HeadlineFigure[];
  trend: { label: string; value: number | null; n: number }[];
  league: LeagueRow[];
  movers: Mover[];
  topics: TopicNews[];
  phrases: string[];
  breaches: { total: number; rows: BreachLine[] };
  dashboardUrl: string;
  generatedAt: string;
  timeZone: string;
}

const MOVERS = 3;

/** Runs the engine function, turning "too few responses / impossible" (400, 422) into null. */
async function orNull<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError && (error.status === 422 || error.status === 400)) return null;
    throw error;
  }
}

const nonEmpty = (filters: ReportFilters) => Object.fromEntries(Object.entries(filters).filter(([, v]) => v && v.length > 0));

export async function buildReport(env: ReportEnv, spec: ReportSpec): Promise<ReportData> {
  const survey = await surveyExists(env.db, spec.surveyId);
  if (!survey) throw new ProblemError(404, 'Not Found', 'No such survey');
  const read = env.readSql ?? env.sql;
  const options = { timeZone: env.timeZone, branchScope: spec.branchScope, primary: env.sql };
  const filters = nonEmpty(spec.filters);
  const base = { survey: spec.surveyId, ...filters, lang: spec.locale };
  const period = { from: spec.from, to: spec.to };
  const comparable = !!spec.from && !!spec.to;

  // Headline figures: against the previous period of equal length when there is one.
  const summary = await buildSummary(read, summaryQuerySchema.parse({ ...base, from: spec.from ?? undefined, to: spec.to ?? undefined }), options);
  const minN = summary.minN;
  let headline: HeadlineFigure[];
  let previous: { from: string; to: string } | null = null;
  let league: LeagueRow[];
  if (comparable) {
    const compare = await buildCompare(read, compareQuerySchema.parse({ ...base, from: spec.from, to: spec.to, against: 'previous' }), options);
    previous = compare.previous;
    const total = compare.total!;
    headline = [
      {
        metric: 'nps',
        n: total.nps.n,
        value: total.nps.score,
        previous: total.nps.reference,
        change: total.nps.difference,
        p: total.nps.pAdjusted,
        significant: total.nps.significant,
        target: null,
      },
      {
        metric: 'csat',
        n: total.csat.n,
        value: total.csat.top2,
        previous: total.csat.reference,
        change: total.csat.difference,
        p: total.csat.pAdjusted,
        significant: total.csat.significant,
        target: null,
      },
      {
        metric: 'csi',
        n: total.csi.n,
        value: total.csi.score,
        previous: total.csi.reference,
        change: total.csi.difference,
        p: total.csi.pAdjusted,
        significant: total.csi.significant,
        target: null,
      },
    ];
    const byBranch = await buildCompare(
      read,
      compareQuerySchema.parse({ ...base, from: spec.from, to: spec.to, against: 'previous', groupBy: 'branch' }),
      options,
    );
    const branchSummary = await buildSummary(read, summaryQuerySchema.parse({ ...base, from: spec.from, to: spec.to, groupBy: 'branch' }), options);
    league = branchSummary.groups.map((g) => {
      const c = byBranch.groups.find((x) => x.key === g.key);
      return {
        code: g.key,
        label: g.label,
        n: g.nps.n,
        nps: g.suppressed ? null : g.nps.score,
        change: c?.nps.difference ?? null,
        significant: c?.nps.significant ?? false,
        suppressed: g.suppressed,
        target: null,
      };
    });
  } else {
    const t = summary.total;
    headline = [
      { metric: 'nps', n: t.nps.n, value: t.nps.score, previous: null, change: null, p: null, significant: false, target: null },
      { metric: 'csat', n: t.csat.n, value: t.csat.top2, previous: null, change: null, p: null, significant: false, target: null },
      { metric: 'csi', n: t.csi.n, value: t.csi.score, previous: null, change: null, p: null, significant: false, target: null },
    ];
    const branchSummary = await buildSummary(read, summaryQuerySchema.parse({ ...base, to: spec.to ?? undefined, groupBy: 'branch' }), options);
    league = branchSummary.groups.map((g) => ({
      code: g.key,
      label: g.label,
      n: g.nps.n,
      nps: g.suppressed ? null : g.nps.score,
      change: null,
      significant: false,
      suppressed: g.suppressed,
      target: null,
    }));
  }
  league.sort((a, b) => (b.nps ?? -Infinity) - (a.nps ?? -Infinity) || a.code.localeCompare(b.code));

  // Trend of NPS up to the period's end.
  const trendResult = await buildTrend(
    read,
    trendQuerySchema.parse({ ...base, from: spec.trendFrom ?? spec.from ?? undefined, to: spec.to ?? undefined, interval: spec.interval, metric: 'nps' }),
    options,
  );
  const trend = (trendResult.series[0]?.points ?? []).map((p) => ({ label: p.label, value: p.suppressed ? null : p.value, n: p.n }));

  // Top movers: the branches whose NPS moved most, significant ones first, each with why it moved.
  const movers: Mover[] = [];
  if (comparable) {
    const candidates = league
      .filter((r) => r.change !== null)
      .sort((a, b) => Number(b.significant) - Number(a.significant) || Math.abs(b.change!) - Math.abs(a.change!))
      .slice(0, MOVERS);
    for (const row of candidates) {
      const change = await orNull(() =>
        buildChange(read, changeQuerySchema.parse({ ...base, branch: [row.code], from: spec.from, to: spec.to, metric: 'nps' }), options),
      );
      movers.push({
        code: row.code,
        label: row.label,
        change: row.change!,
        significant: row.significant,
        why: change ? explanationSentence(spec.locale, change.explanation) : rt(spec.locale, 'whyTooFew'),
        kind: change?.explanation.kind ?? null,
        driver: change?.explanation.driver ?? null,
      });
    }
  }

  // New topics in comments: topics whose share of the comments rose most (new ones first), and phrases
  // frequent now that were not before.
  let topics: TopicNews[] = [];
  let phrases: string[] = [];
  if (comparable && previous) {
    const now = await topicFigures(read, topicsQuerySchema.parse({ ...base, from: spec.from, to: spec.to }), options);
    const before = await topicFigures(read, topicsQuerySchema.parse({ ...base, from: previous.from, to: previous.to }), options);
    const lexicon = await loadLexicon(env.sql);
    const labelOf = (id: string) => lexicon.topics.find((t) => t.id === id)?.label[spec.locale] ?? id;
    const comments = now.totals?.comments ?? 0;
    const commentsBefore = before.totals?.comments ?? 0;
    if (comments >= minN) {
      topics = now.rows
        .filter((r) => r.volume >= minN)
        .map((r) => {
          const prev = before.rows.find((b) => b.topic_id === r.topic_id);
          const share = (100 * r.volume) / comments;
          const previousShare = commentsBefore > 0 ? (100 * (prev?.volume ?? 0)) / commentsBefore : null;
          return { id: r.topic_id, label: labelOf(r.topic_id), volume: r.volume, share, previousShare, isNew: (prev?.volume ?? 0) === 0 };
        })
        .filter((t) => t.isNew || (t.previousShare !== null && t.share - t.previousShare >= 1))
        .sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.share - (b.previousShare ?? 0) - (a.share - (a.previousShare ?? 0)))
        .slice(0, 3);
      const earlier = new Set(before.phrases.map((p) => p.phrase));
      phrases = now.phrases
        .filter((p) => !earlier.has(p.phrase))
        .slice(0, 5)
        .map((p) => p.phrase);
    }
  }

  // Cases past their SLA in the report's branches.
  const visible = await branchesInScope(env.db, spec.branchScope);
  const restricted = !!(filters.branch?.length || filters.region?.length || filters.brand?.length);
  const inReport = visible.filter(
    (b) =>
      (!filters.branch?.length || filters.branch.includes(b.code)) &&
      (!filters.region?.length || filters.region.includes(b.region)) &&
      (!filters.brand?.length || (b.brand !== null && filters.brand.includes(b.brand))),
  );
  const caseBranches = spec.branchScope === null && !restricted ? null : inReport.map((b) => b.id);
  const late = await breachingCases(read, caseBranches, env.now);
  const breaches = {
    total: late.total,
    rows: late.rows.map((r) => ({
      number: r.number,
      branch: r.branch_code ? `${r.branch_code} ${spec.locale === 'en' ? (r.branch_name_en ?? r.branch_name) : r.branch_name}` : '–',
      priority: rt(spec.locale, `priority.${r.priority}` as ReportTextKey),
      status: rt(spec.locale, `status.${r.status}` as ReportTextKey),
      kind: r.kind,
      due: formatWallTime(r.due_at, env.timeZone),
    })),
  };

  // Whose figures: the filters' branches or regions, else the reader's branches, else the company.
  const branchName = (b: { code: string; name: string; nameEn: string | null }) => `${b.code} ${spec.locale === 'en' ? (b.nameEn ?? b.name) : b.name}`;
  const sep = spec.locale === 'en' ? ', ' : '、';
  let scopeLabel: string;
  if (filters.region?.length) {
    const names = await regionNames(env.db, filters.region);
    scopeLabel = filters.region
      .map((code) => names.find((n) => n.code === code))
      .map((n, i) => (n ? (spec.locale === 'en' ? (n.nameEn ?? n.name) : n.name) : filters.region![i]))
      .join(sep);
  } else if (filters.brand?.length && !filters.branch?.length) {
    const names = await brandNames(env.db, filters.brand);
    scopeLabel = filters.brand
      .map((code) => names.find((n) => n.code === code))
      .map((n, i) => (n ? (spec.locale === 'en' ? (n.nameEn ?? n.name) : n.name) : filters.brand![i]))
      .join(sep);
  } else if (filters.branch?.length || spec.branchScope !== null) {
    scopeLabel = inReport.map(branchName).join(sep) || '–';
  } else scopeLabel = rt(spec.locale, 'company');

  await markTargets(env, spec, filters, inReport, headline, league);

  const params = new URLSearchParams({ survey: spec.surveyId });
  if (spec.from) params.set('from', spec.from);
  if (spec.to) params.set('to', spec.to);
  if (spec.from || spec.to) params.set('period', 'custom');
  for (const [k, values] of Object.entries(filters)) for (const v of values ?? []) params.append(k, v);

  return {
    kind: spec.kind,
    locale: spec.locale,
    title: rt(spec.locale, spec.kind),
    survey,
    period,
    previous,
    scopeLabel,
    minN,
    responses: summary.total.responses,
    headline,
    trend,
    league,
    movers,
    topics,
    phrases,
    breaches,
    dashboardUrl: `${env.publicUrl}/dashboard?${params}`,
    generatedAt: formatWallTime(env.now, env.timeZone),
    timeZone: env.timeZone,
  };
}

const TARGET_METRIC: Record<HeadlineFigure['metric'], TargetMetric> = { nps: 'nps', csat: 'csat_top2', csi: 'csi' };
const FIGURE_FILTERS = ['tier', 'customerType', 'vehicleClass', 'channel'] as const;

/**
 * Puts beside the headline figures and the league's NPS the target that applies and the status against it,
 * as the targets domain gives them (GET /api/targets/status) for the same period and the reader's branches.
 * A target is set for a whole company, region or branch: with a filter on customers, vehicles or channels
 * the report's figures are not that whole, and no target is shown. The headline is the company's (no
 * filter, all branches), one region's or one branch's; otherwise it has no target.
 */
async function markTargets(
  env: ReportEnv,
  spec: ReportSpec,
  filters: ReportFilters,
  inReport: { code: string }[],
  headline: HeadlineFigure[],
  league: LeagueRow[],
): Promise<void> {
  if (FIGURE_FILTERS.some((k) => filters[k]?.length)) return;
  const actor = { label: 'report', userId: null, email: null, branchScope: spec.branchScope };
  const options = { timeZone: env.timeZone, branchScope: spec.branchScope };
  const period = { survey: spec.surveyId, from: spec.from ?? undefined, to: spec.to ?? undefined, lang: spec.locale };
  const mark = (figure: Figure | undefined): TargetMark | null =>
    figure?.target && figure.status ? { value: figure.target.value, status: figure.status } : null;

  const branches = filters.branch ?? [];
  const regions = filters.region ?? [];
  // Targets are set for the company, a region or a branch, never for a brand: a brand's whole has none.
  const byBrand = (filters.brand?.length ?? 0) > 0;
  let whole: { level: TargetLevel; code?: string } | null = null;
  if (branches.length === 0 && regions.length === 0) {
    if (spec.branchScope === null && !byBrand) whole = { level: 'company' };
    else if (inReport.length === 1) whole = { level: 'branch', code: inReport[0].code };
  } else if (branches.length === 0 && regions.length === 1 && spec.branchScope === null && !byBrand) whole = { level: 'region', code: regions[0] };
  else if (branches.length === 1 && regions.length === 0) whole = { level: 'branch', code: branches[0] };

  const [own, byBranch] = await Promise.all([
    whole ? targetStatusReport(env.deps, actor, { ...period, ...whole }, options) : Promise.resolve(null),
    league.length > 0 ? targetStatusReport(env.deps, actor, { ...period, level: 'branch' }, options) : Promise.resolve(null),
  ]);
  const figures = own?.rows.find((r) => (whole?.level === 'company' ? true : r.key === whole?.code))?.figures ?? [];
  for (const h of headline) h.target = mark(figures.find((f) => f.metric === TARGET_METRIC[h.metric]));
  for (const row of league) {
    row.target = mark(byBranch?.rows.find((r) => r.key === row.code)?.figures.find((f) => f.metric === 'nps'));
  }
}

/** The status against a target as words with a symbol ("✓ met"), never colour alone; "–" without a target. */
export const targetWords = (locale: ReportLocale, mark: TargetMark | null) => (mark ? rt(locale, `target.${mark.status}`) : '–');

/** How the report says its period: "2026-05-25 – 2026-05-31". */
export function periodText(report: Pick<ReportData, 'period' | 'locale'>): string {
  const { from, to } = report.period;
  if (!from) return to ? `… – ${to}` : rt(report.locale, 'allTime');
  return `${from} – ${to ?? '…'}`;
}

/**
 * The trend of a dashboard period: by week up to a quarter, else by month; it reaches back at least twelve
 * weeks (or months) before the period's end, so a short period still shows where it came from.
 */
export function trendFor(from: string | null, to: string | null): { interval: 'week' | 'month'; trendFrom: string | null } {
  if (!to) return { interval: 'month', trendFrom: from };
  const days = from ? daysInclusive(from, to) : Infinity;
  if (days <= 92) {
    const back = addDays(to, -83);
    return { interval: 'week', trendFrom: from && from < back ? from : back };
  }
  const back = `${addDays(to, -334).slice(0, 7)}-01`;
  return { interval: 'month', trendFrom: from && from < back ? from : back };
}

// ── The e-mail ─────────────────────────────────────────────────────────────────────────────────────────

export interface DigestImages {
  trend: Buffer;
  league: Buffer;
}

export function renderImages(report: ReportData): DigestImages {
  return {
    trend: trendChart(report.trend, rt(report.locale, 'trend')),
    league: leagueChart(
      report.league.map((r) => ({ label: r.label, value: r.nps, change: r.change })),
      rt(report.locale, 'league'),
    ),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function significance(locale: ReportLocale, h: HeadlineFigure): string {
  if (h.p === null) return h.change === null ? '–' : rt(locale, 'untested');
  return rt(locale, h.significant ? 'significant' : 'notSignificant', { p: fmtP(h.p) });
}

export function digestSubject(report: ReportData): string {
  const nps = report.headline.find((h) => h.metric === 'nps')!;
  const change = nps.change === null ? '' : ` (${fmtSigned(nps.change)})`;
  return `${report.title} · ${report.scopeLabel.length > 40 ? `${report.scopeLabel.slice(0, 40)}…` : report.scopeLabel} · ${periodText(report)} · NPS ${fmt(nps.value)}${change}`;
}

export const TREND_CID = 'trend@report';
export const LEAGUE_CID = 'league@report';

/** The digest's HTML: tables with inline styles (mail clients ignore style sheets), charts by CID. */
export function digestHtml(report: ReportData, subscriptionLink: string): string {
  const L = report.locale;
  const td = 'style="padding:4px 8px;border-bottom:1px solid #e2e8f0"';
  const th = 'style="padding:4px 8px;border-bottom:2px solid #cbd5e1;text-align:left"';
  const color = (v: number | null) => (v === null ? '#334155' : v > 0 ? '#15803d' : v < 0 ? '#b91c1c' : '#334155');
  const rows: string[] = [];
  rows.push(`<h1 style="font-size:20px;margin:0 0 8px">${escapeHtml(report.title)}</h1>`);
  rows.push(
    `<p style="margin:0 0 16px;color:#475569">${rt(L, 'period')}: <span data-report="period">${escapeHtml(periodText(report))}</span>` +
      (report.previous ? ` · ${rt(L, 'previous')}: ${report.previous.from} – ${report.previous.to}` : '') +
      ` · ${rt(L, 'scope')}: <span data-report="scope">${escapeHtml(report.scopeLabel)}</span>` +
      ` · ${rt(L, 'survey')}: ${escapeHtml(report.survey.name)} · ${rt(L, 'responses')}: <span data-report="responses">${report.responses}</span></p>`,
  );

  rows.push(`<h2 style="font-size:16px">${rt(L, 'headline')}</h2>`);
  rows.push(
    `<table style="border-collapse:collapse" data-report="headline"><tr><th ${th}>${rt(L, 'metric')}</th><th ${th}>${rt(L, 'value')}</th><th ${th}>${rt(L, 'before')}</th><th ${th}>${rt(L, 'change')}</th><th ${th}>${rt(L, 'significance')}</th><th ${th}>${rt(L, 'n')}</th><th ${th}>${rt(L, 'target')}</th><th ${th}>${rt(L, 'targetStatus')}</th></tr>`,
  );
  for (const h of report.headline) {
    rows.push(
      `<tr data-metric="${h.metric}"><td ${td}>${rt(L, h.metric)}</td><td ${td} data-field="value"><b>${fmt(h.value)}</b></td><td ${td} data-field="previous">${fmt(h.previous)}</td>` +
        `<td ${td} data-field="change" style="padding:4px 8px;border-bottom:1px solid #e2e8f0;color:${color(h.change)}">${fmtSigned(h.change)}</td>` +
        `<td ${td} data-field="significance">${escapeHtml(significance(L, h))}</td><td ${td} data-field="n">${h.n}</td>` +
        `<td ${td} data-field="target">${h.target ? fmt(h.target.value) : '–'}</td><td ${td} data-field="targetStatus">${escapeHtml(targetWords(L, h.target))}</td></tr>`,
    );
  }
  rows.push('</table>');

  rows.push(`<p><img src="cid:${TREND_CID}" alt="${escapeHtml(rt(L, 'trend'))}" width="640" style="max-width:100%"></p>`);

  rows.push(`<h2 style="font-size:16px">${rt(L, 'league')}</h2>`);
  rows.push(`<p><img src="cid:${LEAGUE_CID}" alt="${escapeHtml(rt(L, 'league'))}" width="640" style="max-width:100%"></p>`);
  rows.push(
    `<table style="border-collapse:collapse" data-report="league"><tr><th ${th}>${rt(L, 'rank')}</th><th ${th}>${rt(L, 'branch')}</th><th ${th}>NPS</th><th ${th}>${rt(L, 'change')}</th><th ${th}>${rt(L, 'n')}</th><th ${th}>${rt(L, 'target')}</th><th ${th}>${rt(L, 'targetStatus')}</th></tr>`,
  );
  report.league.forEach((r, i) => {
    rows.push(
      `<tr data-branch="${escapeHtml(r.code)}"><td ${td}>${r.nps === null ? '' : i + 1}</td><td ${td}>${escapeHtml(r.code)} ${escapeHtml(r.label)}</td>` +
        `<td ${td} data-field="nps">${r.suppressed ? rt(L, 'suppressed') : fmt(r.nps)}</td>` +
        `<td ${td} data-field="change" style="padding:4px 8px;border-bottom:1px solid #e2e8f0;color:${color(r.change)}">${fmtSigned(r.change)}${r.significant ? ' *' : ''}</td><td ${td} data-field="n">${r.n}</td>` +
        `<td ${td} data-field="target">${r.target ? fmt(r.target.value) : '–'}</td><td ${td} data-field="targetStatus">${escapeHtml(targetWords(L, r.target))}</td></tr>`,
    );
  });
  rows.push('</table>');
  if (hasTargets(report)) rows.push(`<p style="color:#64748b;font-size:12px">${escapeHtml(rt(L, 'targetNote'))}</p>`);

  if (report.movers.length > 0) {
    rows.push(`<h2 style="font-size:16px">${rt(L, 'movers')}</h2><ul data-report="movers">`);
    for (const m of report.movers) {
      rows.push(
        `<li data-branch="${escapeHtml(m.code)}" data-kind="${m.kind ?? ''}" data-driver="${m.driver ?? ''}"><b>${escapeHtml(m.code)} ${escapeHtml(m.label)}</b> NPS <span style="color:${color(m.change)}">${fmtSigned(m.change)}</span>${m.significant ? ' *' : ''}: ${escapeHtml(m.why)}</li>`,
      );
    }
    rows.push('</ul>');
  }

  rows.push(`<h2 style="font-size:16px">${rt(L, 'topics')}</h2>`);
  if (report.topics.length === 0 && report.phrases.length === 0) rows.push(`<p>${rt(L, 'noTopics')}</p>`);
  else {
    rows.push('<ul data-report="topics">');
    for (const t of report.topics) {
      rows.push(
        `<li data-topic="${escapeHtml(t.id)}"><b>${escapeHtml(t.label)}</b>${t.isNew ? ` (${rt(L, 'topicNew')})` : ''}: ${rt(L, 'topicShare', { share: fmt(t.share), previous: fmt(t.previousShare) })}</li>`,
      );
    }
    if (report.phrases.length) rows.push(`<li>${rt(L, 'phrases')}: ${report.phrases.map(escapeHtml).join(L === 'en' ? ', ' : '、')}</li>`);
    rows.push('</ul>');
  }

  rows.push(`<h2 style="font-size:16px">${rt(L, 'breaches')} (<span data-report="breaches">${report.breaches.total}</span>)</h2>`);
  if (report.breaches.total === 0) rows.push(`<p>${rt(L, 'noBreaches')}</p>`);
  else {
    rows.push(
      `<table style="border-collapse:collapse"><tr><th ${th}>${rt(L, 'case')}</th><th ${th}>${rt(L, 'branch')}</th><th ${th}>${rt(L, 'priority')}</th><th ${th}>${rt(L, 'status')}</th><th ${th}>${rt(L, 'due')}</th></tr>`,
    );
    for (const b of report.breaches.rows) {
      rows.push(
        `<tr data-case="${b.number}"><td ${td}>#${b.number}</td><td ${td}>${escapeHtml(b.branch)}</td><td ${td}>${escapeHtml(b.priority)}</td><td ${td}>${escapeHtml(b.status)}</td><td ${td}>${b.due} (${rt(L, b.kind === 'first_response' ? 'firstResponse' : 'resolution')})</td></tr>`,
      );
    }
    rows.push('</table>');
    if (report.breaches.total > report.breaches.rows.length) rows.push(`<p>${rt(L, 'more', { n: report.breaches.total - report.breaches.rows.length })}</p>`);
  }

  rows.push(`<p><a href="${escapeHtml(report.dashboardUrl)}">${rt(L, 'openDashboard')}</a></p>`);
  rows.push(
    `<p style="color:#64748b;font-size:12px">${escapeHtml(rt(L, 'footer', { link: subscriptionLink }))} · ${report.generatedAt} (${escapeHtml(report.timeZone)})</p>`,
  );
  return `<!doctype html><html lang="${L}"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title></head><body style="font-family:'Noto Sans SC','PingFang SC','Microsoft YaHei',Arial,sans-serif;color:#0f172a;max-width:720px">${rows.join('\n')}</body></html>`;
}

/** Whether any figure of the report has a target. */
export const hasTargets = (report: ReportData) => report.headline.some((h) => h.target) || report.league.some((r) => r.target);

const targetLine = (locale: ReportLocale, mark: TargetMark | null) =>
  mark ? ` · ${rt(locale, 'target')} ${fmt(mark.value)}: ${targetWords(locale, mark)}` : '';

/** The plain-text part: the same figures without the images. */
export function digestText(report: ReportData, subscriptionLink: string): string {
  const L = report.locale;
  const lines = [
    report.title,
    `${rt(L, 'period')}: ${periodText(report)}`,
    `${rt(L, 'scope')}: ${report.scopeLabel}`,
    `${rt(L, 'responses')}: ${report.responses}`,
    '',
  ];
  lines.push(`${rt(L, 'headline')}:`);
  for (const h of report.headline)
    lines.push(
      `  ${rt(L, h.metric)}: ${fmt(h.value)} (${rt(L, 'change')} ${fmtSigned(h.change)}; ${significance(L, h)}; n = ${h.n})${targetLine(L, h.target)}`,
    );
  lines.push('', `${rt(L, 'league')}:`);
  report.league.forEach((r, i) =>
    lines.push(
      `  ${i + 1}. ${r.code} ${r.label}: ${r.suppressed ? rt(L, 'suppressed') : fmt(r.nps)} (${fmtSigned(r.change)}${r.significant ? ' *' : ''}; n = ${r.n})${targetLine(L, r.target)}`,
    ),
  );
  if (report.movers.length) {
    lines.push('', `${rt(L, 'movers')}:`);
    for (const m of report.movers) lines.push(`  ${m.code} ${m.label}: ${fmtSigned(m.change)} — ${m.why}`);
  }
  lines.push('', `${rt(L, 'topics')}:`);
  if (report.topics.length === 0 && report.phrases.length === 0) lines.push(`  ${rt(L, 'noTopics')}`);
  for (const t of report.topics)
    lines.push(`  ${t.label}${t.isNew ? ` (${rt(L, 'topicNew')})` : ''}: ${rt(L, 'topicShare', { share: fmt(t.share), previous: fmt(t.previousShare) })}`);
  if (report.phrases.length) lines.push(`  ${rt(L, 'phrases')}: ${report.phrases.join(', ')}`);
  lines.push('', `${rt(L, 'breaches')}: ${report.breaches.total}`);
  for (const b of report.breaches.rows) lines.push(`  #${b.number} ${b.branch} · ${b.priority} · ${b.status} · ${b.due}`);
  lines.push('', `${rt(L, 'openDashboard')}: ${report.dashboardUrl}`, '', rt(L, 'footer', { link: subscriptionLink }));
  return `${lines.join('\n')}\n`;
}
