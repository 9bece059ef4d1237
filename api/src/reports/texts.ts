// The words of a digest and its PDF, in zh-CN and en (the subscriber's language). The "why it moved"
// sentences are the branch page's (web/src/lib/i18n/dashboard.ts change.sentence.*), said the same way here.
import type { ChangeExplanation } from '../analytics/change.schemas.ts';

export type ReportLocale = 'zh-CN' | 'en';

const TEXTS = {
  'zh-CN': {
    weekly: '客户满意度周报',
    monthly: '客户满意度月报',
    report: '客户满意度报告',
    period: '期间',
    previous: '对比期间',
    scope: '范围',
    company: '全公司',
    survey: '问卷',
    responses: '回答数',
    headline: '核心指标',
    metric: '指标',
    value: '本期',
    before: '上期',
    change: '变化',
    significance: '显著性',
    significant: '显著 (p = {p})',
    notSignificant: '不显著 (p = {p})',
    untested: '样本不足，未检验',
    nps: 'NPS',
    csat: 'CSAT（满意率）',
    csi: 'CSI（满意度指数）',
    trend: 'NPS 趋势',
    league: '门店排名（NPS）',
    rank: '名次',
    branch: '门店',
    n: '样本量',
    suppressed: '样本过少',
    movers: '变化最大的门店',
    why: '原因',
    whyTooFew: '回答太少，无法分析变化原因。',
    topics: '评论中的新话题',
    topicNew: '新出现',
    topicShare: '{share}% 的评论（上期 {previous}%）',
    phrases: '新的高频词',
    noTopics: '评论话题没有明显变化。',
    breaches: '超过 SLA 时限的工单',
    noBreaches: '没有超时的工单。',
    case: '工单',
    priority: '优先级',
    status: '状态',
    due: '时限',
    firstResponse: '首次响应',
    resolution: '解决',
    more: '另有 {n} 个',
    openDashboard: '打开仪表盘',
    footer: '您收到这封邮件是因为您在“报告订阅”中订阅了此报告。在 {link} 修改或取消订阅。',
    allTime: '全部时间',
    noPrevious: '无对比期间',
    points: '分',
    'sentence.driver.down': '{label}约解释了下降的 {total} 分中的 {part} 分。',
    'sentence.driver.up': '{label}约解释了上升的 {total} 分中的 {part} 分。',
    'sentence.mix.down': '客户构成的变化约解释了下降的 {total} 分中的 {part} 分。',
    'sentence.mix.up': '客户构成的变化约解释了上升的 {total} 分中的 {part} 分。',
    'sentence.rest.down': '下降的 {total} 分中约 {part} 分无法用各服务维度或客户构成解释。',
    'sentence.rest.up': '上升的 {total} 分中约 {part} 分无法用各服务维度或客户构成解释。',
    'sentence.steady': '{metric}基本没有变化（{change} 分）。',
    'priority.low': '低',
    'priority.normal': '普通',
    'priority.high': '高',
    'priority.urgent': '紧急',
    'status.open': '待处理',
    'status.in_progress': '处理中',
    'status.resolved': '已解决',
    'status.closed': '已关闭',
    'status.reopened': '重新打开',
    target: '目标',
    targetStatus: '对照目标',
    'target.met': '✓ 达标',
    'target.not_met': '✗ 未达标',
    'target.indistinguishable': '≈ 无法区分',
    'target.no_data': '– 无数据',
    targetNote: '目标状态按 95% 置信区间判断：“达标”指整个区间都在目标的好的一侧，“无法区分”指目标落在区间内。',
  },
  en: {
    weekly: 'Weekly satisfaction digest',
    monthly: 'Monthly satisfaction digest',
    report: 'Satisfaction report',
    period: 'Period',
    previous: 'Compared with',
    scope: 'Scope',
    company: 'Whole company',
    survey: 'Survey',
    responses: 'Responses',
    headline: 'Headline figures',
    metric: 'Figure',
    value: 'This period',
    before: 'Previous',
    change: 'Change',
    significance: 'Significance',
    significant: 'significant (p = {p})',
    notSignificant: 'not significant (p = {p})',
    untested: 'too few responses to test',
    nps: 'NPS',
    csat: 'CSAT (top-2-box)',
    csi: 'CSI (satisfaction index)',
    trend: 'NPS trend',
    league: 'Branch league table (NPS)',
    rank: 'Rank',
    branch: 'Branch',
    n: 'n',
    suppressed: 'too few responses',
    movers: 'Top movers',
    why: 'Why',
    whyTooFew: 'Too few responses to say why it moved.',
    topics: 'New topics in comments',
    topicNew: 'new',
    topicShare: '{share}% of comments (before: {previous}%)',
    phrases: 'New frequent phrases',
    noTopics: 'No notable change in what comments are about.',
    breaches: 'Cases breaching their SLA',
    noBreaches: 'No case is past its time limit.',
    case: 'Case',
    priority: 'Priority',
    status: 'Status',
    due: 'Due',
    firstResponse: 'first response',
    resolution: 'resolution',
    more: '{n} more',
    openDashboard: 'Open the dashboard',
    footer: 'You receive this e-mail because you subscribed to it under "Report subscription". Change or cancel it at {link}.',
    allTime: 'all time',
    noPrevious: 'no previous period',
    points: 'points',
    'sentence.driver.down': '{label} explains about {part} of the {total} points lost.',
    'sentence.driver.up': '{label} explains about {part} of the {total} points gained.',
    'sentence.mix.down': 'The change in customer mix explains about {part} of the {total} points lost.',
    'sentence.mix.up': 'The change in customer mix explains about {part} of the {total} points gained.',
    'sentence.rest.down': 'About {part} of the {total} points lost is not explained by the service dimensions or the customer mix.',
    'sentence.rest.up': 'About {part} of the {total} points gained is not explained by the service dimensions or the customer mix.',
    'sentence.steady': '{metric} hardly moved ({change} points).',
    'priority.low': 'low',
    'priority.normal': 'normal',
    'priority.high': 'high',
    'priority.urgent': 'urgent',
    'status.open': 'open',
    'status.in_progress': 'in progress',
    'status.resolved': 'resolved',
    'status.closed': 'closed',
    'status.reopened': 'reopened',
    target: 'Target',
    targetStatus: 'Against target',
    'target.met': '✓ met',
    'target.not_met': '✗ not met',
    'target.indistinguishable': '≈ not distinguishable',
    'target.no_data': '– no data',
    targetNote:
      'Target status is judged by the 95 % interval: met when the whole interval lies on the good side of the target, not distinguishable when the target lies inside it.',
  },
} as const;

export type ReportTextKey = keyof (typeof TEXTS)['en'];

export function rt(locale: ReportLocale, key: ReportTextKey, params: Record<string, string | number> = {}): string {
  const text: string = TEXTS[locale][key] ?? TEXTS.en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** A figure as the report prints it: one decimal, "–" for none. Tests read the same format back. */
export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toFixed(digits);
}

/** A change with its sign: +3.1 / −2.0 / 0.0. */
export function fmtSigned(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const s = Math.abs(value).toFixed(digits);
  return value > 0 && s !== (0).toFixed(digits) ? `+${s}` : value < 0 && s !== (0).toFixed(digits) ? `−${s}` : s;
}

export function fmtP(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "What mattered most" as one sentence (the branch page's wording), whole points. */
export function explanationSentence(locale: ReportLocale, e: ChangeExplanation): string {
  if (e.kind === 'steady') return rt(locale, 'sentence.steady', { metric: 'NPS', change: fmtSigned(e.change) });
  const direction = e.change < 0 ? 'down' : 'up';
  const params = { label: e.label ?? '', part: Math.abs(e.part).toFixed(0), total: Math.abs(e.change).toFixed(0) };
  return rt(locale, `sentence.${e.kind}.${direction}` as ReportTextKey, params);
}
