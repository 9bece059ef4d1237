// Targets beside the dashboards' figures: which status request a view makes, and how a status reads.
import { t, type MessageKey, type UiLocale } from '$lib/i18n';
import type { TargetFigure } from '@rs/api/contract';
import { toQuery, type Period } from '$lib/dashboard/filters';
import { fmt } from '$lib/dashboard/format';

export type TargetLevel = 'company' | 'region' | 'branch';
export const TARGET_METRICS = ['nps', 'csi', 'csat_top2', 'csat_top_box', 'pp100', 'response_rate', 'sla_hit_rate'] as const;

/** `/targets/status?…` for a survey and period (the figures are the period's, the targets those of its last day). */
export function statusPath(survey: string, range: Period, lang: string, level: TargetLevel, code?: string): string {
  return `/targets/status${toQuery({ survey, from: range.from, to: range.to, lang, level, code: code ?? null })}`;
}

/** `/targets/trend?…`: one metric per period against the target of each period (needs a bounded range). */
export function trendPath(survey: string, range: Period, lang: string, interval: string, metric: string, level: TargetLevel, code?: string): string | null {
  if (!range.from) return null;
  return `/targets/trend${toQuery({ survey, from: range.from, to: range.to, lang, interval, metric, level, code: code ?? null })}`;
}

export const metricLabel = (locale: UiLocale, metric: string) => t(locale, `targets.metric.${metric}` as MessageKey);

/** The status in words (with a symbol, never a colour alone); "No target" when none applies. */
export function statusText(locale: UiLocale, status: TargetFigure['status']): string {
  return status ? t(locale, `targets.status.${status}` as MessageKey) : t(locale, 'targets.status.none');
}

/** Units of a metric's figures: percent for shares and rates, none for NPS, CSI and PP100. */
export const isPercent = (metric: string) => metric === 'csat_top2' || metric === 'csat_top_box' || metric === 'response_rate' || metric === 'sla_hit_rate';

/** The unit after a metric's figures: ' %' for shares and rates, nothing else. */
export const metricUnit = (metric: string) => (isPercent(metric) ? ' %' : '');

/** A figure with its unit; '–' when there is none. */
export function figureText(locale: UiLocale, f: Pick<TargetFigure, 'metric' | 'value'>): string {
  return f.value === null ? '–' : `${fmt(locale, f.value)}${metricUnit(f.metric)}`;
}

/** The target a figure is held against, with its unit and period; '–' when none applies. */
export function targetText(locale: UiLocale, f: Pick<TargetFigure, 'metric' | 'target'>): string {
  return f.target ? `${fmt(locale, f.target.value)}${metricUnit(f.metric)} (${f.target.period})` : '–';
}
