// Texts of the reward on the thank-you page, in every survey locale. The reward is the same for every
// finished survey, and the page says so.
import type { SurveyLocale } from './texts';

const TEXTS = {
  'zh-CN': {
    title: '您的反馈奖励',
    coupon: '优惠券',
    points: '积分',
    code: '券码',
    note: '每份完成的问卷都有此奖励，与您给出的评分无关。',
    email: '券码也已发送到您的邮箱。',
    sms: '券码也已通过短信发送给您。',
    owed: '您的券码正在准备中，稍后再次打开此链接即可看到。',
    owedEmail: '您的券码正在准备中，准备好后会发送到您的邮箱，再次打开此链接也能看到。',
    owedSms: '您的券码正在准备中，准备好后会通过短信发送给您，再次打开此链接也能看到。',
  },
  'zh-TW': {
    title: '您的回饋獎勵',
    coupon: '優惠券',
    points: '積分',
    code: '券碼',
    note: '每份完成的問卷都有此獎勵，與您給出的評分無關。',
    email: '券碼也已發送到您的電子郵箱。',
    sms: '券碼也已透過簡訊發送給您。',
    owed: '您的券碼正在準備中，稍後再次開啟此連結即可看到。',
    owedEmail: '您的券碼正在準備中，準備好後會發送到您的電子郵箱，再次開啟此連結也能看到。',
    owedSms: '您的券碼正在準備中，準備好後會透過簡訊發送給您，再次開啟此連結也能看到。',
  },
  en: {
    title: 'Your reward for your feedback',
    coupon: 'Coupon',
    points: 'Points',
    code: 'Code',
    note: 'Every finished survey gets this reward, whatever your answers were.',
    email: 'We have also sent the code to your email.',
    sms: 'We have also sent the code to you by SMS.',
    owed: 'Your code is being prepared: open this link again a little later to see it.',
    owedEmail: 'Your code is being prepared: we will email it to you, and this link will show it too.',
    owedSms: 'Your code is being prepared: we will text it to you, and this link will show it too.',
  },
} as const;

export type RewardTextKey = keyof (typeof TEXTS)['en'];

export function rewardText(locale: SurveyLocale | string, key: RewardTextKey): string {
  const table = TEXTS[locale as SurveyLocale] ?? (String(locale).startsWith('zh') ? TEXTS['zh-CN'] : TEXTS.en);
  return table[key];
}
