/**
 * Cross-reference rules of a survey definition (run after the zod shape check; attached to
 * `surveyDefinitionSchema` with superRefine). Each issue carries the path of the fault.
 */
import type { Condition, SurveyDefinition } from './schema.ts';
import { unknownPlaceholders } from './piping.ts';
import { conditionReferences } from './logic.ts';
import { choiceOptions, collectTexts, questionPositions, scaleOf, type QuestionPosition } from './walk.ts';
import type { CrossReferenceProblemCode, ProblemParams } from './problems.ts';

export interface CrossRefIssue {
  path: (string | number)[];
  code: CrossReferenceProblemCode;
  params: ProblemParams;
  message: string;
}

const NUMERIC_TYPES = new Set(['nps', 'csat', 'rating']);
const CHOICE_TYPES = new Set(['single', 'multi', 'problems']);

function split(path: string): (string | number)[] {
  return path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function crossCheckDefinition(def: SurveyDefinition): CrossRefIssue[] {
  const issues: CrossRefIssue[] = [];
  const add = (path: string, code: CrossReferenceProblemCode, params: ProblemParams, message: string) =>
    issues.push({ path: split(path), code, params, message });

  // --- locales ---------------------------------------------------------------------------------
  const seenLocales = new Set<string>();
  def.locales.forEach((l, i) => {
    if (seenLocales.has(l)) add(`locales.${i}`, 'duplicate_locale', { locale: l }, `Locale ${l} is listed twice`);
    seenLocales.add(l);
  });
  if (!def.locales.includes(def.defaultLocale)) {
    add(
      'defaultLocale',
      'default_locale_not_listed',
      { locale: def.defaultLocale },
      `The default locale ${def.defaultLocale} must be one of the survey's locales`,
    );
  }

  // --- texts: default locale present, only known placeholders ---------------------------------
  for (const { path, text } of collectTexts(def)) {
    const t = text as Record<string, string | undefined>;
    if (!t[def.defaultLocale] || t[def.defaultLocale]!.trim() === '') {
      add(path, 'missing_default_text', { locale: def.defaultLocale }, `Missing text in the default locale (${def.defaultLocale})`);
    }
    for (const [locale, s] of Object.entries(t)) {
      if (typeof s !== 'string') continue;
      for (const name of unknownPlaceholders(s)) {
        add(`${path}.${locale}`, 'unknown_placeholder', { placeholder: name }, `Unknown placeholder {${name}}`);
      }
    }
  }

  // --- ids ------------------------------------------------------------------------------------
  const pageIds = new Map<string, number>();
  def.pages.forEach((p, i) => {
    if (pageIds.has(p.id))
      add(
        `pages.${i}.id`,
        'duplicate_page_id',
        { id: p.id, also: `pages.${pageIds.get(p.id)}` },
        `Duplicate page id "${p.id}" (also pages.${pageIds.get(p.id)})`,
      );
    else pageIds.set(p.id, i);
  });

  const positions = questionPositions(def);
  const byId = new Map<string, QuestionPosition>();
  for (const pos of positions) {
    const { question: q, path } = pos;
    const first = byId.get(q.id);
    if (first) add(`${path}.id`, 'duplicate_question_id', { id: q.id, also: first.path }, `Duplicate question id "${q.id}" (also ${first.path})`);
    else byId.set(q.id, pos);
    if (pageIds.has(q.id)) add(`${path}.id`, 'question_id_is_page_id', { id: q.id }, `Question id "${q.id}" is already the id of a page`);

    const seenChoices = new Map<string, string>();
    for (const opt of choiceOptions(q)) {
      const prev = seenChoices.get(opt.choice.id);
      if (prev)
        add(`${path}.${opt.path}.id`, 'duplicate_choice_id', { id: opt.choice.id, also: prev }, `Duplicate choice id "${opt.choice.id}" (also ${prev})`);
      else seenChoices.set(opt.choice.id, opt.path);
    }
    if (q.type === 'multi' && q.maxChoices !== undefined) {
      const n = choiceOptions(q).length;
      if (q.maxChoices > n)
        add(
          `${path}.maxChoices`,
          'max_choices_exceeds_choices',
          { maxChoices: q.maxChoices, choices: n },
          `maxChoices (${q.maxChoices}) is more than the ${n} choices`,
        );
    }
    if (q.type === 'matrix') {
      const seenItems = new Map<string, number>();
      q.items.forEach((item, i) => {
        if (seenItems.has(item.id))
          add(
            `${path}.items.${i}.id`,
            'duplicate_item_id',
            { id: item.id, also: `items.${seenItems.get(item.id)}` },
            `Duplicate item id "${item.id}" (also items.${seenItems.get(item.id)})`,
          );
        else seenItems.set(item.id, i);
      });
    }
  }

  // --- logic ----------------------------------------------------------------------------------
  const checkCondition = (
    condition: Condition,
    condPath: string,
    /** may refer to questions strictly before this order index */
    limit: number,
    selfId: string | null,
  ) => {
    for (const ref of conditionReferences(condition, condPath)) {
      const target = byId.get(ref.question);
      const rule = ref.rule;
      if (!target) {
        add(`${ref.path}.question`, 'logic_unknown_question', { question: ref.question }, `Unknown question id "${ref.question}" in logic`);
        continue;
      }
      if (ref.question === selfId) {
        add(`${ref.path}.question`, 'logic_self_reference', { question: ref.question }, `The logic of "${selfId}" refers to itself (cycle)`);
        continue;
      }
      if (target.order >= limit) {
        add(
          `${ref.path}.question`,
          'logic_forward_reference',
          { question: ref.question },
          `Logic may only refer to questions asked earlier; "${ref.question}" comes later (forward reference or cycle)`,
        );
        continue;
      }
      const q = target.question;
      if (ref.item !== undefined) {
        if (q.type !== 'matrix') {
          add(`${ref.path}.item`, 'logic_item_not_matrix', { question: q.id, type: q.type }, `"item" only applies to matrix questions; "${q.id}" is ${q.type}`);
          continue;
        }
        if (!q.items.some((it) => it.id === ref.item)) {
          add(`${ref.path}.item`, 'logic_unknown_item', { item: ref.item, question: q.id }, `Unknown item id "${ref.item}" of question "${q.id}" in logic`);
          continue;
        }
      }
      if (rule.op === 'answered' || rule.op === 'not_answered') continue;
      const ruleValue = 'value' in rule ? rule.value : undefined;
      const values: unknown[] = Array.isArray(ruleValue) ? ruleValue : [ruleValue];
      const valuePath = (i: number) => (Array.isArray(ruleValue) ? `${ref.path}.value.${i}` : `${ref.path}.value`);

      if (NUMERIC_TYPES.has(q.type) || (q.type === 'matrix' && ref.item !== undefined)) {
        const scale = scaleOf(q)!;
        values.forEach((v, i) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < scale.min || v > scale.max) {
            add(
              valuePath(i),
              'logic_value_out_of_scale',
              { min: scale.min, max: scale.max, question: q.id },
              `Value must be an integer from ${scale.min} to ${scale.max} for "${q.id}"`,
            );
          }
        });
      } else if (CHOICE_TYPES.has(q.type)) {
        if (rule.op !== 'eq' && rule.op !== 'neq' && rule.op !== 'in' && rule.op !== 'not_in') {
          add(
            `${ref.path}.op`,
            'logic_operator_not_for_choice',
            { op: rule.op, question: q.id },
            `Operator ${rule.op} does not apply to the choice question "${q.id}" (use eq, neq, in, not_in)`,
          );
          continue;
        }
        const ids = new Set(choiceOptions(q).map((o) => o.choice.id));
        values.forEach((v, i) => {
          if (typeof v !== 'string' || !ids.has(v))
            add(valuePath(i), 'logic_unknown_choice', { choice: String(v), question: q.id }, `Unknown choice id "${String(v)}" of question "${q.id}" in logic`);
        });
      } else if (q.type === 'matrix') {
        add(
          `${ref.path}.op`,
          'logic_matrix_needs_item',
          { op: rule.op, question: q.id },
          `Operator ${rule.op} on the matrix question "${q.id}" needs an "item"`,
        );
      } else {
        add(
          `${ref.path}.op`,
          'logic_operator_not_for_type',
          { op: rule.op, type: q.type, question: q.id },
          `Operator ${rule.op} does not apply to the ${q.type} question "${q.id}" (use answered, not_answered)`,
        );
      }
    }
  };

  let firstOrderOfPage = 0;
  def.pages.forEach((page, pi) => {
    if (page.visibleIf) checkCondition(page.visibleIf, `pages.${pi}.visibleIf`, firstOrderOfPage, null);
    firstOrderOfPage += page.questions.length;
  });
  for (const pos of positions) {
    if (pos.question.visibleIf) checkCondition(pos.question.visibleIf, `${pos.path}.visibleIf`, pos.order, pos.question.id);
  }

  // --- dimensions -----------------------------------------------------------------------------
  const dimIds = new Map<string, number>();
  const assigned = new Map<string, string>();
  def.dimensions.forEach((d, di) => {
    const dpath = `dimensions.${di}`;
    if (dimIds.has(d.id))
      add(
        `${dpath}.id`,
        'duplicate_dimension_id',
        { id: d.id, also: `dimensions.${dimIds.get(d.id)}` },
        `Duplicate dimension id "${d.id}" (also dimensions.${dimIds.get(d.id)})`,
      );
    else dimIds.set(d.id, di);
    if (d.weight < 0) add(`${dpath}.weight`, 'dimension_weight_negative', {}, 'A dimension weight must not be negative');
    d.items.forEach((ref, ii) => {
      const ipath = `${dpath}.items.${ii}`;
      if (ref.weight !== undefined && ref.weight < 0) add(`${ipath}.weight`, 'item_weight_negative', {}, 'An item weight must not be negative');
      const target = byId.get(ref.questionId);
      if (!target) {
        add(
          `${ipath}.questionId`,
          'dimension_unknown_question',
          { question: ref.questionId, dimension: d.id },
          `Unknown question id "${ref.questionId}" in dimension "${d.id}"`,
        );
        return;
      }
      const q = target.question;
      if (q.type === 'matrix') {
        if (ref.itemId === undefined) {
          add(
            `${ipath}.itemId`,
            'dimension_matrix_needs_item',
            { question: q.id },
            `Matrix question "${q.id}": choose the item (itemId) that belongs to the dimension`,
          );
          return;
        }
        if (!q.items.some((it) => it.id === ref.itemId)) {
          add(
            `${ipath}.itemId`,
            'dimension_unknown_item',
            { item: ref.itemId, question: q.id, dimension: d.id },
            `Unknown item id "${ref.itemId}" of question "${q.id}" in dimension "${d.id}"`,
          );
          return;
        }
      } else if (q.type === 'csat' || q.type === 'rating') {
        if (ref.itemId !== undefined) {
          add(`${ipath}.itemId`, 'dimension_not_matrix', { question: q.id }, `"${q.id}" is not a matrix question; it has no items`);
          return;
        }
      } else {
        add(
          `${ipath}.questionId`,
          'dimension_question_type',
          { question: q.id, type: q.type },
          `Only csat, rating and matrix questions can belong to a dimension; "${q.id}" is ${q.type}`,
        );
        return;
      }
      const key = `${ref.questionId}/${ref.itemId ?? ''}`;
      const prev = assigned.get(key);
      if (prev)
        add(
          ipath,
          'dimension_item_assigned_twice',
          { item: ref.itemId ? `${ref.questionId}.${ref.itemId}` : ref.questionId, also: prev },
          `"${ref.itemId ? `${ref.questionId}.${ref.itemId}` : ref.questionId}" is already assigned (${prev})`,
        );
      else assigned.set(key, ipath);
    });
    if (d.items.length > 0 && d.items.every((r) => (r.weight ?? 1) === 0)) {
      add(`${dpath}.items`, 'dimension_item_weights_zero', { dimension: d.id }, `All item weights of dimension "${d.id}" are 0`);
    }
  });
  if (def.dimensions.length > 0 && def.dimensions.every((d) => d.weight === 0)) {
    add('dimensions', 'dimension_weights_zero', {}, 'All dimension weights are 0');
  }

  // --- outcomes -------------------------------------------------------------------------------
  const { recommend, overall } = def.outcomes;
  if (recommend !== undefined) {
    const q = byId.get(recommend)?.question;
    if (!q) add('outcomes.recommend', 'outcome_unknown_question', { question: recommend }, `Unknown question id "${recommend}"`);
    else if (q.type !== 'nps')
      add(
        'outcomes.recommend',
        'outcome_recommend_type',
        { question: recommend, type: q.type },
        `The recommend outcome must be an nps question; "${recommend}" is ${q.type}`,
      );
  }
  if (overall !== undefined) {
    const q = byId.get(overall)?.question;
    if (!q) add('outcomes.overall', 'outcome_unknown_question', { question: overall }, `Unknown question id "${overall}"`);
    else if (q.type !== 'csat' && q.type !== 'rating') {
      add(
        'outcomes.overall',
        'outcome_overall_type',
        { question: overall, type: q.type },
        `The overall outcome must be a csat or rating question; "${overall}" is ${q.type}`,
      );
    }
  }

  return issues;
}
