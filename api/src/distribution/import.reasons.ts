// Why an import row was refused, as a code with parameters: the UI says it in the reader's language
// (dist.reason.<code> in web/src/lib/i18n.ts), the CSV download and older clients get the English text.
// import_rejections.reason stores the problems as JSON; rows stored before that hold plain text.
import { UNSTORABLE_TEXT_MESSAGE } from '../lib/input-text.ts';

export const REJECTION_CODES = [
  'missing',
  'tooLong',
  'notEmail',
  'notPhone',
  'notLanguage',
  'notYesNo',
  'notCustomerType',
  'notDateTime',
  'returnedBeforePickup',
  'notAmount',
  'notChannel',
  'unstorableText',
  'unknownBranch',
  'invalid',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];
export type RejectionParams = Record<string, string | number>;

export interface RejectionProblem {
  /** The mapped field at fault (e.g. pickupBranch). */
  field: string;
  code: RejectionCode;
  params: RejectionParams;
}

const ENGLISH: Record<RejectionCode, (p: RejectionParams) => string> = {
  missing: () => 'missing',
  tooLong: (p) => `longer than ${p.max} characters`,
  notEmail: () => 'not an e-mail address',
  notPhone: () => 'not a phone number',
  notLanguage: (p) => `not a language we offer (zh-CN, zh-TW, en): "${p.value}"`,
  notYesNo: () => 'not yes / no',
  notCustomerType: (p) => `not business / leisure: "${p.value}"`,
  notDateTime: (p) => `not a date and time: "${p.value}"`,
  returnedBeforePickup: () => 'before the pick-up',
  notAmount: (p) => `not an amount: "${p.value}"`,
  notChannel: (p) => `not app / web / phone / store: "${p.value}"`,
  unstorableText: () => UNSTORABLE_TEXT_MESSAGE,
  unknownBranch: (p) => `no branch with code "${p.code}"`,
  invalid: (p) => String(p.text ?? 'rejected'),
};

/** The English message of one problem (API messages and the CSV download are English). */
export const problemMessage = (p: Pick<RejectionProblem, 'code' | 'params'>) => ENGLISH[p.code](p.params);

/** "field: message; field: message" — the reason as text. */
export const problemsText = (problems: RejectionProblem[]) =>
  problems.map((p) => (p.field ? `${p.field}: ${problemMessage(p)}` : problemMessage(p))).join('; ');

export const encodeProblems = (problems: RejectionProblem[]) => JSON.stringify(problems);

const isCode = (c: unknown): c is RejectionCode => typeof c === 'string' && (REJECTION_CODES as readonly string[]).includes(c);

/** The stored reason back as problems; plain text from before the codes becomes one `invalid` problem. */
export function decodeProblems(stored: string): RejectionProblem[] {
  if (stored.startsWith('[')) {
    try {
      const parsed = JSON.parse(stored) as unknown;
      if (Array.isArray(parsed) && parsed.every((p) => p && typeof p === 'object' && isCode((p as RejectionProblem).code))) return parsed as RejectionProblem[];
    } catch {
      /* plain text that starts with a bracket */
    }
  }
  return [{ field: '', code: 'invalid', params: { text: stored } }];
}
