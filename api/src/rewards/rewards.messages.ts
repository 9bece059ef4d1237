// Texts of the reward message to the customer (e-mail and SMS, in the response's language) and of the
// stock alert to quality managers (Chinese, then English). The reward never depends on the answers given,
// and every message says so.
export type RewardLocale = 'zh-CN' | 'zh-TW' | 'en';

export interface RewardMessageFacts {
  code: string;
  name: string;
  nameEn: string | null;
  customerName: string | null;
  branchName: string | null;
  branchNameEn: string | null;
  locale: string | null;
}

const asLocale = (locale: string | null): RewardLocale => (locale === 'en' || locale === 'zh-TW' ? locale : 'zh-CN');

export function rewardName(locale: string | null, name: string, nameEn: string | null) {
  return asLocale(locale) === 'en' ? (nameEn ?? name) : name;
}

export function composeRewardMessage(f: RewardMessageFacts): { subject: string; body: string; sms: string } {
  const locale = asLocale(f.locale);
  const name = rewardName(locale, f.name, f.nameEn);
  const who = f.customerName?.trim();
  if (locale === 'en') {
    const branch = f.branchNameEn ?? f.branchName;
    return {
      subject: 'Thank you for your feedback: your reward code',
      body: [
        who ? `Dear ${who},` : 'Dear customer,',
        '',
        `Thank you for telling us about your rental${branch ? ` at ${branch}` : ''}. Here is your ${name}:`,
        '',
        `    ${f.code}`,
        '',
        'Every finished survey gets this reward, whatever your answers were.',
      ].join('\n'),
      sms: `Thanks for your feedback! Your ${name}: ${f.code} (given for every finished survey, whatever the answers)`,
    };
  }
  const tw = locale === 'zh-TW';
  const branch = f.branchName;
  return {
    subject: tw ? '感謝您的回饋：您的獎勵券碼' : '感谢您的反馈：您的奖励券码',
    body: [
      who ? `${who}，您好：` : '尊敬的客户，您好：',
      '',
      tw ? `感謝您評價${branch ? `在${branch}的` : ''}租車體驗。這是您的${name}：` : `感谢您评价${branch ? `在${branch}的` : ''}租车体验。这是您的${name}：`,
      '',
      `    ${f.code}`,
      '',
      tw ? '每份完成的問卷都有此獎勵，與您給出的評分無關。' : '每份完成的问卷都有此奖励，与您给出的评分无关。',
    ].join('\n'),
    sms: tw ? `感謝您的評價！您的${name}：${f.code}（與評分無關）` : `感谢您的评价！您的${name}：${f.code}（与评分无关）`,
  };
}

export function composeStockAlert(f: { name: string; nameEn: string | null; remaining: number; threshold: number; link: string }) {
  const subject = `奖励券码库存不足 / Reward codes running low · ${f.name} (${f.remaining})`;
  const body = [
    `奖励计划“${f.name}”只剩 ${f.remaining} 个券码（提醒阈值 ${f.threshold}）。请上传或生成新的券码，否则完成问卷的客户将领不到奖励。`,
    '',
    `The reward programme "${f.nameEn ?? f.name}" has ${f.remaining} codes left (alert threshold ${f.threshold}). Upload or generate more, or customers who finish the survey will get none.`,
    '',
    f.link,
  ].join('\n');
  return { subject, body };
}
