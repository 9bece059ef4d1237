// CSV columns → rental rows: the fields a column can be mapped to, suggested mappings from header names,
// and the conversion and validation of one record.
import type { RentalRow } from './ingest.ts';
import { wallTime, zonedToInstant } from './time.ts';

export const IMPORT_FIELDS = [
  { key: 'externalId', required: true, synonyms: ['rentalid', 'rental', 'contract', 'contractno', 'agreement', 'orderid', 'order', 'rentalexternalid', '订单号', '合同号', '租赁单号'] },
  { key: 'customerExternalId', required: true, synonyms: ['customerid', 'customer', 'memberid', 'customerexternalid', 'customerno', '客户编号', '会员号', '客户号'] },
  { key: 'customerName', required: false, synonyms: ['name', 'customername', 'fullname', '姓名', '客户姓名'] },
  { key: 'email', required: false, synonyms: ['email', 'mail', 'emailaddress', '邮箱', '电子邮件'] },
  { key: 'phone', required: false, synonyms: ['phone', 'mobile', 'tel', 'telephone', 'mobilephone', '手机', '电话', '手机号'] },
  { key: 'preferredLanguage', required: false, synonyms: ['language', 'lang', 'locale', 'preferredlanguage', '语言'] },
  { key: 'consentEmail', required: false, synonyms: ['consentemail', 'emailconsent', 'emailoptin', '邮件同意'] },
  { key: 'consentSms', required: false, synonyms: ['consentsms', 'smsconsent', 'smsoptin', '短信同意'] },
  { key: 'customerType', required: false, synonyms: ['customertype', 'type', 'purpose', '客户类型'] },
  { key: 'memberLevel', required: false, synonyms: ['memberlevel', 'level', 'membership', '会员等级'] },
  { key: 'pickupBranch', required: true, synonyms: ['pickupbranch', 'pickupbranchcode', 'branch', 'branchcode', 'pickupstation', '取车门店', '门店'] },
  { key: 'returnBranch', required: false, synonyms: ['returnbranch', 'returnbranchcode', 'returnstation', 'dropoffbranch', '还车门店'] },
  { key: 'vehicleClass', required: true, synonyms: ['vehicleclass', 'carclass', 'class', 'category', 'vehiclegroup', 'acriss', '车型', '车型组'] },
  { key: 'pickedUpAt', required: true, synonyms: ['pickedupat', 'pickupat', 'pickuptime', 'pickupdate', 'pickup', '取车时间'] },
  { key: 'returnedAt', required: true, synonyms: ['returnedat', 'returnat', 'returntime', 'returndate', 'dropoffat', 'dropoff', '还车时间'] },
  { key: 'amount', required: false, synonyms: ['amount', 'total', 'revenue', 'price', 'totalamount', '金额', '租金'] },
  { key: 'bookingChannel', required: true, synonyms: ['bookingchannel', 'channel', 'source', 'bookingsource', '预订渠道', '渠道'] },
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number]['key'];
export type ColumnMapping = Partial<Record<ImportField, number>>;

const normalize = (header: string) => header.toLowerCase().replace(/[\s_\-.:()（）]/g, '');

/** A column per field, guessed from the header names (exact field name first, then known synonyms). */
export function suggestMapping(header: string[]): ColumnMapping {
  const names = header.map(normalize);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const candidates = [field.key.toLowerCase(), ...field.synonyms];
    const index = names.findIndex((n, i) => !used.has(i) && candidates.includes(n));
    if (index >= 0) {
      mapping[field.key] = index;
      used.add(index);
    }
  }
  return mapping;
}

export function missingRequired(mapping: ColumnMapping): ImportField[] {
  return IMPORT_FIELDS.filter((f) => f.required && mapping[f.key] === undefined).map((f) => f.key);
}

export interface ImportOptions {
  /** Zone of date-times written without an offset. */
  timeZone: string;
}

// ── Values ──────────────────────────────────────────────────────────────────────────────────────────────

const DATE_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const offsetCache = new Map<string, number>();

/** Minutes the zone is ahead of UTC around this wall time, cached per zone and hour. */
function zoneOffsetMinutes(timeZone: string, y: number, mo: number, d: number, h: number): number {
  const key = `${timeZone}|${y}-${mo}-${d}-${h}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const instant = zonedToInstant(y, mo, d, h, 0, timeZone);
    const w = wallTime(instant, timeZone);
    offset = (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - instant.getTime()) / 60_000;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

export function parseDateTime(value: string, timeZone: string): Date | null {
  const v = value.trim();
  if (!v) return null;
  const m = DATE_TIME.exec(v);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((x) => x ?? undefined) as string[];
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
    const utc = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(utc);
    if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 31 April and the like
    return new Date(utc - zoneOffsetMinutes(timeZone, year, month, day, hour) * 60_000);
  }
  // ISO 8601 with an offset or Z.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1', '是', '同意', 'x']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '否', '不同意']);
function parseBoolean(value: string): boolean | null | undefined {
  const v = value.trim().toLowerCase();
  if (!v) return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return null;
}

function parseLanguage(value: string): RentalRow['customer']['preferredLanguage'] | null | undefined {
  const v = value.trim().toLowerCase().replace('_', '-');
  if (!v) return undefined;
  if (['zh-cn', 'zh', 'cn', 'zh-hans', 'chinese', '中文', '简体中文'].includes(v)) return 'zh-CN';
  if (['zh-tw', 'zh-hk', 'tw', 'hk', 'zh-hant', '繁體中文', '繁体中文'].includes(v)) return 'zh-TW';
  if (v === 'en' || v.startsWith('en-') || v === 'english' || v === '英文') return 'en';
  return null;
}

const CHANNELS: Record<string, RentalRow['bookingChannel']> = {
  app: 'app', mobile: 'app', 'mobile app': 'app', 应用: 'app', 客户端: 'app',
  web: 'web', website: 'web', online: 'web', internet: 'web', 网站: 'web', 官网: 'web', 网页: 'web',
  phone: 'phone', call: 'phone', 'call center': 'phone', callcenter: 'phone', telephone: 'phone', 电话: 'phone', 呼叫中心: 'phone',
  store: 'store', counter: 'store', 'walk-in': 'store', walkin: 'store', branch: 'store', 门店: 'store', 柜台: 'store',
};

const CUSTOMER_TYPES: Record<string, 'business' | 'leisure'> = {
  business: 'business', corporate: 'business', b: 'business', 商务: 'business', 公务: 'business', 企业: 'business',
  leisure: 'leisure', private: 'leisure', personal: 'leisure', l: 'leisure', 休闲: 'leisure', 个人: 'leisure', 旅游: 'leisure',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;

export interface RecordProblem {
  fields: string[];
  reason: string;
  externalId: string | null;
}

/** One CSV record as a rental row, or the reasons it cannot be one. */
export function recordToRental(record: string[], mapping: ColumnMapping, options: ImportOptions): { row: RentalRow } | { problem: RecordProblem } {
  const get = (field: ImportField) => {
    const i = mapping[field];
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const problems: { field: string; message: string }[] = [];
  const fault = (field: string, message: string) => problems.push({ field, message });

  const externalId = get('externalId');
  if (!externalId) fault('externalId', 'missing');
  else if (externalId.length > 100) fault('externalId', 'longer than 100 characters');
  const customerExternalId = get('customerExternalId');
  if (!customerExternalId) fault('customerExternalId', 'missing');
  else if (customerExternalId.length > 100) fault('customerExternalId', 'longer than 100 characters');

  const email = get('email');
  if (email && (email.length > 254 || !EMAIL.test(email))) fault('email', 'not an e-mail address');
  const phone = get('phone');
  if (phone && !PHONE.test(phone)) fault('phone', 'not a phone number');
  const name = get('customerName');
  if (name.length > 200) fault('customerName', 'longer than 200 characters');
  const language = parseLanguage(get('preferredLanguage'));
  if (language === null) fault('preferredLanguage', `not a language we offer (zh-CN, zh-TW, en): "${get('preferredLanguage').slice(0, 20)}"`);
  const consentEmail = parseBoolean(get('consentEmail'));
  if (consentEmail === null) fault('consentEmail', 'not yes / no');
  const consentSms = parseBoolean(get('consentSms'));
  if (consentSms === null) fault('consentSms', 'not yes / no');
  const typeText = get('customerType').toLowerCase();
  const customerType = typeText ? CUSTOMER_TYPES[typeText] : undefined;
  if (typeText && !customerType) fault('customerType', `not business / leisure: "${typeText.slice(0, 20)}"`);
  const memberLevel = get('memberLevel');
  if (memberLevel.length > 50) fault('memberLevel', 'longer than 50 characters');

  const pickupBranch = get('pickupBranch');
  if (!pickupBranch) fault('pickupBranch', 'missing');
  else if (pickupBranch.length > 32) fault('pickupBranch', 'longer than 32 characters');
  const returnBranch = get('returnBranch') || pickupBranch;
  if (returnBranch.length > 32) fault('returnBranch', 'longer than 32 characters');
  const vehicleClass = get('vehicleClass');
  if (!vehicleClass) fault('vehicleClass', 'missing');
  else if (vehicleClass.length > 50) fault('vehicleClass', 'longer than 50 characters');

  const pickedText = get('pickedUpAt');
  const pickedUpAt = parseDateTime(pickedText, options.timeZone);
  if (!pickedUpAt) fault('pickedUpAt', pickedText ? `not a date and time: "${pickedText.slice(0, 30)}"` : 'missing');
  const returnedText = get('returnedAt');
  const returnedAt = parseDateTime(returnedText, options.timeZone);
  if (!returnedAt) fault('returnedAt', returnedText ? `not a date and time: "${returnedText.slice(0, 30)}"` : 'missing');
  if (pickedUpAt && returnedAt && returnedAt.getTime() < pickedUpAt.getTime()) fault('returnedAt', 'before the pick-up');

  const amountText = get('amount').replace(/[,\s¥￥$€]|RMB|CNY/gi, '');
  const amount = amountText ? Number(amountText) : 0;
  if (!Number.isFinite(amount) || amount < 0 || amount > 10_000_000) fault('amount', `not an amount: "${get('amount').slice(0, 20)}"`);

  const channelText = get('bookingChannel').toLowerCase();
  const bookingChannel = CHANNELS[channelText];
  if (!bookingChannel) fault('bookingChannel', channelText ? `not app / web / phone / store: "${channelText.slice(0, 20)}"` : 'missing');

  if (problems.length > 0) {
    return {
      problem: {
        fields: [...new Set(problems.map((p) => p.field))],
        reason: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        externalId: externalId ? externalId.slice(0, 100) : null,
      },
    };
  }
  return {
    row: {
      externalId,
      customer: {
        externalId: customerExternalId,
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        ...(language ? { preferredLanguage: language } : {}),
        ...(consentEmail !== undefined ? { consentEmail: consentEmail as boolean } : {}),
        ...(consentSms !== undefined ? { consentSms: consentSms as boolean } : {}),
        ...(customerType ? { customerType } : {}),
        ...(memberLevel ? { memberLevel } : {}),
      },
      pickupBranch,
      returnBranch,
      vehicleClass,
      pickedUpAt: pickedUpAt!,
      returnedAt: returnedAt!,
      amount,
      bookingChannel: bookingChannel!,
    },
  };
}
