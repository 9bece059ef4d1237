// The texts of invitations and reminders: per survey (rule overrides), per language, per channel.
import type { MessageKind, MessageLocale, MessageTemplates } from './rules.schemas.ts';
import { formatWallTime } from '../lib/time-zone.ts';

export interface MessageFacts {
  customerName: string | null;
  branchName: string;
  pickedUpAt: Date | null;
  returnedAt: Date | null;
  vehicleClass: string | null;
  expiresAt: Date;
  timeZone: string;
  link: string;
  optOutLink: string;
  /** The brand of the rental's branch (api/src/brands): header, button colours and legal footer. */
  brand?: MessageBrand | null;
  /** The survey's first question (0–10 recommendation) as eleven links in the email, when it starts with one. */
  scale?: { question: string; minLabel: string; maxLabel: string; links: string[] } | null;
}

type Texts = { subject: string; body: string; sms: string };

export interface MessageBrand {
  name: string;
  primaryColor: string;
  onPrimaryColor: string;
  legalFooter: string;
  /** Absolute URL of the logo, or null. */
  logoUrl: string | null;
}

/** Without a brand: the neutral look (no product name anywhere). */
const NEUTRAL_LOOK = { primaryColor: '#0b57d0', onPrimaryColor: '#ffffff' };

export const DEFAULT_TEXTS: Record<MessageKind, Record<MessageLocale, Texts>> = {
  invitation: {
    'zh-CN': {
      subject: '您在{branch}的租车体验如何？',
      body: '{greeting}\n\n感谢您于 {pickedUpAt} 至 {returnedAt} 在{branch}租车。请花一两分钟告诉我们您的体验，您的意见将帮助我们改进服务。\n\n{link}\n\n此链接在 {expiresAt} 前有效。',
      sms: '{branch}感谢您租车，请花1分钟评价：{link}',
    },
    'zh-TW': {
      subject: '您在{branch}的租車體驗如何？',
      body: '{greeting}\n\n感謝您於 {pickedUpAt} 至 {returnedAt} 在{branch}租車。請花一兩分鐘告訴我們您的體驗，您的意見將幫助我們改進服務。\n\n{link}\n\n此連結在 {expiresAt} 前有效。',
      sms: '{branch}感謝您租車，請花1分鐘評價：{link}',
    },
    en: {
      subject: 'How was your rental at {branch}?',
      body: '{greeting}\n\nThank you for renting with us at {branch} from {pickedUpAt} to {returnedAt}. Please take a minute or two to tell us how it went; your answers help us improve.\n\n{link}\n\nThe link works until {expiresAt}.',
      sms: 'Thanks for renting at {branch}. How did it go? 1 minute: {link}',
    },
  },
  reminder_not_opened: {
    'zh-CN': {
      subject: '提醒：您在{branch}的租车评价',
      body: '{greeting}\n\n几天前我们邀请您评价在{branch}的租车体验，您的反馈对我们很重要。问卷只需一两分钟：\n\n{link}\n\n此链接在 {expiresAt} 前有效。',
      sms: '提醒：{branch}租车评价仅需1分钟：{link}',
    },
    'zh-TW': {
      subject: '提醒：您在{branch}的租車評價',
      body: '{greeting}\n\n幾天前我們邀請您評價在{branch}的租車體驗，您的回饋對我們很重要。問卷只需一兩分鐘：\n\n{link}\n\n此連結在 {expiresAt} 前有效。',
      sms: '提醒：{branch}租車評價僅需1分鐘：{link}',
    },
    en: {
      subject: 'Reminder: your rental at {branch}',
      body: '{greeting}\n\nA few days ago we asked about your rental at {branch}. Your feedback matters to us, and it only takes a minute or two:\n\n{link}\n\nThe link works until {expiresAt}.',
      sms: 'Reminder: tell us about your rental at {branch}, 1 minute: {link}',
    },
  },
  reminder_unfinished: {
    'zh-CN': {
      subject: '您的{branch}租车评价还差一点',
      body: '{greeting}\n\n您已开始评价在{branch}的租车体验，但还没有提交。您的回答已保存，点击下面的链接即可继续：\n\n{link}\n\n此链接在 {expiresAt} 前有效。',
      sms: '您的{branch}评价还未完成，点此继续：{link}',
    },
    'zh-TW': {
      subject: '您的{branch}租車評價還差一點',
      body: '{greeting}\n\n您已開始評價在{branch}的租車體驗，但還沒有提交。您的回答已保存，點擊下面的連結即可繼續：\n\n{link}\n\n此連結在 {expiresAt} 前有效。',
      sms: '您的{branch}評價還未完成，點此繼續：{link}',
    },
    en: {
      subject: 'Finish your feedback on {branch}',
      body: '{greeting}\n\nYou started telling us about your rental at {branch} but did not send it yet. Your answers are saved; continue here:\n\n{link}\n\nThe link works until {expiresAt}.',
      sms: 'Your feedback on {branch} is not finished yet. Continue: {link}',
    },
  },
};

const FOOTER: Record<MessageLocale, { optOut: string; button: string }> = {
  'zh-CN': { optOut: '不想再收到问卷邀请？退订：', button: '开始评价' },
  'zh-TW': { optOut: '不想再收到問卷邀請？退訂：', button: '開始評價' },
  en: { optOut: 'No more survey invitations? Unsubscribe: ', button: 'Start the survey' },
};

function greeting(locale: MessageLocale, name: string | null): string {
  const n = name?.trim();
  if (locale === 'en') return n ? `Dear ${n},` : 'Hello,';
  if (locale === 'zh-TW') return n ? `${n}您好：` : '您好：';
  return n ? `${n}您好：` : '您好：';
}

function values(locale: MessageLocale, facts: MessageFacts): Record<string, string> {
  const date = (d: Date | null) => (d ? formatWallTime(d, facts.timeZone) : '');
  return {
    greeting: greeting(locale, facts.customerName),
    name: facts.customerName ?? '',
    branch: facts.branchName,
    pickedUpAt: date(facts.pickedUpAt),
    returnedAt: date(facts.returnedAt),
    vehicleClass: facts.vehicleClass ?? '',
    expiresAt: date(facts.expiresAt),
    link: facts.link,
    optOutLink: facts.optOutLink,
  };
}

const fill = (template: string, v: Record<string, string>) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in v ? v[k] : m));

export function textsFor(kind: MessageKind, locale: MessageLocale, overrides: MessageTemplates | undefined): Texts {
  const base = DEFAULT_TEXTS[kind][locale];
  const o = overrides?.[kind]?.[locale];
  return { subject: o?.subject || base.subject, body: o?.body || base.body, sms: o?.sms || base.sms };
}

export function messageLocale(preferred: string | null | undefined, fallback: string | null | undefined): MessageLocale {
  for (const l of [preferred, fallback]) if (l === 'zh-CN' || l === 'zh-TW' || l === 'en') return l;
  return 'zh-CN';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The 0–10 scale as a table of eleven links (no scripts, no forms: what mail clients show), with the
 * end labels under it. A click opens the survey with that score filled in.
 */
function scaleHtml(scale: NonNullable<MessageFacts['scale']>): string {
  const cells = scale.links
    .map(
      (href, n) =>
        `<td align="center" style="padding:2px"><a href="${escapeHtml(href)}" style="display:block;min-width:28px;padding:10px 0;border:1px solid #0b57d0;border-radius:4px;color:#0b57d0;text-decoration:none;font-weight:600">${n}</a></td>`,
    )
    .join('');
  return `<p style="margin:24px 0 8px;font-weight:600">${escapeHtml(scale.question)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:separate;table-layout:fixed"><tr>${cells}</tr></table>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="font-size:12px;color:#525a6b"><tr><td align="left">0 = ${escapeHtml(scale.minLabel)}</td><td align="right">10 = ${escapeHtml(scale.maxLabel)}</td></tr></table>`;
}

/** The brand's logo (or its name in its colour) above the message; nothing without a brand. */
function brandHeader(brand: MessageBrand | null | undefined): string {
  if (!brand) return '';
  const inner = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" height="40" style="height:40px;width:auto;border:0">`
    : `<strong style="font-size:18px;color:${escapeHtml(brand.primaryColor)}">${escapeHtml(brand.name)}</strong>`;
  return `<p style="margin:0 0 16px">${inner}</p>\n`;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Subject, text and HTML of an e-mail; the HTML is made from the text (paragraphs, the link as a button). */
export function renderEmail(kind: MessageKind, locale: MessageLocale, facts: MessageFacts, overrides?: MessageTemplates): EmailContent {
  const t = textsFor(kind, locale, overrides);
  const v = values(locale, facts);
  const body = t.body.includes('{link}') ? t.body : `${t.body}\n\n{link}`;
  const footer = FOOTER[locale];
  const look = facts.brand ?? NEUTRAL_LOOK;
  const legal = facts.brand?.legalFooter?.trim() ? facts.brand.legalFooter.trim() : null;
  const text = `${fill(body, v)}\n\n--\n${footer.optOut}${facts.optOutLink}\n${legal ? `\n${legal}\n` : ''}`;
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => {
      if (p.trim() === '{link}') {
        return `${facts.scale ? scaleHtml(facts.scale) : ''}<p style="margin:24px 0"><a href="${escapeHtml(facts.link)}" style="background:${escapeHtml(look.primaryColor)};color:${escapeHtml(look.onPrimaryColor)};padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(footer.button)}</a></p><p style="font-size:13px;color:#525a6b;word-break:break-all">${escapeHtml(facts.link)}</p>`;
      }
      const html = escapeHtml(fill(p, v)).replace(/\n/g, '<br>');
      return `<p>${html.replace(escapeHtml(facts.link), `<a href="${escapeHtml(facts.link)}">${escapeHtml(facts.link)}</a>`)}</p>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(fill(t.subject, v))}</title></head>
<body style="margin:0;padding:0;background:#f6f7f9;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1a1f29;line-height:1.6">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff">
${brandHeader(facts.brand)}${paragraphs}
<hr style="border:none;border-top:1px solid #d4d8e0;margin:24px 0">
<p style="font-size:12px;color:#525a6b">${escapeHtml(footer.optOut)}<a href="${escapeHtml(facts.optOutLink)}">${escapeHtml(facts.optOutLink)}</a></p>
${legal ? `<p style="font-size:12px;color:#525a6b">${escapeHtml(legal).replace(/\n/g, '<br>')}</p>\n` : ''}</div></body></html>`;
  return { subject: fill(t.subject, v), text, html };
}

// GSM 03.38 basic set; the extension set costs two characters each.
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('^{}\\[~]|€');

/** Length of an SMS text and the limit of one message: 160 GSM-7 characters, or 70 UCS-2 units (Chinese). */
export function smsBudget(text: string): { length: number; limit: number; encoding: 'gsm7' | 'ucs2' } {
  let gsm = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) gsm += 1;
    else if (GSM_EXTENDED.has(ch)) gsm += 2;
    else return { length: text.length, limit: 70, encoding: 'ucs2' };
  }
  return { length: gsm, limit: 160, encoding: 'gsm7' };
}

export function fitsOneSms(text: string): boolean {
  const b = smsBudget(text);
  return b.length <= b.limit;
}

/** The SMS text within one message: the link is kept whole, the words around it are shortened. */
export function renderSms(kind: MessageKind, locale: MessageLocale, facts: MessageFacts, overrides?: MessageTemplates): string {
  const t = textsFor(kind, locale, overrides);
  const template = t.sms.includes('{link}') ? t.sms : `${t.sms} {link}`;
  const v = values(locale, facts);
  const [before, after] = template.split('{link}', 2).map((part) => fill(part, v).replace(/\s+/g, ' '));
  const compose = (b: string, a: string) => `${b}${facts.link}${a}`;
  let b = before;
  let a = after ?? '';
  // Shorten the branch name first, then the text after the link, then before it.
  if (!fitsOneSms(compose(b, a)) && facts.branchName.length > 4) {
    const short = `${[...facts.branchName].slice(0, 4).join('')}…`;
    b = fill(template.split('{link}', 2)[0], { ...v, branch: short }).replace(/\s+/g, ' ');
    a = fill(template.split('{link}', 2)[1] ?? '', { ...v, branch: short }).replace(/\s+/g, ' ');
  }
  while (!fitsOneSms(compose(b, a)) && a.length > 0) a = [...a].slice(0, -1).join('');
  while (!fitsOneSms(compose(b, a)) && b.length > 0) b = [...b].slice(0, -1).join('');
  return compose(b, a).trim();
}
