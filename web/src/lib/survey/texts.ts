// Texts of the survey page itself (buttons, progress, messages) in every survey locale.
// The survey's own texts (questions, choices, intro, thank-you) come from the survey definition.
import type { AnswerFault, Locale } from './definition';

export type SurveyLocale = Locale;

const en = {
  next: 'Next',
  back: 'Back',
  submit: 'Submit',
  sending: 'Sending…',
  progress: 'Page {i} of {n}',
  required: 'Required',
  requiredNote: 'Questions marked * must be answered.',
  optional: 'optional',
  ifApplies: 'Only if this applies to you.',
  language: 'Language',
  otherSpecify: 'Please specify',
  maxChars: 'Up to {n} characters',
  charsLeft: '{n} characters left',
  chooseUpTo: 'Choose up to {n}.',
  chooseAll: 'Select all that apply.',
  notLikely: 'Not at all likely',
  veryLikely: 'Extremely likely',
  star: '{n} star',
  stars: '{n} stars',
  yourRental: 'Your rental',
  branch: 'Branch',
  returned: 'Returned',
  vehicle: 'Vehicle',
  fixErrors: 'Please check the highlighted questions.',
  pleaseAnswer: 'Please answer this question.',
  pleaseRate: 'Please rate this item.',
  pleaseRateAll: 'Please rate every item.',
  thanksTitle: 'Your answers have been sent',
  thanksDefault: 'Thank you for your feedback. It helps us improve.',
  shareInvite: 'Glad you enjoyed it! Would you tell others about your experience?',
  shareLink: 'Share your experience',
  followUp: 'We are sorry this rental did not go well. Someone from our team will contact you soon.',
  optOut: 'Do not send me surveys any more',
  saveError: 'Your answers could not be sent. Please check your connection and try again.',
  unavailableTitle: 'This link is not available',
  unavailableBody: 'This survey link cannot be used. Thank you for your time.',
  answeredTitle: 'You have already answered, thank you',
  answeredBody: 'We received your answers on {date}.',
  expiredTitle: 'This survey link has expired',
  expiredBody: 'The time to answer this survey has ended. Thank you for your interest.',
  errorTitle: 'Something went wrong',
  errorBody: 'Please try again in a moment.',
  tryAgain: 'Try again',
  csat1: 'Very dissatisfied',
  csat2: 'Dissatisfied',
  csat3: 'Neutral',
  csat4: 'Satisfied',
  csat5: 'Very satisfied',
};

export type SurveyTextKey = keyof typeof en;

const zhCN: Record<SurveyTextKey, string> = {
  next: '下一页',
  back: '上一页',
  submit: '提交',
  sending: '正在提交…',
  progress: '第 {i} 页，共 {n} 页',
  required: '必答',
  requiredNote: '标 * 的题目为必答题。',
  optional: '选答',
  ifApplies: '如适用，请作答。',
  language: '语言',
  otherSpecify: '请说明',
  maxChars: '最多 {n} 个字',
  charsLeft: '还可输入 {n} 个字',
  chooseUpTo: '最多选 {n} 项。',
  chooseAll: '可多选。',
  notLikely: '完全不可能',
  veryLikely: '非常可能',
  star: '{n} 星',
  stars: '{n} 星',
  yourRental: '您的租车',
  branch: '门店',
  returned: '还车时间',
  vehicle: '车型',
  fixErrors: '请检查标出的题目。',
  pleaseAnswer: '请回答此题。',
  pleaseRate: '请为此项评分。',
  pleaseRateAll: '请为每一项评分。',
  thanksTitle: '您的回答已提交',
  thanksDefault: '感谢您的反馈，这能帮助我们改进服务。',
  shareInvite: '很高兴您满意！愿意和别人分享您的体验吗？',
  shareLink: '分享您的体验',
  followUp: '很抱歉这次租车没能让您满意。我们的工作人员会尽快与您联系。',
  optOut: '不再接收问卷',
  saveError: '答案未能发送。请检查网络后重试。',
  unavailableTitle: '此链接不可用',
  unavailableBody: '此问卷链接无法使用。感谢您抽出时间。',
  answeredTitle: '您已完成此问卷，谢谢！',
  answeredBody: '我们已于 {date} 收到您的回答。',
  expiredTitle: '此问卷链接已过期',
  expiredBody: '此问卷的作答期限已过。感谢您的关注。',
  errorTitle: '出了点问题',
  errorBody: '请稍后再试。',
  tryAgain: '重试',
  csat1: '非常不满意',
  csat2: '不满意',
  csat3: '一般',
  csat4: '满意',
  csat5: '非常满意',
};

const zhTW: Record<SurveyTextKey, string> = {
  next: '下一頁',
  back: '上一頁',
  submit: '送出',
  sending: '正在送出…',
  progress: '第 {i} 頁，共 {n} 頁',
  required: '必答',
  requiredNote: '標 * 的題目為必答題。',
  optional: '選答',
  ifApplies: '如適用，請作答。',
  language: '語言',
  otherSpecify: '請說明',
  maxChars: '最多 {n} 個字',
  charsLeft: '還可輸入 {n} 個字',
  chooseUpTo: '最多選 {n} 項。',
  chooseAll: '可複選。',
  notLikely: '完全不可能',
  veryLikely: '非常可能',
  star: '{n} 星',
  stars: '{n} 星',
  yourRental: '您的租車',
  branch: '門市',
  returned: '還車時間',
  vehicle: '車型',
  fixErrors: '請檢查標示的題目。',
  pleaseAnswer: '請回答此題。',
  pleaseRate: '請為此項評分。',
  pleaseRateAll: '請為每一項評分。',
  thanksTitle: '您的回答已送出',
  thanksDefault: '感謝您的回饋，這能幫助我們改善服務。',
  shareInvite: '很高興您滿意！願意和別人分享您的體驗嗎？',
  shareLink: '分享您的體驗',
  followUp: '很抱歉這次租車沒能讓您滿意。我們的工作人員會盡快與您聯繫。',
  optOut: '不再接收問卷',
  saveError: '答案未能送出。請檢查網路後重試。',
  unavailableTitle: '此連結無法使用',
  unavailableBody: '此問卷連結無法使用。感謝您撥冗。',
  answeredTitle: '您已完成此問卷，謝謝！',
  answeredBody: '我們已於 {date} 收到您的回答。',
  expiredTitle: '此問卷連結已過期',
  expiredBody: '此問卷的作答期限已過。感謝您的關注。',
  errorTitle: '發生問題',
  errorBody: '請稍後再試。',
  tryAgain: '重試',
  csat1: '非常不滿意',
  csat2: '不滿意',
  csat3: '普通',
  csat4: '滿意',
  csat5: '非常滿意',
};

const TEXTS: Record<SurveyLocale, Record<SurveyTextKey, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

/** Names of the languages in their own language (for the language switch). */
export const LOCALE_NAMES: Record<SurveyLocale, string> = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };

export function isSurveyLocale(value: unknown): value is SurveyLocale {
  return value === 'zh-CN' || value === 'zh-TW' || value === 'en';
}

/**
 * The customer's language from an Accept-Language header (for a link that tells nothing about them):
 * the first tag we speak, Traditional Chinese for zh-Hant / zh-TW / zh-HK / zh-MO; else Simplified Chinese.
 */
export function surveyLocaleFromHeader(acceptLanguage: string | null | undefined): SurveyLocale {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.tag !== '' && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (/^zh-(hant|tw|hk|mo)\b/.test(tag)) return 'zh-TW';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh-CN';
}

export function st(locale: SurveyLocale | string, key: SurveyTextKey, params: Record<string, string | number> = {}): string {
  const table = TEXTS[locale as SurveyLocale] ?? (String(locale).startsWith('zh') ? zhCN : en);
  return (table[key] ?? en[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** A fault's message in the customer's language (the API carries en and zh-CN; zh-TW gets its own where we can). */
export function faultMessage(
  fault: { code?: string; itemId?: string; message?: Partial<AnswerFault['message']>; messages?: Record<string, string> },
  locale: SurveyLocale | string,
): string {
  if (fault.code === 'required') return st(locale, fault.itemId ? 'pleaseRate' : 'pleaseAnswer');
  const messages = (fault.message ?? fault.messages ?? {}) as Record<string, string | undefined>;
  const own = messages[locale];
  if (own) return own;
  if (String(locale).startsWith('zh') && messages['zh-CN']) return messages['zh-CN'];
  return messages.en ?? messages['zh-CN'] ?? st(locale, 'pleaseAnswer');
}
