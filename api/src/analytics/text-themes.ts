// Comment themes: the most frequent words and two-word phrases of a set of comments, in Chinese and
// English. Words come from Intl.Segmenter (ICU's dictionary segmentation for Chinese); stop words,
// numbers and punctuation are dropped. A term counts once per comment that contains it.

const ZH_STOP = new Set(
  (
    '的 了 是 我 我们 你 你们 他 她 它 他们 也 都 就 在 有 和 与 及 或 但 但是 而 并 很 非常 比较 有点 一点 一些 一下 这 那 这个 那个 这次 那次 ' +
    '这里 那里 一个 一次 一直 没有 没 不 太 多 少 会 能 可以 要 想 让 给 被 把 对 又 再 才 已经 吗 呢 吧 啊 呀 哦 嗯 着 过 得 地 之 其 ' +
    '所以 因为 如果 虽然 就是 然后 这样 那样 什么 怎么 为什么 哪里 时候 自己 大家 真的 挺 特别 感觉 觉得 总体 整体 还算 一般 下次 以后 等等'
  ).split(/\s+/),
);

const EN_STOP = new Set(
  (
    'a an the and or but if then so to of in on at by for with from as is are was were be been being am it its it\'s this that these those ' +
    'i me my we our you your he she they them their his her there here what which who whom when where why how all any both each few more ' +
    'most other some such no nor not only own same than too very can could will would should shall may might must do does did done doing ' +
    'have has had having just also again about above after before below between into through during out over under up down off once ' +
    'get got go went one two us im ive dont didnt wasnt isnt really quite bit lot much many well even still'
  ).split(/\s+/),
);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const NUMBER = /^[\d.,%]+$/;

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(language: 'zh' | 'en') {
  let s = segmenters.get(language);
  if (!s) {
    s = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, s);
  }
  return s;
}

/** Content words of a comment, in order; `null` marks a break (punctuation or a stop word) between them. */
export function tokenize(text: string): (string | null)[] {
  const language = CJK.test(text) ? 'zh' : 'en';
  const out: (string | null)[] = [];
  for (const segment of segmenter(language).segment(text.normalize('NFKC'))) {
    if (!segment.isWordLike) {
      if (segment.segment.trim() !== '') out.push(null);
      continue;
    }
    const word = segment.segment.toLowerCase().replace(/[’']/g, "'");
    const cjk = CJK.test(word);
    if (NUMBER.test(word) || (cjk ? ZH_STOP.has(word) : EN_STOP.has(word) || word.length < 2)) {
      out.push(null);
      continue;
    }
    out.push(word);
  }
  return out;
}

/** Words and adjacent pairs (joined without a space between Chinese words) of one comment, each once. */
export function termsOf(text: string): { words: Set<string>; phrases: Set<string> } {
  const tokens = tokenize(text);
  const words = new Set<string>();
  const phrases = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i];
    if (word === null) continue;
    words.add(word);
    const next = tokens[i + 1];
    if (next) phrases.add(CJK.test(word) && CJK.test(next) ? `${word}${next}` : `${word} ${next}`);
  }
  return { words, phrases };
}

export interface Theme {
  term: string;
  /** Comments containing the term. */
  count: number;
  /** Percent of the comments. */
  share: number;
  examples: string[];
}

export interface ThemeSet {
  comments: number;
  words: Theme[];
  phrases: Theme[];
}

/** Collects comments and reports the top terms, each with a few example comments (first seen first). */
export class ThemeCounter {
  private comments = 0;
  private readonly words = new Map<string, { count: number; examples: string[] }>();
  private readonly phrases = new Map<string, { count: number; examples: string[] }>();

  constructor(private readonly examplesPerTerm: number) {}

  add(text: string, terms = termsOf(text)) {
    this.comments++;
    for (const [map, set] of [[this.words, terms.words], [this.phrases, terms.phrases]] as const) {
      for (const term of set) {
        const entry = map.get(term) ?? { count: 0, examples: [] };
        entry.count++;
        if (entry.examples.length < this.examplesPerTerm && !entry.examples.includes(text)) entry.examples.push(text);
        map.set(term, entry);
      }
    }
  }

  top(limit: number, withExamples = true): ThemeSet {
    const rank = (map: Map<string, { count: number; examples: string[] }>, minCount: number) =>
      [...map.entries()]
        .filter(([, e]) => e.count >= minCount)
        .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([term, e]) => ({ term, count: e.count, share: (100 * e.count) / this.comments, examples: withExamples ? e.examples : [] }));
    // A phrase said once is not a theme.
    return { comments: this.comments, words: rank(this.words, 1), phrases: rank(this.phrases, 2) };
  }
}
