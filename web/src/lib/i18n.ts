// UI texts in zh-CN and en. Survey texts come from the survey definition, not from here.
import { access } from './i18n/access';
import { unavailable } from './i18n/unavailable';
import { dashboard } from './i18n/dashboard';
import { builder } from './i18n/builder';
import { cases } from './i18n/cases';
import { distribution } from './i18n/distribution';
import { loyalty } from './i18n/loyalty';
import { openLinks } from './i18n/open-links';
import { reports } from './i18n/reports';
import { rewards } from './i18n/rewards';
import { complaints } from './i18n/complaints';
import { actionPlans } from './i18n/action-plans';
import { targets } from './i18n/targets';
import { brands } from './i18n/brands';

export type UiLocale = 'zh-CN' | 'en';
export const UI_LOCALES: UiLocale[] = ['zh-CN', 'en'];

// Exported for the test that both languages have the same keys (tests/unit/i18n-keys.test.ts).
// One table per area (./i18n/*.ts); add keys next to the related ones in the area's file.
export const messages = {
  'zh-CN': {
    ...access['zh-CN'],
    ...unavailable['zh-CN'],
    ...dashboard['zh-CN'],
    ...builder['zh-CN'],
    ...cases['zh-CN'],
    ...distribution['zh-CN'],
    ...loyalty['zh-CN'],
    ...openLinks['zh-CN'],
    ...reports['zh-CN'],
    ...rewards['zh-CN'],
    ...complaints['zh-CN'],
    ...actionPlans['zh-CN'],
    ...targets['zh-CN'],
    ...brands['zh-CN'],
  },
  en: {
    ...access.en,
    ...unavailable.en,
    ...dashboard.en,
    ...builder.en,
    ...cases.en,
    ...distribution.en,
    ...loyalty.en,
    ...openLinks.en,
    ...reports.en,
    ...rewards.en,
    ...complaints.en,
    ...actionPlans.en,
    ...targets.en,
    ...brands.en,
  },
} as const;

export type MessageKey = keyof (typeof messages)['en'];

export function t(locale: UiLocale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = messages[locale]?.[key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export function pickUiLocale(cookie: string | undefined, acceptLanguage: string | null): UiLocale {
  if (cookie === 'zh-CN' || cookie === 'en') return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function formatNumber(locale: UiLocale, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
