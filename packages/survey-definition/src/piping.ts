/**
 * Piping of rental facts into survey texts: "{branch.name}", "{rental.returnedAt}", …
 *
 * - Only the placeholders in PIPING_PLACEHOLDERS exist; validateSurveyDefinition rejects any other.
 * - A placeholder with no value (or an unknown one, in an unvalidated text) is left out cleanly: the
 *   placeholder and the space before it disappear ("Hi {customer.name}, …" → "Hi, …").
 * - Dates (`rental.pickedUpAt`, `rental.returnedAt`) are formatted for the locale with Intl, in
 *   `options.timeZone` / `facts.timeZone` (the company or branch time zone) — else the runtime's zone.
 *   A date-only value "YYYY-MM-DD" is shown as a date without time.
 * - A fact may be a plain string or a `{ [locale]: string }` (e.g. a branch name in several languages).
 */
import type { Locale } from './constants.ts';
import { localize } from './localize.ts';
import type { LocalizedText } from './schema.ts';

export const PIPING_PLACEHOLDERS = [
  'customer.name',
  'company.name',
  'branch.name',
  'branch.city',
  'rental.reference',
  'rental.vehicleClass',
  'rental.vehicleModel',
  'rental.pickedUpAt',
  'rental.returnedAt',
] as const;
export type PipingPlaceholder = (typeof PIPING_PLACEHOLDERS)[number];

export const DATE_PLACEHOLDERS: readonly PipingPlaceholder[] = ['rental.pickedUpAt', 'rental.returnedAt'];

export type FactText = string | LocalizedText | null | undefined;
export type FactDate = Date | string | null | undefined;

export interface PipingFacts {
  customer?: { name?: FactText };
  company?: { name?: FactText };
  branch?: { name?: FactText; city?: FactText };
  rental?: {
    reference?: FactText;
    vehicleClass?: FactText;
    vehicleModel?: FactText;
    pickedUpAt?: FactDate;
    returnedAt?: FactDate;
  };
  /** IANA time zone used for dates (e.g. "Asia/Shanghai"). */
  timeZone?: string;
}

export interface PipeOptions {
  /** IANA time zone for dates; wins over facts.timeZone. */
  timeZone?: string;
  /** Locale used for a localized fact missing in `locale`. */
  fallbackLocale?: Locale | string;
}

/** Anything that looks like a placeholder: "{word}" or "{word.word…}". */
const PLACEHOLDER_RE = /\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\}/g;

export function isPipingPlaceholder(name: string): name is PipingPlaceholder {
  return (PIPING_PLACEHOLDERS as readonly string[]).includes(name);
}

/** The placeholder names used in a text, in order (duplicates kept). */
export function findPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
}

/** The placeholder names in a text that are not allowed. */
export function unknownPlaceholders(text: string): string[] {
  return findPlaceholders(text).filter((p) => !isPipingPlaceholder(p));
}

const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function formatFactDate(value: FactDate, locale: string, timeZone?: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && DATE_ONLY_RE.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return '';
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  }
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
  } catch {
    // unknown time zone: fall back to the runtime's zone rather than failing the whole text
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  }
}

/** The display value of one placeholder ('' when unknown or missing). */
export function factValue(name: string, facts: PipingFacts, locale: Locale | string, options: PipeOptions = {}): string {
  if (!isPipingPlaceholder(name)) return '';
  const [group, key] = name.split('.') as [keyof PipingFacts, string];
  const bag = facts[group];
  if (!bag || typeof bag !== 'object') return '';
  const raw = (bag as Record<string, unknown>)[key];
  if (DATE_PLACEHOLDERS.includes(name)) {
    return formatFactDate(raw as FactDate, locale, options.timeZone ?? facts.timeZone);
  }
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'object' && !(raw instanceof Date)) {
    return localize(raw as LocalizedText, locale, options.fallbackLocale).trim();
  }
  return '';
}

const GAP = '\u0000';
/** Punctuation a removed placeholder must not leave a space in front of (Latin and CJK). */
const CLOSING = ',.!?;:)\\]，。！？；：、）」』';

/** Replaces the placeholders of `text` with the facts; missing/unknown ones are left out cleanly. */
export function pipeText(text: string, facts: PipingFacts, locale: Locale | string, options: PipeOptions = {}): string {
  if (!text.includes('{')) return text;
  let gaps = false;
  const replaced = text.replace(PLACEHOLDER_RE, (_m, name: string) => {
    const value = factValue(name, facts, locale, options);
    if (value !== '') return value;
    gaps = true;
    return GAP;
  });
  if (!gaps) return replaced;
  return (
    replaced
      // "Hi {x}, …" → "Hi, …"; a comma that only set the name apart goes with it: "您好，{x}！" → "您好！"
      .replace(new RegExp(`(?:[,，][ \\t]*)?[ \\t]*${GAP}+[ \\t]*(?=[${CLOSING}]|$)`, 'gm'), '')
      .replace(new RegExp(`^[ \\t]*${GAP}+[ \\t]*`, 'gm'), '') // "{x} thanks" → "thanks"
      .replace(new RegExp(`[ \\t]*${GAP}+[ \\t]*`, 'g'), (m) => (/[ \t]/.test(m) ? ' ' : '')) // "a {x} b" → "a b"
      .replace(new RegExp(`${GAP}`, 'g'), '')
  );
}

/** localize + pipeText in one step. */
export function pipeLocalized(
  text: LocalizedText | null | undefined,
  facts: PipingFacts,
  locale: Locale | string,
  fallbackLocale: Locale | string,
  options: PipeOptions = {},
): string {
  return pipeText(localize(text, locale, fallbackLocale), facts, locale, { fallbackLocale, ...options });
}
