// Words for case values in zh-CN and en, shared by the owners' e-mails and the web app (zod-free imports,
// so the web app can use it without the definition schema).
import type { SurveyDefinition } from '@rs/survey-definition';
import { localize } from '@rs/survey-definition/localize';
import { findQuestion } from '@rs/survey-definition/walk';
import type { TriggerReason } from './rules.ts';
import { DEFAULT_LEXICON } from '../text/lexicon.defaults.ts';

export type CaseLocale = 'zh-CN' | 'en';

type Labels = Record<CaseLocale, Record<string, string>>;

export const STATUS_LABELS: Labels = {
  'zh-CN': { open: '待处理', in_progress: '处理中', resolved: '已解决', closed: '已关闭', reopened: '已重开' },
  en: { open: 'Open', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened' },
};

export const PRIORITY_LABELS: Labels = {
  'zh-CN': { low: '低', normal: '普通', high: '高', urgent: '紧急' },
  en: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
};

export const ROOT_CAUSE_LABELS: Labels = {
  'zh-CN': { vehicle_condition: '车况', staff: '员工服务', price_fees: '价格与费用', waiting_time: '等候时间', billing: '结算账单', other: '其他' },
  en: {
    vehicle_condition: 'Vehicle condition',
    staff: 'Staff',
    price_fees: 'Price and fees',
    waiting_time: 'Waiting time',
    billing: 'Billing',
    other: 'Other',
  },
};

export const COMPENSATION_LABELS: Labels = {
  'zh-CN': { none: '无', voucher: '代金券', refund: '退款', discount: '折扣', upgrade: '免费升级', points: '积分', other: '其他' },
  en: { none: 'None', voucher: 'Voucher', refund: 'Refund', discount: 'Discount', upgrade: 'Free upgrade', points: 'Points', other: 'Other' },
};

export const CHANNEL_LABELS: Labels = {
  'zh-CN': { call: '电话', email: '邮件', sms: '短信' },
  en: { call: 'Call', email: 'E-mail', sms: 'SMS' },
};

export const LEVEL_LABELS: Labels = {
  'zh-CN': { '0': '负责人', '1': '区域经理', '2': '质量经理' },
  en: { '0': 'Owner', '1': 'Regional manager', '2': 'Quality manager' },
};

export function label(labels: Labels, locale: CaseLocale, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return labels[locale][String(value)] ?? String(value);
}

function questionText(def: SurveyDefinition | null, id: string, locale: CaseLocale): string {
  const q = def ? findQuestion(def, id) : undefined;
  return q ? localize(q.text, locale, def!.defaultLocale) : id;
}

function choiceText(def: SurveyDefinition | null, questionId: string, choiceId: string, locale: CaseLocale): string {
  const q = def ? findQuestion(def, questionId) : undefined;
  if (!q || (q.type !== 'problems' && q.type !== 'single' && q.type !== 'multi')) return choiceId;
  const choice = [...q.choices, ...(q.other ? [q.other] : []), ...(q.type === 'problems' && q.noProblem ? [q.noProblem] : [])].find((c) => c.id === choiceId);
  return choice ? localize(choice.text, locale, def!.defaultLocale) : choiceId;
}

function itemText(def: SurveyDefinition | null, questionId: string, itemId: string, locale: CaseLocale): string {
  const q = def ? findQuestion(def, questionId) : undefined;
  const item = q?.type === 'matrix' ? q.items.find((i) => i.id === itemId) : undefined;
  return item ? localize(item.text, locale, def!.defaultLocale) : itemId;
}

/** One line per reason: "NPS 3", "问题：车辆不干净、柜台排队久", "关键词“投诉”". */
export function describeReason(reason: TriggerReason, def: SurveyDefinition | null, locale: CaseLocale): string {
  const zh = locale === 'zh-CN';
  switch (reason.type) {
    case 'nps':
      return `NPS ${reason.value}`;
    case 'csat':
      return `CSAT ${reason.value}`;
    case 'score': {
      const what = questionText(def, reason.questionId, locale) + (reason.itemId ? ` · ${itemText(def, reason.questionId, reason.itemId, locale)}` : '');
      return zh ? `${what}：${reason.value} 分` : `${what}: ${reason.value}`;
    }
    case 'problem': {
      const names = reason.choiceIds.map((c) => choiceText(def, reason.questionId, c, locale));
      return zh ? `遇到的问题：${names.join('、')}` : `Problems: ${names.join(', ')}`;
    }
    case 'keyword':
      return zh ? `评论中出现“${reason.keyword}”` : `Comment mentions “${reason.keyword}”`;
    case 'topic': {
      // Shipped topics by their label; a topic added later by its id.
      const topic = DEFAULT_LEXICON.find((t) => t.id === reason.topicId);
      const name = topic ? topic.label[zh ? 'zh-CN' : 'en'] : reason.topicId;
      const negative = reason.label === 'neg';
      return zh ? `评论话题：${name}${negative ? '（负面）' : ''}` : `Comment topic: ${name}${negative ? ' (negative)' : ''}`;
    }
  }
}

export function describeReasons(reasons: TriggerReason[], def: SurveyDefinition | null, locale: CaseLocale): string {
  return reasons.map((r) => describeReason(r, def, locale)).join(locale === 'zh-CN' ? '；' : '; ');
}
