// Names of locales, question types, operators and statuses in the UI language.
import type { Locale, Operator, QuestionType } from '@rs/survey-definition';
import { t, type MessageKey, type UiLocale } from '$lib/i18n';

export const localeName = (ui: UiLocale, locale: Locale | string) => t(ui, `locale.${locale}` as MessageKey);
export const typeName = (ui: UiLocale, type: QuestionType | string) => t(ui, `qtype.${type}` as MessageKey);
export const opName = (ui: UiLocale, op: Operator | string) => t(ui, `op.${op}` as MessageKey);
export const statusName = (ui: UiLocale, status: string) => t(ui, `status.${status}` as MessageKey);
