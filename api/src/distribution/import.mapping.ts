// CSV columns → rental rows: the fields a column can be mapped to, suggested mappings from header names,
// and the conversion and validation of one record.
import { isStorableText } from '../lib/input-text.ts';
import type { RentalRow } from './ingest.ts';
import { problemsText, type RejectionCode, type RejectionParams, type RejectionProblem } from './import.reasons.ts';
import { wallTime, zoneOffsetMs } from '../lib/time-zone.ts';
import { zonedToInstant } from './time.ts';

export const IMPORT_FIELDS = [
  {
    key: 'externalId',
    required: true,
    synonyms: ['rentalid', 'rental', 'contract', 'contractno', 'agreement', 'orderid', 'order', 'rentalexternalid', '订单号', '合同号', '租赁单号'],
  },
  {
    key: 'customerExternalId',
    required: true,
    synonyms: ['customerid', 'customer', 'memberid', 'customerexternalid', 'customerno', '客户编号', '会员号', '客户号'],
  },
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
/** Per zone: minutes ahead of UTC by day (y·10000 + m·100 + d), or by hour (day key · 100 + h) on days the offset changes. */
const offsetCache = new Map<string, Map<number, number>>();

function offsetAt(timeZone: string, y: number, mo: number, d: number, h: number): number {
  const instant = zonedToInstant(y, mo, d, h, 0, timeZone);
  const w = wallTime(instant, timeZone);
  return (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - instant.getTime()) / 60_000;
}

/**
 * Minutes the zone is ahead of UTC around this wall time. Cached per zone and day when the offset is the
 * same all day (reading a wall clock through Intl costs microseconds, and a file has a few hundred days),
 * otherwise per hour.
 */
function zoneOffsetMinutes(timeZone: string, y: number, mo: number, d: number, h: number): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const day = y * 10_000 + mo * 100 + d;
  let offset = zone.get(day);
  if (offset === undefined) {
    if (zone.size > 100_000) zone.clear();
    const first = offsetAt(timeZone, y, mo, d, 0);
    // The same offset from two hours before the day to two hours after it: no change within the day.
    // Otherwise NaN marks the day (daylight saving), and its hours are cached one by one.
    const midnight = Date.UTC(y, mo - 1, d) - first * 60_000;
    const uniform = zoneOffsetMs(midnight - 7_200_000, timeZone) === first * 60_000 && zoneOffsetMs(midnight + 93_600_000, timeZone) === first * 60_000;
    offset = uniform ? first : Number.NaN;
    zone.set(day, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  const hourKey = -(day * 100 + h);
  let hourly = zone.get(hourKey);
  if (hourly === undefined) {
    hourly = offsetAt(timeZone, y, mo, d, h);
    zone.set(hourKey, hourly);
  }
  return hourly;
}

export function parseDateTime(value: string, timeZone: string): Date | null {
  const v = value.trim();
  if (!v) return null;
  const m = DATE_TIME.exec(v);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const hour = m[4] === undefined ? 0 : Number(m[4]);
    const minute = m[5] === undefined ? 0 : Number(m[5]);
    const second = m[6] === undefined ? 0 : Number(m[6]);
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
  app: 'app',
  mobile: 'app',
  'mobile app': 'app',
  应用: 'app',
  客户端: 'app',
  web: 'web',
  website: 'web',
  online: 'web',
  internet: 'web',
  网站: 'web',
  官网: 'web',
  网页: 'web',
  phone: 'phone',
  call: 'phone',
  'call center': 'phone',
  callcenter: 'phone',
  telephone: 'phone',
  电话: 'phone',
  呼叫中心: 'phone',
  store: 'store',
  counter: 'store',
  'walk-in': 'store',
  walkin: 'store',
  branch: 'store',
  门店: 'store',
  柜台: 'store',
};

const CUSTOMER_TYPES: Record<string, 'business' | 'leisure'> = {
  business: 'business',
  corporate: 'business',
  b: 'business',
  商务: 'business',
  公务: 'business',
  企业: 'business',
  leisure: 'leisure',
  private: 'leisure',
  personal: 'leisure',
  l: 'leisure',
  休闲: 'leisure',
  个人: 'leisure',
  旅游: 'leisure',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;

export interface RecordProblem {
  fields: string[];
  /** Each fault as a code with parameters (what is stored and translated). */
  problems: RejectionProblem[];
  /** The same in English. */
  reason: string;
  externalId: string | null;
}

function fault(problems: RejectionProblem[], field: string, code: RejectionCode, params: RejectionParams = {}) {
  problems.push({ field, code, params });
}

/** Every character isStorableText may refuse: text without any is storable (one quick scan per record). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters it looks for
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

/** The trimmed cell of a field ('' when the field is not mapped or the record is short). */
function cell(record: string[], mapping: ColumnMapping, field: ImportField): string {
  const i = mapping[field];
  return i === undefined ? '' : (record[i] ?? '').trim();
}

/** One CSV record as a rental row, or the reasons it cannot be one. */
export function recordToRental(record: string[], mapping: ColumnMapping, options: ImportOptions): { row: RentalRow } | { problem: RecordProblem } {
  // Text PostgreSQL cannot store (NUL, lone surrogates) rejects the row before any of it is quoted or kept.
  // One quick scan of the whole record; each field only when it has such characters at all.
  const unstorable = !MAYBE_UNSTORABLE.test(record.join('\n'))
    ? []
    : (Object.keys(mapping) as ImportField[]).filter((field) => !isStorableText(cell(record, mapping, field)));
  if (unstorable.length > 0) {
    const problems = unstorable.map((field): RejectionProblem => ({ field, code: 'unstorableText', params: {} }));
    return { problem: { fields: unstorable, problems, reason: problemsText(problems), externalId: null } };
  }
  const problems: RejectionProblem[] = [];

  const externalId = cell(record, mapping, 'externalId');
  if (!externalId) fault(problems, 'externalId', 'missing');
  else if (externalId.length > 100) fault(problems, 'externalId', 'tooLong', { max: 100 });
  const customerExternalId = cell(record, mapping, 'customerExternalId');
  if (!customerExternalId) fault(problems, 'customerExternalId', 'missing');
  else if (customerExternalId.length > 100) fault(problems, 'customerExternalId', 'tooLong', { max: 100 });

  const email = cell(record, mapping, 'email');
  if (email && (email.length > 254 || !EMAIL.test(email))) fault(problems, 'email', 'notEmail');
  const phone = cell(record, mapping, 'phone');
  if (phone && !PHONE.test(phone)) fault(problems, 'phone', 'notPhone');
  const name = cell(record, mapping, 'customerName');
  if (name.length > 200) fault(problems, 'customerName', 'tooLong', { max: 200 });
  const language = parseLanguage(cell(record, mapping, 'preferredLanguage'));
  if (language === null) fault(problems, 'preferredLanguage', 'notLanguage', { value: cell(record, mapping, 'preferredLanguage').slice(0, 20) });
  const consentEmail = parseBoolean(cell(record, mapping, 'consentEmail'));
  if (consentEmail === null) fault(problems, 'consentEmail', 'notYesNo');
  const consentSms = parseBoolean(cell(record, mapping, 'consentSms'));
  if (consentSms === null) fault(problems, 'consentSms', 'notYesNo');
  const typeText = cell(record, mapping, 'customerType').toLowerCase();
  const customerType = typeText ? CUSTOMER_TYPES[typeText] : undefined;
  if (typeText && !customerType) fault(problems, 'customerType', 'notCustomerType', { value: typeText.slice(0, 20) });
  const memberLevel = cell(record, mapping, 'memberLevel');
  if (memberLevel.length > 50) fault(problems, 'memberLevel', 'tooLong', { max: 50 });

  const pickupBranch = cell(record, mapping, 'pickupBranch');
  if (!pickupBranch) fault(problems, 'pickupBranch', 'missing');
  else if (pickupBranch.length > 32) fault(problems, 'pickupBranch', 'tooLong', { max: 32 });
  const returnBranch = cell(record, mapping, 'returnBranch') || pickupBranch;
  if (returnBranch.length > 32) fault(problems, 'returnBranch', 'tooLong', { max: 32 });
  const vehicleClass = cell(record, mapping, 'vehicleClass');
  if (!vehicleClass) fault(problems, 'vehicleClass', 'missing');
  else if (vehicleClass.length > 50) fault(problems, 'vehicleClass', 'tooLong', { max: 50 });

  const pickedText = cell(record, mapping, 'pickedUpAt');
  const pickedUpAt = parseDateTime(pickedText, options.timeZone);
  if (!pickedUpAt) pickedText ? fault(problems, 'pickedUpAt', 'notDateTime', { value: pickedText.slice(0, 30) }) : fault(problems, 'pickedUpAt', 'missing');
  const returnedText = cell(record, mapping, 'returnedAt');
  const returnedAt = parseDateTime(returnedText, options.timeZone);
  if (!returnedAt) returnedText ? fault(problems, 'returnedAt', 'notDateTime', { value: returnedText.slice(0, 30) }) : fault(problems, 'returnedAt', 'missing');
  if (pickedUpAt && returnedAt && returnedAt.getTime() < pickedUpAt.getTime()) fault(problems, 'returnedAt', 'returnedBeforePickup');

  const amountText = cell(record, mapping, 'amount').replace(/[,\s¥￥$€]|RMB|CNY/gi, '');
  const amount = amountText ? Number(amountText) : 0;
  if (!Number.isFinite(amount) || amount < 0 || amount > 10_000_000)
    fault(problems, 'amount', 'notAmount', { value: cell(record, mapping, 'amount').slice(0, 20) });

  const channelText = cell(record, mapping, 'bookingChannel').toLowerCase();
  const bookingChannel = CHANNELS[channelText];
  if (!bookingChannel)
    channelText ? fault(problems, 'bookingChannel', 'notChannel', { value: channelText.slice(0, 20) }) : fault(problems, 'bookingChannel', 'missing');

  if (problems.length > 0) {
    return {
      problem: {
        fields: [...new Set(problems.map((p) => p.field))],
        problems,
        reason: problemsText(problems),
        externalId: externalId ? externalId.slice(0, 100) : null,
      },
    };
  }
  // Only the fields given (a field left out keeps the customer's stored value).
  const customer: RentalRow['customer'] = { externalId: customerExternalId };
  if (name) customer.name = name;
  if (email) customer.email = email;
  if (phone) customer.phone = phone;
  if (language) customer.preferredLanguage = language;
  if (consentEmail !== undefined) customer.consentEmail = consentEmail as boolean;
  if (consentSms !== undefined) customer.consentSms = consentSms as boolean;
  if (customerType) customer.customerType = customerType;
  if (memberLevel) customer.memberLevel = memberLevel;
  return {
    row: {
      externalId,
      customer,
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
