// What a publish would change, in words, from compareVersions (plus what it does not look at:
// survey texts, languages, settings).
import { choiceOptions, findQuestion, localize, type SurveyDefinition, type VersionChange, type VersionComparison } from '@rs/survey-definition';
import { t, type MessageKey, type UiLocale } from '$lib/i18n';

export interface ChangeLine {
  text: string;
  /** breaks: results cannot be trended across the versions; warn: numbers may shift */
  level: 'breaks' | 'warn' | 'info';
}

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v ?? null);
export const sameJson = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function describe(def: SurveyDefinition, change: VersionChange, ui: UiLocale): string {
  const text = (x: Parameters<typeof localize>[0]) => localize(x, ui, def.defaultLocale);
  switch (change.kind) {
    case 'page': {
      const page = def.pages.find((p) => p.id === change.id);
      return t(ui, 'changes.page', { name: text(page?.title) || change.id });
    }
    case 'question': {
      const q = findQuestion(def, change.id);
      return t(ui, 'changes.question', { name: q ? text(q.text) : change.id, id: change.id });
    }
    case 'item': {
      const q = change.questionId ? findQuestion(def, change.questionId) : undefined;
      const item = q?.type === 'matrix' ? q.items.find((i) => i.id === change.id) : undefined;
      return t(ui, 'changes.item', { name: text(item?.text) || change.id, question: q ? text(q.text) : (change.questionId ?? '') });
    }
    case 'choice': {
      const q = change.questionId ? findQuestion(def, change.questionId) : undefined;
      const choice = q ? choiceOptions(q).find((o) => o.choice.id === change.id)?.choice : undefined;
      return t(ui, 'changes.choice', { name: text(choice?.text) || change.id, question: q ? text(q.text) : (change.questionId ?? '') });
    }
    case 'dimension': {
      const d = def.dimensions.find((x) => x.id === change.id);
      return t(ui, 'changes.dimension', { name: text(d?.name) || change.id });
    }
  }
}

const fieldName = (ui: UiLocale, field: string) => t(ui, `changes.field.${field}` as MessageKey);

export function describeChanges(prev: SurveyDefinition, next: SurveyDefinition, cmp: VersionComparison, ui: UiLocale): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const c of cmp.removed) {
    const breaks = c.kind === 'question' || c.kind === 'item' || c.kind === 'choice';
    lines.push({ level: breaks ? 'breaks' : c.kind === 'dimension' ? 'warn' : 'info', text: t(ui, 'changes.removed', { what: describe(prev, c, ui) }) });
  }
  for (const c of cmp.added) {
    const level = c.kind === 'choice' || c.kind === 'dimension' ? 'warn' : 'info';
    lines.push({ level, text: t(ui, 'changes.added', { what: describe(next, c, ui) }) });
  }
  for (const c of cmp.changed) {
    const level = c.breaksComparability ? 'breaks' : c.fields.some((f) => ['visibleIf', 'weight', 'items', 'maxChoices'].includes(f)) ? 'warn' : 'info';
    lines.push({
      level,
      text: t(ui, 'changes.changed', { what: describe(next, c, ui), fields: c.fields.map((f) => fieldName(ui, f)).join(t(ui, 'changes.sep')) }),
    });
  }
  for (const key of ['recommend', 'overall'] as const) {
    if (prev.outcomes[key] !== next.outcomes[key]) {
      lines.push({ level: 'warn', text: t(ui, `changes.outcome.${key}`, { from: prev.outcomes[key] ?? '–', to: next.outcomes[key] ?? '–' }) });
    }
  }
  if (!sameJson([prev.title, prev.description, prev.intro, prev.thankYou], [next.title, next.description, next.intro, next.thankYou])) {
    lines.push({ level: 'info', text: t(ui, 'changes.surveyTexts') });
  }
  if (!sameJson([prev.locales, prev.defaultLocale], [next.locales, next.defaultLocale])) {
    lines.push({ level: 'info', text: t(ui, 'changes.locales', { from: prev.locales.join(', '), to: next.locales.join(', ') }) });
  }
  if (!sameJson(prev.settings, next.settings)) lines.push({ level: 'info', text: t(ui, 'changes.settings') });
  return lines;
}
