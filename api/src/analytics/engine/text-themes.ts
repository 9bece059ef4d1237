// Comment themes: the most frequent words and two-word phrases of a set of comments, in Chinese and
// English; stop words, numbers and punctuation are dropped. A term counts once per comment that contains it.
import { tokenize as segmentWords } from '../../text/segment.ts';
import { EN_STOP, ZH_STOP } from '../../text/stopwords.ts';

// Words come from the text analysis segmenter (jieba with the rental user words for Chinese, lemmas for
// English): Intl.Segmenter split 划痕 into 划 / 痕 and made single characters the top "themes".
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const NUMBER = /^[\d.,%]+$/;

/** Content words of a comment, in order; `null` marks a break (punctuation or a stop word) between them. */
export function tokenize(text: string): (string | null)[] {
  return segmentWords(text).map((word) => {
    if (word === null || NUMBER.test(word)) return null;
    const cjk = CJK.test(word);
    // A single Chinese character is not a theme (车, 划, 却 …).
    if (cjk ? ZH_STOP.has(word) || word.length < 2 : EN_STOP.has(word) || word.length < 2) return null;
    return word;
  });
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
    for (const [map, set] of [
      [this.words, terms.words],
      [this.phrases, terms.phrases],
    ] as const) {
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
