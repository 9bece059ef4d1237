/**
 * Comparing two versions of a survey definition (before publishing a new version).
 *
 * Breaks comparability (results before and after must not be trended together):
 *   a removed question, a removed matrix item, a removed choice (including "other" / "no problem"),
 *   a changed question type, a changed scale (rating / matrix max).
 * Does not break: added questions/items/choices/pages (added choices get a warning: the distribution
 *   may shift), text edits, required, display, maxLength, moving a question, logic changes (warning:
 *   who is asked changes), dimension / outcome changes (warning: the CSI / headline definition changes).
 */
import type { Question, SurveyDefinition } from './schema.ts';
import { choiceOptions, questionPositions, type QuestionPosition } from './walk.ts';

export type ChangeKind = 'page' | 'question' | 'item' | 'choice' | 'dimension';

export interface VersionChange {
  kind: ChangeKind;
  id: string;
  /** the question of an item or choice */
  questionId?: string;
  /** path in `next` (added, changed) or in `prev` (removed) */
  path: string;
}

export interface VersionModification extends VersionChange {
  /** what changed, e.g. ['text'], ['type'], ['scale'], ['visibleIf', 'required'], ['weight'] */
  fields: string[];
  breaksComparability: boolean;
}

export interface VersionWarning {
  path: string;
  message: string;
}

export interface VersionComparison {
  added: VersionChange[];
  removed: VersionChange[];
  changed: VersionModification[];
  breaksComparability: boolean;
  warnings: VersionWarning[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** JSON of a value with object keys sorted (so key order does not count as a change). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
const eq = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function textFields(q: Question): unknown {
  return {
    text: q.text,
    help: q.help,
    labels: 'labels' in q ? q.labels : undefined,
    placeholder: q.type === 'text' ? q.placeholder : undefined,
  };
}

export function compareVersions(prev: SurveyDefinition, next: SurveyDefinition): VersionComparison {
  const added: VersionChange[] = [];
  const removed: VersionChange[] = [];
  const changed: VersionModification[] = [];
  const warnings: VersionWarning[] = [];
  let breaks = false;

  // --- pages ----------------------------------------------------------------------------------
  const prevPages = new Map(prev.pages.map((p, i) => [p.id, { page: p, i }]));
  const nextPages = new Map(next.pages.map((p, i) => [p.id, { page: p, i }]));
  for (const [id, { i }] of nextPages) if (!prevPages.has(id)) added.push({ kind: 'page', id, path: `pages.${i}` });
  for (const [id, { i }] of prevPages) if (!nextPages.has(id)) removed.push({ kind: 'page', id, path: `pages.${i}` });
  for (const [id, { page: b, i }] of nextPages) {
    const a = prevPages.get(id)?.page;
    if (!a) continue;
    const fields: string[] = [];
    if (!eq({ t: a.title, d: a.description }, { t: b.title, d: b.description })) fields.push('text');
    if (!eq(a.visibleIf, b.visibleIf)) {
      fields.push('visibleIf');
      warnings.push({ path: `pages.${i}.visibleIf`, message: `The display logic of page "${id}" changed: who sees it may differ between versions.` });
    }
    if (fields.length) changed.push({ kind: 'page', id, path: `pages.${i}`, fields, breaksComparability: false });
  }

  // --- questions ------------------------------------------------------------------------------
  const prevQs = new Map<string, QuestionPosition>();
  for (const pos of questionPositions(prev)) if (!prevQs.has(pos.question.id)) prevQs.set(pos.question.id, pos);
  const nextQs = new Map<string, QuestionPosition>();
  for (const pos of questionPositions(next)) if (!nextQs.has(pos.question.id)) nextQs.set(pos.question.id, pos);

  for (const [id, pos] of nextQs) if (!prevQs.has(id)) added.push({ kind: 'question', id, path: pos.path });
  for (const [id, pos] of prevQs) {
    if (nextQs.has(id)) continue;
    removed.push({ kind: 'question', id, path: pos.path });
    breaks = true;
    warnings.push({ path: pos.path, message: `Question "${id}" was removed: its results cannot be compared across versions.` });
  }

  for (const [id, npos] of nextQs) {
    const ppos = prevQs.get(id);
    if (!ppos) continue;
    const a = ppos.question;
    const b = npos.question;
    const path = npos.path;
    const fields: string[] = [];
    let qBreaks = false;

    if (a.type !== b.type) {
      fields.push('type');
      qBreaks = true;
      warnings.push({ path: `${path}.type`, message: `Question "${id}" changed type (${a.type} → ${b.type}): not comparable.` });
    } else {
      if ((a.type === 'rating' || a.type === 'matrix') && a.max !== (b as typeof a).max) {
        fields.push('scale');
        qBreaks = true;
        warnings.push({
          path: `${path}.max`,
          message: `Question "${id}" changed scale (1–${a.max} → 1–${(b as typeof a).max}): not comparable.`,
        });
      }
      if ('display' in a && 'display' in b && a.display !== b.display) fields.push('display');
      if (a.type === 'text' && b.type === 'text' && (a.maxLength !== b.maxLength || a.variant !== b.variant)) fields.push('format');
      if (a.type === 'multi' && b.type === 'multi' && a.maxChoices !== b.maxChoices) {
        fields.push('maxChoices');
        warnings.push({ path: `${path}.maxChoices`, message: `Question "${id}": the number of choices allowed changed.` });
      }

      // choices (incl. other / noProblem)
      const aOpts = new Map(choiceOptions(a).map((o) => [o.choice.id, o]));
      const bOpts = new Map(choiceOptions(b).map((o) => [o.choice.id, o]));
      for (const [cid, o] of bOpts) {
        const cpath = `${path}.${o.path}`;
        const old = aOpts.get(cid);
        if (!old) {
          added.push({ kind: 'choice', id: cid, questionId: id, path: cpath });
          warnings.push({ path: cpath, message: `Choice "${cid}" was added to "${id}": the distribution of answers may shift.` });
        } else if (!eq(old.choice.text, o.choice.text)) {
          changed.push({ kind: 'choice', id: cid, questionId: id, path: cpath, fields: ['text'], breaksComparability: false });
        }
      }
      for (const [cid, o] of aOpts) {
        if (bOpts.has(cid)) continue;
        const cpath = `${ppos.path}.${o.path}`;
        removed.push({ kind: 'choice', id: cid, questionId: id, path: cpath });
        qBreaks = true;
        warnings.push({ path: cpath, message: `Choice "${cid}" was removed from "${id}": not comparable.` });
      }

      // matrix items
      if (a.type === 'matrix' && b.type === 'matrix') {
        const aItems = new Map(a.items.map((it, i) => [it.id, { it, i }]));
        const bItems = new Map(b.items.map((it, i) => [it.id, { it, i }]));
        for (const [iid, { it, i }] of bItems) {
          const old = aItems.get(iid);
          if (!old) added.push({ kind: 'item', id: iid, questionId: id, path: `${path}.items.${i}` });
          else if (!eq(old.it.text, it.text)) {
            changed.push({ kind: 'item', id: iid, questionId: id, path: `${path}.items.${i}`, fields: ['text'], breaksComparability: false });
          }
        }
        for (const [iid, { i }] of aItems) {
          if (bItems.has(iid)) continue;
          const ipath = `${ppos.path}.items.${i}`;
          removed.push({ kind: 'item', id: iid, questionId: id, path: ipath });
          qBreaks = true;
          warnings.push({ path: ipath, message: `Item "${iid}" was removed from "${id}": not comparable.` });
        }
      }
    }

    if (!eq(textFields(a), textFields(b))) fields.push('text');
    if (a.required !== b.required) fields.push('required');
    if (!eq(a.visibleIf, b.visibleIf)) {
      fields.push('visibleIf');
      warnings.push({ path: `${path}.visibleIf`, message: `The display logic of "${id}" changed: who is asked may differ between versions.` });
    }
    if (ppos.page.id !== npos.page.id || ppos.questionIndex !== npos.questionIndex) fields.push('position');
    if (qBreaks && !fields.includes('type') && !fields.includes('scale')) fields.push('options');
    if (fields.length) changed.push({ kind: 'question', id, path, fields, breaksComparability: qBreaks });
    if (qBreaks) breaks = true;
  }

  // --- dimensions, outcomes -------------------------------------------------------------------
  const prevDims = new Map(prev.dimensions.map((d, i) => [d.id, { d, i }]));
  const nextDims = new Map(next.dimensions.map((d, i) => [d.id, { d, i }]));
  for (const [id, { d, i }] of nextDims) {
    const old = prevDims.get(id)?.d;
    const path = `dimensions.${i}`;
    if (!old) {
      added.push({ kind: 'dimension', id, path });
      warnings.push({ path, message: `Dimension "${id}" was added: the satisfaction index is computed differently.` });
      continue;
    }
    const fields: string[] = [];
    if (!eq(old.name, d.name)) fields.push('text');
    if (old.weight !== d.weight) fields.push('weight');
    if (!eq(old.items, d.items)) fields.push('items');
    if (fields.some((f) => f !== 'text')) {
      warnings.push({
        path,
        message: `Dimension "${id}" changed (${fields.filter((f) => f !== 'text').join(', ')}): the satisfaction index is computed differently.`,
      });
    }
    if (fields.length) changed.push({ kind: 'dimension', id, path, fields, breaksComparability: false });
  }
  for (const [id, { i }] of prevDims) {
    if (nextDims.has(id)) continue;
    removed.push({ kind: 'dimension', id, path: `dimensions.${i}` });
    warnings.push({ path: `dimensions.${i}`, message: `Dimension "${id}" was removed: the satisfaction index is computed differently.` });
  }
  for (const key of ['recommend', 'overall'] as const) {
    if (!same(prev.outcomes[key], next.outcomes[key])) {
      warnings.push({
        path: `outcomes.${key}`,
        message: `The ${key} outcome changed (${prev.outcomes[key] ?? 'none'} → ${next.outcomes[key] ?? 'none'}).`,
      });
    }
  }

  return { added, removed, changed, breaksComparability: breaks, warnings };
}
