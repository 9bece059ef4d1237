/**
 * Editing a survey definition in the builder: one set of pure functions used by the browser (live
 * editing) and by the page's form actions (the same edits posted without JavaScript).
 *
 * - A field edit is `applyField(def, name, values)`: `name` is "<kind>:<path>" (the name of the form
 *   control), `values` what the control posted (several for a checkbox group).
 * - A structural edit is `applyOp(def, op, extra)`: `op` is "<verb>|<path>|<arg>" (the value of the
 *   submit button named "op"); `extra` reads other posted controls (the type of a question to add).
 * Both mutate `def` in place.
 */
import {
  choiceOptions,
  localize,
  COMPARE_OPERATORS,
  PRESENCE_OPERATORS,
  questionPositions,
  scaleOf,
  SET_OPERATORS,
  SUPPORTED_LOCALES,
  type Condition,
  type Locale,
  type LocalizedText,
  type Operator,
  type Page,
  type Question,
  type QuestionType,
  type RuleCondition,
  type SurveyDefinition,
} from '@rs/survey-definition';

export type Path = string;
type Obj = Record<string, unknown>;

/** A deep copy (works on Svelte state proxies too, unlike structuredClone). */
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

export function splitPath(path: Path): (string | number)[] {
  return path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function getAt(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[key as string];
  }
  return cur;
}

/** Sets a value, creating objects on the way; `undefined` deletes the key (or array element). */
export function setAt(root: unknown, path: Path, value: unknown): void {
  const keys = splitPath(path);
  let cur = root as Obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i] as string;
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = typeof keys[i + 1] === 'number' ? [] : {};
    cur = cur[k] as Obj;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
}

export const parentPath = (path: Path) => path.split('.').slice(0, -1).join('.');
export const lastKey = (path: Path) => path.split('.').at(-1) ?? '';

/** The element id of the control editing a path ("f-pages-0-questions-1-text"). */
export const fieldId = (path: Path) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * The control an issue path belongs to: the path itself, with the locale of a localized text and the
 * index inside a condition's value list removed.
 */
export function issueField(path: Path): Path {
  const keys = path.split('.');
  const last = keys.at(-1) ?? '';
  if ((SUPPORTED_LOCALES as readonly string[]).includes(last)) return keys.slice(0, -1).join('.');
  if (/^\d+$/.test(last) && keys.at(-2) === 'value') return keys.slice(0, -1).join('.');
  return path;
}

// ---------------------------------------------------------------------------------------------
// Defaults for new elements, in the survey's default locale
// ---------------------------------------------------------------------------------------------

const NEW_TEXTS: Record<Locale, Record<'question' | 'choice' | 'item' | 'other' | 'noProblem' | 'dimension' | 'page', string>> = {
  'zh-CN': { question: '新问题', choice: '选项 {n}', item: '项目 {n}', other: '其他', noProblem: '没有遇到问题', dimension: '新维度', page: '新页面' },
  'zh-TW': { question: '新問題', choice: '選項 {n}', item: '項目 {n}', other: '其他', noProblem: '沒有遇到問題', dimension: '新維度', page: '新頁面' },
  en: {
    question: 'New question',
    choice: 'Option {n}',
    item: 'Item {n}',
    other: 'Other',
    noProblem: 'No problems',
    dimension: 'New dimension',
    page: 'New page',
  },
};

function newText(def: SurveyDefinition, key: keyof (typeof NEW_TEXTS)['en'], n = 1): LocalizedText {
  const locale = def.defaultLocale;
  return { [locale]: (NEW_TEXTS[locale] ?? NEW_TEXTS.en)[key].replace('{n}', String(n)) };
}

/** `base`, else `base_2`, `base_3`… whichever is not taken. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  const clean = /^[a-z]/.test(base) ? base.slice(0, 56) : `x_${base}`.slice(0, 56);
  if (!set.has(clean)) return clean;
  for (let n = 2; ; n++) if (!set.has(`${clean}_${n}`)) return `${clean}_${n}`;
}

/** `c1`, `c2`… the first number not taken. */
function numberedId(prefix: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  for (let n = 1; ; n++) if (!set.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

const questionIds = (def: SurveyDefinition) => questionPositions(def).map((p) => p.question.id);
const allIds = (def: SurveyDefinition) => [...questionIds(def), ...def.pages.map((p) => p.id)];

export const CHOICE_TYPES = ['single', 'multi', 'problems'] as const;
export const isChoiceType = (t: string): t is (typeof CHOICE_TYPES)[number] => (CHOICE_TYPES as readonly string[]).includes(t);

/** A new question of a type, valid as it is. */
export function newQuestion(def: SurveyDefinition, type: QuestionType, id?: string): Question {
  const qid = id ?? uniqueId(`q_${type}`, allIds(def));
  const base = { id: qid, text: newText(def, 'question'), required: false };
  switch (type) {
    case 'nps':
    case 'csat':
      return { ...base, type };
    case 'rating':
      return { ...base, type, max: 5, display: 'numbers' };
    case 'single':
    case 'multi':
    case 'problems':
      return { ...base, type, choices: [1, 2].map((n) => ({ id: `c${n}`, text: newText(def, 'choice', n) })) } as Question;
    case 'text':
      return { ...base, type, variant: 'long' };
    case 'matrix':
      return { ...base, type, max: 5, display: 'numbers', items: [1, 2].map((n) => ({ id: `i${n}`, text: newText(def, 'item', n) })) };
  }
}

/** The same question as another type, keeping what both types have (text, choices, scale…). */
export function convertQuestion(def: SurveyDefinition, q: Question, type: QuestionType): Question {
  if (q.type === type) return q;
  const fresh = newQuestion(def, type, q.id) as Obj;
  const keep: Obj = { id: q.id, text: q.text, required: q.required };
  if (q.help) keep.help = q.help;
  if (q.visibleIf) keep.visibleIf = q.visibleIf;
  const src = q as Obj;
  if ('labels' in q && q.labels && type !== 'text' && !isChoiceType(type)) keep.labels = q.labels;
  if (isChoiceType(q.type) && isChoiceType(type)) {
    keep.choices = src.choices;
    if (src.other) keep.other = src.other;
  }
  if ((q.type === 'rating' || q.type === 'matrix') && (type === 'rating' || type === 'matrix')) {
    keep.max = src.max;
    keep.display = src.display;
  }
  return { ...fresh, ...keep, type } as Question;
}

// ---------------------------------------------------------------------------------------------
// Renaming ids (references follow)
// ---------------------------------------------------------------------------------------------

function eachCondition(def: SurveyDefinition, visit: (rule: RuleCondition) => void) {
  const walk = (c: Condition | undefined) => {
    if (!c) return;
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else visit(c);
  };
  for (const page of def.pages) {
    walk(page.visibleIf);
    for (const q of page.questions) walk(q.visibleIf);
  }
}

function renameQuestion(def: SurveyDefinition, from: string, to: string) {
  eachCondition(def, (r) => {
    if (r.question === from) r.question = to;
  });
  for (const d of def.dimensions) for (const ref of d.items) if (ref.questionId === from) ref.questionId = to;
  if (def.outcomes.recommend === from) def.outcomes.recommend = to;
  if (def.outcomes.overall === from) def.outcomes.overall = to;
}

function renameChoice(def: SurveyDefinition, questionId: string, from: string, to: string) {
  eachCondition(def, (r) => {
    if (r.question !== questionId || !('value' in r)) return;
    const rule = r as { value: unknown };
    if (Array.isArray(rule.value)) rule.value = rule.value.map((v) => (v === from ? to : v));
    else if (rule.value === from) rule.value = to;
  });
}

function renameItem(def: SurveyDefinition, questionId: string, from: string, to: string) {
  eachCondition(def, (r) => {
    if (r.question === questionId && r.item === from) r.item = to;
  });
  for (const d of def.dimensions) for (const ref of d.items) if (ref.questionId === questionId && ref.itemId === from) ref.itemId = to;
}

/** The question that owns a path ("pages.0.questions.2.choices.1.id" → pages.0.questions.2). */
function owningQuestion(def: SurveyDefinition, path: Path): Question | undefined {
  const m = /^pages\.(\d+)\.questions\.(\d+)/.exec(path);
  return m ? def.pages[Number(m[1])]?.questions[Number(m[2])] : undefined;
}

function setId(def: SurveyDefinition, path: Path, next: string) {
  const idPath = path.endsWith('.id') ? path : `${path}.id`;
  const prev = getAt(def, idPath);
  if (typeof prev !== 'string' || prev === next) {
    setAt(def, idPath, next);
    return;
  }
  const owner = parentPath(idPath);
  const q = owningQuestion(def, owner);
  const isQuestion = /^pages\.\d+\.questions\.\d+$/.test(owner);
  const isChoice = /^pages\.\d+\.questions\.\d+\.(choices\.\d+|other|noProblem)$/.test(owner);
  const isItem = /^pages\.\d+\.questions\.\d+\.items\.\d+$/.test(owner);
  // References follow a rename unless the new id is already taken (then validation names the duplicate).
  if (isQuestion && !allIds(def).includes(next)) renameQuestion(def, prev, next);
  if (isChoice && q && !choiceOptions(q).some((o) => o.choice.id === next)) renameChoice(def, q.id, prev, next);
  if (isItem && q?.type === 'matrix' && !q.items.some((i) => i.id === next)) renameItem(def, q.id, prev, next);
  setAt(def, idPath, next);
}

// ---------------------------------------------------------------------------------------------
// Field edits
// ---------------------------------------------------------------------------------------------

/** Optional localized texts: removed when every locale is emptied (required ones stay, and fail validation). */
function isOptionalText(path: Path): boolean {
  const key = lastKey(path);
  if (['description', 'intro', 'thankYou', 'help', 'placeholder'].includes(key)) return true;
  if (lastKey(parentPath(path)) === 'labels') return true;
  return /^pages\.\d+\.title$/.test(path);
}

function parseNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** A condition value as typed: a number for number questions, else the choice id. */
function parseConditionValue(def: SurveyDefinition, rule: RuleCondition, raw: string): number | string {
  const target = questionPositions(def).find((p) => p.question.id === rule.question)?.question;
  const numeric = target && scaleOf(target) !== null && !(target.type === 'matrix' && !rule.item);
  const n = parseNumber(raw);
  return numeric && n !== undefined ? n : raw.trim();
}

/** A rule's value made to fit its operator (a list for in / not_in, none for answered…). */
function fitValue(rule: RuleCondition, op: Operator): RuleCondition {
  const { question, item } = rule;
  const base = item === undefined ? { question } : { question, item };
  const current: unknown = 'value' in rule ? rule.value : undefined;
  const list = Array.isArray(current) ? current : current === undefined || current === '' ? [] : [current];
  if ((PRESENCE_OPERATORS as readonly string[]).includes(op)) return { ...base, op } as RuleCondition;
  if ((SET_OPERATORS as readonly string[]).includes(op)) return { ...base, op, value: list } as RuleCondition;
  return { ...base, op, value: list[0] ?? '' } as RuleCondition;
}

/** Operators that apply to a question (and item) as the validation allows them. */
export function operatorsFor(q: Question | undefined, item?: string): Operator[] {
  if (!q) return [...PRESENCE_OPERATORS];
  if (q.type === 'nps' || q.type === 'csat' || q.type === 'rating' || (q.type === 'matrix' && item)) {
    return [...COMPARE_OPERATORS, ...SET_OPERATORS, ...PRESENCE_OPERATORS];
  }
  if (isChoiceType(q.type)) return ['eq', 'neq', 'in', 'not_in', ...PRESENCE_OPERATORS];
  return [...PRESENCE_OPERATORS];
}

/** A sensible first rule on a question. */
export function defaultRule(def: SurveyDefinition, questionId: string): RuleCondition {
  const q = questionPositions(def).find((p) => p.question.id === questionId)?.question;
  if (!q) return { question: questionId, op: 'answered' };
  if (q.type === 'nps') return { question: q.id, op: 'lte', value: 6 };
  if (q.type === 'csat' || q.type === 'rating') return { question: q.id, op: 'lte', value: 2 };
  if (q.type === 'matrix') return { question: q.id, item: q.items[0]?.id, op: 'lte', value: 2 };
  if (isChoiceType(q.type)) return { question: q.id, op: 'eq', value: choiceOptions(q)[0]?.choice.id ?? '' };
  return { question: q.id, op: 'answered' };
}

const DIMENSION_KEY = (questionId: string, itemId?: string) => `${questionId}/${itemId ?? ''}`;

/** Which dimension (index) each csat / rating question or matrix item is assigned to. */
export function assignments(def: SurveyDefinition): Map<string, { dimension: number; ref: number }> {
  const map = new Map<string, { dimension: number; ref: number }>();
  def.dimensions.forEach((d, di) => d.items.forEach((ref, ri) => map.set(DIMENSION_KEY(ref.questionId, ref.itemId), { dimension: di, ref: ri })));
  return map;
}

export const dimensionKey = DIMENSION_KEY;

function assign(def: SurveyDefinition, key: string, dimensionId: string) {
  const [questionId, itemId] = key.split('/');
  const current = assignments(def).get(key);
  const target = def.dimensions.find((d) => d.id === dimensionId);
  if (!target) return;
  let weight: number | undefined;
  if (current) {
    const dim = def.dimensions[current.dimension];
    weight = dim.items[current.ref].weight;
    if (dim.id === dimensionId) return;
    dim.items.splice(current.ref, 1);
  }
  const ref: { questionId: string; itemId?: string; weight?: number } = { questionId };
  if (itemId) ref.itemId = itemId;
  if (weight !== undefined) ref.weight = weight;
  target.items.push(ref);
}

/**
 * Applies one posted control. Kinds:
 * text (optional string), loc (one locale of a localized text), num (required number), optnum,
 * bool, id (renames; references follow), type (question type), locales (checkbox group),
 * other / noproblem (checkbox: the option exists), cq / ci / cop / cv (a condition's question, item,
 * operator, value), comb (all / any of a group), assign / aweight (dimension of a rating item, its
 * weight), outcome.
 */
export function applyField(def: SurveyDefinition, name: string, values: string[]): void {
  const colon = name.indexOf(':');
  if (colon < 0) return;
  const kind = name.slice(0, colon);
  const path = name.slice(colon + 1);
  const raw = values.at(-1) ?? '';
  switch (kind) {
    case 'text':
      setAt(def, path, raw.trim() === '' ? undefined : raw);
      return;
    case 'loc': {
      const textPath = parentPath(path);
      const locale = lastKey(path);
      const current = getAt(def, textPath);
      const text: Obj = current && typeof current === 'object' ? { ...(current as Obj) } : {};
      if (raw.trim() === '') delete text[locale];
      else text[locale] = raw;
      if (Object.keys(text).length === 0 && isOptionalText(textPath)) {
        setAt(def, textPath, undefined);
        const parent = parentPath(textPath);
        if (lastKey(parent) === 'labels' && Object.keys((getAt(def, parent) as Obj) ?? {}).length === 0) setAt(def, parent, undefined);
      } else setAt(def, textPath, text);
      return;
    }
    case 'num':
      setAt(def, path, parseNumber(raw) ?? null);
      return;
    case 'optnum':
      setAt(def, path, parseNumber(raw));
      return;
    case 'bool':
      setAt(def, path, raw === 'true');
      return;
    case 'id':
      setId(def, path, raw.trim());
      return;
    case 'type': {
      const m = /^pages\.(\d+)\.questions\.(\d+)$/.exec(path);
      if (!m) return;
      const page = def.pages[Number(m[1])];
      const q = page?.questions[Number(m[2])];
      if (!q || !raw || raw === q.type) return;
      // in place: the question keeps its identity (and its open editor)
      const converted = convertQuestion(def, q, raw as QuestionType) as Obj;
      const target = q as unknown as Obj;
      for (const key of Object.keys(target)) if (!(key in converted)) delete target[key];
      Object.assign(target, converted);
      return;
    }
    case 'locales': {
      const chosen = SUPPORTED_LOCALES.filter((l) => values.includes(l));
      def.locales = chosen.length > 0 ? chosen : [def.defaultLocale];
      if (!def.locales.includes(def.defaultLocale)) def.locales = [def.defaultLocale, ...def.locales];
      return;
    }
    case 'other':
    case 'noproblem': {
      const q = getAt(def, path) as Obj | undefined;
      if (!q) return;
      const key = kind === 'other' ? 'other' : 'noProblem';
      const on = raw === 'true';
      if (!on) delete q[key];
      else if (!q[key]) {
        const taken = choiceOptions(q as unknown as Question).map((o) => o.choice.id);
        q[key] = { id: uniqueId(kind === 'other' ? 'other' : 'none', taken), text: newText(def, key) };
      }
      return;
    }
    case 'cq': {
      // path = the condition; a new question resets the rule to a sensible one for it.
      const rule = getAt(def, path) as RuleCondition | undefined;
      if (!rule || rule.question === raw) return;
      setAt(def, path, defaultRule(def, raw));
      return;
    }
    case 'ci': {
      const rule = getAt(def, path) as RuleCondition | undefined;
      if (!rule) return;
      if (raw) rule.item = raw;
      else delete rule.item;
      return;
    }
    case 'cop': {
      const rule = getAt(def, path) as RuleCondition | undefined;
      if (!rule || rule.op === raw) return;
      setAt(def, path, fitValue(rule, raw as Operator));
      return;
    }
    case 'cv': {
      const rule = getAt(def, path) as RuleCondition | undefined;
      if (!rule || !('value' in rule)) return;
      if ((SET_OPERATORS as readonly string[]).includes(rule.op)) {
        // a checkbox group (choice ids) or one text box with a comma-separated list
        const parts = values.length > 1 || !raw.includes(',') ? values : raw.split(',');
        (rule as { value: unknown }).value = parts
          .map((p) => p.trim())
          .filter((p) => p !== '')
          .map((p) => parseConditionValue(def, rule, p));
      } else (rule as { value: unknown }).value = parseConditionValue(def, rule, raw);
      return;
    }
    case 'comb': {
      const group = getAt(def, path) as Obj | undefined;
      if (!group) return;
      const from = 'all' in group ? 'all' : 'any';
      if (raw !== from && (raw === 'all' || raw === 'any')) setAt(def, path, { [raw]: group[from] });
      return;
    }
    case 'assign':
      if (raw) assign(def, path, raw);
      else {
        const current = assignments(def).get(path);
        if (current) def.dimensions[current.dimension].items.splice(current.ref, 1);
      }
      return;
    case 'aweight': {
      const current = assignments(def).get(path);
      if (!current) return;
      const ref = def.dimensions[current.dimension].items[current.ref];
      const n = parseNumber(raw);
      if (n === undefined) delete ref.weight;
      else ref.weight = n;
      return;
    }
    case 'outcome':
      if (raw) (def.outcomes as Obj)[path] = raw;
      else delete (def.outcomes as Obj)[path];
      return;
  }
}

/**
 * Applies the posted controls in order. A condition whose question changed starts afresh: the
 * operator and value posted for the old question are skipped.
 */
export function applyFields(def: SurveyDefinition, entries: [string, string[]][]): void {
  const reset = new Set<string>();
  // Type changes and the other / no-problem switches last: the controls of the old shape apply first.
  const rank = (name: string) => (name.startsWith('type:') ? 1 : name.startsWith('other:') || name.startsWith('noproblem:') ? 2 : 0);
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e[0]) - rank(b.e[0]) || a.i - b.i)
    .map((x) => x.e);
  for (const [name, values] of ordered) {
    const [kind, path] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
    if ((kind === 'ci' || kind === 'cop' || kind === 'cv') && reset.has(path)) continue;
    if (kind === 'cq') {
      const before = (getAt(def, path) as RuleCondition | undefined)?.question;
      applyField(def, name, values);
      if (before !== undefined && before !== values.at(-1)) reset.add(path);
      continue;
    }
    applyField(def, name, values);
  }
}

/** The control names a form posted, each with its values, in the order they came. */
export function fieldEntries(form: { entries(): IterableIterator<[string, FormDataEntryValue]> }): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string' || !/^[a-z]+:/.test(name)) continue;
    const list = map.get(name) ?? [];
    list.push(value);
    map.set(name, list);
  }
  return [...map.entries()];
}

// ---------------------------------------------------------------------------------------------
// Structural edits
// ---------------------------------------------------------------------------------------------

function move<T>(list: T[], index: number, by: number): number {
  const to = index + by;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return index;
  const [x] = list.splice(index, 1);
  list.splice(to, 0, x);
  return to;
}

/** Removes a question's dimension assignments and outcome roles (logic that used it is left to fix). */
function forgetQuestion(def: SurveyDefinition, questionId: string) {
  for (const d of def.dimensions) d.items = d.items.filter((r) => r.questionId !== questionId);
  if (def.outcomes.recommend === questionId) delete def.outcomes.recommend;
  if (def.outcomes.overall === questionId) delete def.outcomes.overall;
}

function copyQuestion(def: SurveyDefinition, q: Question): Question {
  const copy = clone(q);
  copy.id = uniqueId(`${q.id}_copy`, allIds(def));
  return copy;
}

export interface OpResult {
  /** the path of the element to focus after the edit (the moved / new element) */
  focus?: Path;
  /** what happened, for the screen-reader announcement */
  message?: { key: OpMessageKey; params?: Record<string, string | number> };
}

export type OpMessageKey = 'moved' | 'added' | 'duplicated' | 'deleted' | 'cannotDelete';

/** The list (array) an element path belongs to and the element's index in it. */
function listOf(def: SurveyDefinition, path: Path): { list: unknown[]; index: number; listPath: Path } | null {
  const listPath = parentPath(path);
  const list = getAt(def, listPath);
  const index = Number(lastKey(path));
  if (!Array.isArray(list) || !Number.isInteger(index)) return null;
  return { list, index, listPath };
}

/**
 * verbs: add-page | move-page | delete-page | add-question (arg = type, or extra('newtype:<page>')) |
 * move (arg = -1 / 1; questions also cross pages) | duplicate | delete | add-choice | add-item |
 * add-dimension | add-rule | add-group | delete-condition.
 */
export function applyOp(def: SurveyDefinition, op: string, extra: (name: string) => string | undefined = () => undefined): OpResult {
  const [verb, path = '', arg = ''] = op.split('|');
  const qMatch = /^pages\.(\d+)\.questions\.(\d+)$/.exec(path);

  switch (verb) {
    case 'add-page': {
      const id = numberedId('p', allIds(def));
      const page: Page = { id, questions: [newQuestion(def, 'text')] };
      def.pages.push(page);
      return { focus: `pages.${def.pages.length - 1}`, message: { key: 'added', params: { n: def.pages.length } } };
    }
    case 'add-question': {
      const pi = Number(path.replace(/^pages\./, ''));
      const page = def.pages[pi];
      if (!page) return {};
      const type = (arg || extra(`newtype:${pi}`) || 'text') as QuestionType;
      page.questions.push(newQuestion(def, type));
      return { focus: `pages.${pi}.questions.${page.questions.length - 1}`, message: { key: 'added', params: { n: page.questions.length } } };
    }
    case 'add-choice':
    case 'add-item': {
      const q = getAt(def, path) as Obj | undefined;
      if (!q) return {};
      const key = verb === 'add-choice' ? 'choices' : 'items';
      const list = (q[key] as { id: string }[]) ?? [];
      const taken = verb === 'add-choice' ? choiceOptions(q as unknown as Question).map((o) => o.choice.id) : list.map((x) => x.id);
      const id = numberedId(verb === 'add-choice' ? 'c' : 'i', taken);
      list.push({ id, text: newText(def, verb === 'add-choice' ? 'choice' : 'item', list.length + 1) } as { id: string });
      q[key] = list;
      return { focus: `${path}.${key}.${list.length - 1}`, message: { key: 'added', params: { n: list.length } } };
    }
    case 'add-dimension': {
      const id = numberedId(
        'd',
        def.dimensions.map((d) => d.id),
      );
      def.dimensions.push({ id, name: newText(def, 'dimension'), weight: 1, items: [] } as unknown as SurveyDefinition['dimensions'][number]);
      return { focus: `dimensions.${def.dimensions.length - 1}`, message: { key: 'added', params: { n: def.dimensions.length } } };
    }
    case 'move': {
      const by = Number(arg) < 0 ? -1 : 1;
      if (qMatch) {
        const pi = Number(qMatch[1]);
        const qi = Number(qMatch[2]);
        const page = def.pages[pi];
        if (!page) return {};
        const target = qi + by;
        if (target >= 0 && target < page.questions.length) {
          move(page.questions, qi, by);
          return { focus: `pages.${pi}.questions.${target}`, message: { key: 'moved', params: { n: target + 1, of: page.questions.length } } };
        }
        // across the page boundary (a page keeps at least one question)
        const other = def.pages[pi + by];
        if (!other || page.questions.length === 1) return {};
        const [q] = page.questions.splice(qi, 1);
        if (by < 0) other.questions.push(q);
        else other.questions.unshift(q);
        const ni = by < 0 ? other.questions.length - 1 : 0;
        return { focus: `pages.${pi + by}.questions.${ni}`, message: { key: 'moved', params: { n: ni + 1, of: other.questions.length } } };
      }
      const found = listOf(def, path);
      if (!found) return {};
      const to = move(found.list, found.index, by);
      return { focus: `${found.listPath}.${to}`, message: { key: 'moved', params: { n: to + 1, of: found.list.length } } };
    }
    case 'duplicate': {
      const found = listOf(def, path);
      if (!found) return {};
      const original = found.list[found.index] as Obj;
      let copy: Obj;
      if (qMatch) copy = copyQuestion(def, original as unknown as Question) as unknown as Obj;
      else if (/^pages\.\d+$/.test(path)) {
        const page = clone(original) as unknown as Page;
        page.id = uniqueId(`${page.id}_copy`, allIds(def));
        for (const q of page.questions) q.id = uniqueId(`${q.id}_copy`, [...allIds(def), ...page.questions.map((x) => x.id)]);
        copy = page as unknown as Obj;
      } else {
        copy = clone(original);
        const siblings = found.list as { id: string }[];
        const owner = owningQuestion(def, path);
        const taken = owner && /\.choices\.\d+$/.test(path) ? choiceOptions(owner).map((o) => o.choice.id) : siblings.map((s) => s.id);
        copy.id = uniqueId(`${String(original.id)}_copy`, taken);
      }
      found.list.splice(found.index + 1, 0, copy);
      return { focus: `${found.listPath}.${found.index + 1}`, message: { key: 'duplicated' } };
    }
    case 'delete': {
      const found = listOf(def, path);
      if (!found) return {};
      const pageMatch = /^pages\.(\d+)$/.exec(path);
      if (pageMatch) {
        if (def.pages.length === 1) return { message: { key: 'cannotDelete' } };
        for (const q of def.pages[found.index].questions) forgetQuestion(def, q.id);
      } else if (qMatch) {
        const page = def.pages[Number(qMatch[1])];
        const q = page.questions[found.index];
        if (page.questions.length === 1) {
          if (def.pages.length === 1) return { message: { key: 'cannotDelete' } };
          forgetQuestion(def, q.id);
          def.pages.splice(Number(qMatch[1]), 1);
          return { focus: `pages.${Math.max(0, Number(qMatch[1]) - 1)}`, message: { key: 'deleted' } };
        }
        forgetQuestion(def, q.id);
      } else if (/\.(choices|items)\.\d+$/.test(path) && found.list.length === 1) {
        return { message: { key: 'cannotDelete' } };
      } else if (/^dimensions\.\d+$/.test(path)) {
        // nothing refers to a dimension
      }
      found.list.splice(found.index, 1);
      const next = Math.min(found.index, found.list.length - 1);
      return { focus: next >= 0 ? `${found.listPath}.${next}` : parentPath(found.listPath), message: { key: 'deleted' } };
    }
    case 'add-rule':
    case 'add-group': {
      // path = a visibleIf (of a question or a page) or a group inside it
      const owner = path.replace(/\.visibleIf(\..*)?$/, '');
      const earlier = earlierQuestions(def, owner);
      if (earlier.length === 0) return {};
      const rule = defaultRule(def, earlier[earlier.length - 1].id);
      const node: Condition = verb === 'add-group' ? { any: [rule] } : rule;
      const current = getAt(def, path) as Condition | undefined;
      if (!current) setAt(def, path, verb === 'add-group' ? { all: [node] } : node);
      else if ('all' in current) current.all.push(node);
      else if ('any' in current) current.any.push(node);
      else setAt(def, path, { all: [current, node] });
      return { focus: path, message: { key: 'added' } };
    }
    case 'delete-condition': {
      // path = a condition; removing the last one of a group removes the group
      const parent = parentPath(path);
      const list = getAt(def, parent);
      if (!Array.isArray(list)) {
        setAt(def, path, undefined);
        return { message: { key: 'deleted' } };
      }
      list.splice(Number(lastKey(path)), 1);
      if (list.length === 0) setAt(def, parentPath(parent), undefined);
      return { focus: parentPath(parent), message: { key: 'deleted' } };
    }
  }
  return {};
}

/** Questions asked before a question or page (what its display logic may use). */
export function earlierQuestions(def: SurveyDefinition, ownerPath: Path): Question[] {
  const positions = questionPositions(def);
  const q = /^pages\.(\d+)\.questions\.(\d+)$/.exec(ownerPath);
  if (q) {
    const me = positions.find((p) => p.pageIndex === Number(q[1]) && p.questionIndex === Number(q[2]));
    return me ? positions.filter((p) => p.order < me.order).map((p) => p.question) : [];
  }
  const p = /^pages\.(\d+)$/.exec(ownerPath);
  if (p) return positions.filter((x) => x.pageIndex < Number(p[1])).map((x) => x.question);
  return [];
}

/** "q_nps · How likely are you…" for pickers. */
export function questionLabel(q: Question, ui: string, defaultLocale: string, max = 48): string {
  const text = localize(q.text, ui, defaultLocale);
  return `${q.id} · ${text.length > max ? `${text.slice(0, max - 1)}…` : text}`;
}

/** Parses the posted JSON of the definition (null when it is not an object). */
export function parseDefinition(raw: FormDataEntryValue | null): SurveyDefinition | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as SurveyDefinition) : null;
  } catch {
    return null;
  }
}
