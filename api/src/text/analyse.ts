// One comment → language, sentiment, topic mentions (each with the sentiment of the clauses that mention
// it) and its other content words and word pairs (the "other frequent phrases" are counted over these).
// Pure: the lexicon comes in as data; segmentation runs in memory.
import { type LexiconTopic } from './lexicon.defaults.ts';
import { BREAK, addUserWords, detectLanguage, tokenize, wordKey, type TextLanguage, type Token } from './segment.ts';
import { clauseScores, commentSentiment, coreWord, hasSentimentCue, labelOf, squash, type SentimentLabel } from './sentiment.ts';
import { EN_PHRASE_STOP, EN_STOP, ZH_STOP } from './stopwords.ts';

export interface CompiledTopic {
  id: string;
  /** Each term as the key sequence it must match, per language. */
  zh: { term: string; keys: string[] }[];
  en: { term: string; keys: string[] }[];
}
export type CompiledLexicon = CompiledTopic[];

const keyOf = (token: string, language: TextLanguage) => (language === 'en' || /^[a-z]/.test(token) ? wordKey(token) : coreWord(token));

function termKeys(term: string, language: TextLanguage): string[] {
  return tokenize(term, language)
    .filter((t): t is string => t !== BREAK)
    .map((t) => keyOf(t, language));
}

/** Turns stored terms into match keys; Chinese terms become user words of the segmenter first. */
export function compileLexicon(topics: readonly Pick<LexiconTopic, 'id' | 'terms'>[]): CompiledLexicon {
  addUserWords(topics.flatMap((t) => t.terms.zh).filter((term) => !hasSentimentCue(term)));
  return topics.map((t) => ({
    id: t.id,
    zh: t.terms.zh.map((term) => ({ term, keys: termKeys(term, 'zh') })).filter((x) => x.keys.length > 0),
    en: t.terms.en.map((term) => ({ term, keys: termKeys(term, 'en') })).filter((x) => x.keys.length > 0),
  }));
}

export interface TopicMention {
  topicId: string;
  /** The lexicon terms found, each once. */
  terms: string[];
  /** Sentiment of the clauses that mention the topic, in (−1, 1). */
  sentiment: number;
  label: SentimentLabel;
}

export interface CommentAnalysis {
  language: TextLanguage;
  sentiment: number;
  label: SentimentLabel;
  mentions: TopicMention[];
  /** Content words (Chinese: two characters or more) and adjacent pairs that no topic term covers. */
  phrases: string[];
}

/** Where in the tokens a key sequence occurs (start positions), never across a clause break. */
function occurrences(keys: readonly (string | null)[], pattern: readonly string[]): number[] {
  const out: number[] = [];
  outer: for (let i = 0; i + pattern.length <= keys.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (keys[i + j] !== pattern[j]) continue outer;
    out.push(i);
  }
  return out;
}

export function analyseComment(text: string, lexicon: CompiledLexicon): CommentAnalysis {
  const language = detectLanguage(text);
  const tokens: Token[] = tokenize(text, language);
  const keys = tokens.map((t) => (t === BREAK ? null : keyOf(t, language)));
  const clauses = clauseScores(tokens, language === 'zh');
  const sentiment = commentSentiment(clauses);
  const covered = new Set<number>();
  const mentions: TopicMention[] = [];
  for (const topic of lexicon) {
    const found = new Set<string>();
    const clauseIdx = new Set<number>();
    // Chinese comments may name English things (app) and the other way round: both term lists apply.
    for (const { term, keys: pattern } of [...topic[language], ...topic[language === 'zh' ? 'en' : 'zh']]) {
      for (const at of occurrences(keys, pattern)) {
        found.add(term);
        for (let k = at; k < at + pattern.length; k++) covered.add(k);
        const c = clauses.findIndex((cl) => at >= cl.start && at < cl.end);
        if (c >= 0) clauseIdx.add(c);
      }
    }
    if (found.size === 0) continue;
    const raw = [...clauseIdx].reduce((sum, c) => sum + clauses[c].score * clauses[c].weight, 0);
    const score = squash(raw);
    mentions.push({ topicId: topic.id, terms: [...found], sentiment: score, label: labelOf(score) });
  }
  return { language, sentiment, label: labelOf(sentiment), mentions, phrases: phrasesOf(tokens, covered, language) };
}

function isContent(token: Token, language: TextLanguage): token is string {
  if (token === BREAK || /^\d+$/.test(token)) return false;
  if (/[\u3400-\u9fff]/.test(token)) return token.length >= 2 && !ZH_STOP.has(token);
  return language === 'en' || /^[a-z]/.test(token) ? token.length >= 3 && !EN_STOP.has(token) && !EN_PHRASE_STOP.has(token) : false;
}

function phrasesOf(tokens: readonly Token[], covered: ReadonlySet<number>, language: TextLanguage): string[] {
  const out = new Set<string>();
  const free = (i: number) => isContent(tokens[i], language) && !covered.has(i);
  for (let i = 0; i < tokens.length; i++) {
    if (!free(i)) continue;
    const word = tokens[i] as string;
    out.add(word);
    if (i + 1 < tokens.length && free(i + 1)) {
      const next = tokens[i + 1] as string;
      out.add(language === 'zh' ? `${word}${next}` : `${word} ${next}`);
    }
  }
  return [...out];
}
