// UI texts in zh-CN and en. Survey texts come from the survey definition, not from here.
export type UiLocale = 'zh-CN' | 'en';
export const UI_LOCALES: UiLocale[] = ['zh-CN', 'en'];

const messages = {
  'zh-CN': {
    'app.title': '租车客户满意度',
    'nav.dashboard': '仪表盘',
    'nav.surveys': '问卷',
    'lang.switch': 'English',
    'dashboard.title': '各门店 NPS',
    'dashboard.survey': '问卷',
    'dashboard.period': '期间',
    'dashboard.total': '全部',
    'dashboard.noData': '暂无数据',
    'dashboard.showTable': '显示数据表',
    'dashboard.showChart': '显示图表',
    'dashboard.downloadCsv': '下载 CSV',
    'metric.nps': 'NPS',
    'metric.n': '样本量',
    'metric.ci95': '95% 置信区间',
    'metric.promoters': '推荐者',
    'metric.passives': '中立者',
    'metric.detractors': '贬损者',
    'metric.suppressed': '样本过少',
    'branch': '门店',
  },
  en: {
    'app.title': 'Rental Satisfaction',
    'nav.dashboard': 'Dashboard',
    'nav.surveys': 'Surveys',
    'lang.switch': '中文',
    'dashboard.title': 'NPS by branch',
    'dashboard.survey': 'Survey',
    'dashboard.period': 'Period',
    'dashboard.total': 'All branches',
    'dashboard.noData': 'No data yet',
    'dashboard.showTable': 'Show numbers',
    'dashboard.showChart': 'Show chart',
    'dashboard.downloadCsv': 'Download CSV',
    'metric.nps': 'NPS',
    'metric.n': 'n',
    'metric.ci95': '95% interval',
    'metric.promoters': 'Promoters',
    'metric.passives': 'Passives',
    'metric.detractors': 'Detractors',
    'metric.suppressed': 'n too small',
    'branch': 'Branch',
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
