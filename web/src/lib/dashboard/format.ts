// Number, interval and segment-value formatting shared by the dashboard pages.
import { formatNumber, t, type MessageKey, type UiLocale } from '$lib/i18n';

export const fmt = (locale: UiLocale, v: number | null | undefined, digits = 1) => formatNumber(locale, v, digits);

export function fmtInterval(locale: UiLocale, ci: [number, number] | null | undefined, digits = 1): string {
  return ci ? `[${formatNumber(locale, ci[0], digits)}, ${formatNumber(locale, ci[1], digits)}]` : '–';
}

export function fmtPercent(locale: UiLocale, v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '–' : `${formatNumber(locale, v, digits)}%`;
}

export function fmtSigned(locale: UiLocale, v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '–';
  const s = formatNumber(locale, Math.abs(v), digits);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}

export { formatDateTime as fmtDateTime } from '$lib/time';

/** A UI text when one exists for this key, else the fallback. */
function maybe(locale: UiLocale, key: string, fallback: string): string {
  const text = t(locale, key as MessageKey);
  return text === key ? fallback : text;
}

/**
 * The label of a segment value: as the API named it when it did (it answers in the UI language), else the
 * UI's name for known codes (tiers, channels, customer types, vehicle classes…), else the code.
 */
export function segmentLabel(locale: UiLocale, by: string, key: string, apiLabel?: string): string {
  if (apiLabel && apiLabel !== key) return apiLabel;
  if (key === 'unknown') return t(locale, 'seg.unknown');
  const prefix = by === 'vehicleClass' ? 'seg.vehicle' : `seg.${by}`;
  return maybe(locale, `${prefix}.${key}`, key);
}

/** Period group keys are their first day; show them as day, ISO week, month or quarter. */
export function periodLabel(interval: string, key: string): string {
  const d = new Date(`${key}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return key;
  switch (interval) {
    case 'week': {
      const thursday = new Date(d.getTime() + 3 * 86_400_000);
      const year = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
      return `${year}-W${String(week).padStart(2, '0')}`;
    }
    case 'month':
      return key.slice(0, 7);
    case 'quarter':
      return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    default:
      return key;
  }
}
