// Words of a comment. Chinese: @node-rs/jieba (dictionary segmentation without HMM guessing, so unknown
// strings fall apart into known words instead of being glued together) with the rental terms added as
// user dictionary words. English: letters and digits split on everything else, "n't" split off as "not",
// each word reduced to a lemma by suffix rules plus an exceptions table. No I/O: jieba's dictionary ships
// in the npm package and is loaded from memory.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { RENTAL_WORDS } from './lexicon.defaults.ts';

export type TextLanguage = 'zh' | 'en';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN = /[a-z]/gi;

/** Chinese when CJK characters are at least as many as Latin letters / 3 (a Chinese comment may name an app). */
export function detectLanguage(text: string): TextLanguage {
  const cjk = text.match(CJK)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  return cjk > 0 && cjk * 3 >= latin ? 'zh' : 'en';
}

// A user-dictionary frequency high enough that the word wins over the split the base dictionary prefers
// (jieba's default dictionary has 扣押 + 金 beat 押金 otherwise).
const USER_WORD_FREQUENCY = 200000;

let jieba: Jieba | undefined;
const userWords = new Set<string>();

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    addUserWords(RENTAL_WORDS);
  }
  return jieba;
}

/** Adds words the segmenter keeps whole (the Chinese lexicon terms): idempotent, cheap for known words. */
export function addUserWords(words: Iterable<string>): void {
  const fresh = [...words].map((w) => w.trim().toLowerCase()).filter((w) => w.length > 1 && /[\u3400-\u9fff]/.test(w) && !/\s/.test(w) && !userWords.has(w));
  if (fresh.length === 0) return;
  for (const w of fresh) userWords.add(w);
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} ${USER_WORD_FREQUENCY} n`).join('\n')));
}

/** A token, or a clause break (punctuation, "but"/"但是" start a new clause). */
export type Token = string | typeof BREAK;
export const BREAK = null;

const ZH_PUNCT = /^[\s，。！？；、,.!?;:：…~～（）()“”"'「」【】\-—/]+$/;

function zhTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const raw of segmenter().cut(text, false)) {
    const word = raw.trim().toLowerCase();
    if (!word || ZH_PUNCT.test(word)) {
      if (out.length > 0 && out[out.length - 1] !== BREAK) out.push(BREAK);
      continue;
    }
    if (/^[a-z][a-z'-]*$/.test(word)) {
      out.push(lemma(word));
      continue;
    }
    out.push(word);
  }
  return out;
}

function enTokens(text: string): Token[] {
  const out: Token[] = [];
  // Sentence punctuation breaks clauses; hyphenated words stay whole (drop-off, one-way, check-in).
  for (const part of text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .split(/([.,!?;:()"]+|\s+-\s+)/)) {
    if (/^[.,!?;:()"\s-]+$/.test(part)) {
      if (out.length > 0 && out[out.length - 1] !== BREAK) out.push(BREAK);
      continue;
    }
    for (const raw of part.split(/[^a-z0-9'-]+/)) {
      let word = raw.replace(/^['-]+|['-]+$/g, '');
      if (!word) continue;
      if (word.endsWith("n't")) {
        const stem = word === "won't" ? 'will' : word === "can't" ? 'can' : word.slice(0, -3);
        if (stem) out.push(lemma(stem));
        out.push('not');
        continue;
      }
      word = word.replace(/'s$/, '');
      out.push(lemma(word));
    }
  }
  return out;
}

/** Tokens of a text in its language, lower case, English as lemmas; BREAK between clauses. */
export function tokenize(text: string, language: TextLanguage = detectLanguage(text)): Token[] {
  const normalized = text.normalize('NFKC');
  return language === 'zh' ? zhTokens(normalized) : enTokens(normalized);
}

// Irregular forms the suffix rules would get wrong.
const LEMMA_EXCEPTIONS: Record<string, string> = {
  was: 'be',
  were: 'be',
  is: 'be',
  are: 'be',
  been: 'be',
  am: 'be',
  has: 'have',
  had: 'have',
  did: 'do',
  does: 'do',
  done: 'do',
  went: 'go',
  gone: 'go',
  took: 'take',
  taken: 'take',
  gave: 'give',
  given: 'give',
  got: 'get',
  gotten: 'get',
  came: 'come',
  made: 'make',
  said: 'say',
  told: 'tell',
  kept: 'keep',
  left: 'leave',
  paid: 'pay',
  found: 'find',
  drove: 'drive',
  driven: 'drive',
  broke: 'break',
  broken: 'break',
  felt: 'feel',
  saw: 'see',
  seen: 'see',
  knew: 'know',
  known: 'know',
  thought: 'think',
  bought: 'buy',
  brought: 'bring',
  children: 'child',
  people: 'people',
  men: 'man',
  women: 'woman',
  feet: 'foot',
  tyres: 'tyre',
  tires: 'tire',
  fees: 'fee',
  // Words ending like a plural or a past form that are not one.
  bus: 'bus',
  gas: 'gas',
  less: 'less',
  process: 'process',
  address: 'address',
  business: 'business',
  this: 'this',
  its: 'its',
  us: 'us',
  need: 'need',
  speed: 'speed',
  red: 'red',
  bed: 'bed',
  used: 'use',
  charged: 'charge',
  charges: 'charge',
  queued: 'queue',
  queues: 'queue',
  crashing: 'crash',
  refuelling: 'refuel',
  refueling: 'refuel',
  returning: 'return',
  booking: 'booking',
  parking: 'parking',
  charging: 'charging',
  waiting: 'wait',
  ordering: 'order',
  nothing: 'nothing',
  something: 'something',
  anything: 'anything',
  everything: 'everything',
  evening: 'evening',
  morning: 'morning',
  ceiling: 'ceiling',
  thing: 'thing',
  things: 'thing',
  during: 'during',
  anyway: 'anyway',
  always: 'always',
  series: 'series',
  news: 'news',
  glass: 'glass',
  pass: 'pass',
  miss: 'miss',
  dress: 'dress',
  stress: 'stress',
  express: 'express',
  hours: 'hour',
  minutes: 'minute',
  spotless: 'spotless',
  useless: 'useless',
  careless: 'careless',
  helpless: 'helpless',
};

/**
 * A light English lemmatiser: plural and verb suffixes (-ies, -es, -s, -ied, -ed, -ing) by rule, doubled
 * consonants undone (stopped → stop), irregular forms from the table. Adjectives keep their form.
 */
export function lemma(word: string): string {
  const w = word.toLowerCase();
  const known = LEMMA_EXCEPTIONS[w];
  if (known) return known;
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ied') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(w)) return w;
  if (/(ches|shes|sses|xes|zes)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) return undoSuffix(w.slice(0, -3));
  if (w.endsWith('ed') && w.length > 4) return undoSuffix(w.slice(0, -2));
  return w;
}

// "stopp" → "stop"; a stem that cannot end an English word gets its "e" back (charg → charge, queu → queue).
function undoSuffix(stem: string): string {
  if (/([bdgklmnprt])\1$/.test(stem) && !/(ll|ss)$/.test(stem)) return stem.slice(0, -1);
  if (/(rg|dg|[aeiou][cvz]|[^aeiou]u|[^aeiou][aeiou]s)$/.test(stem)) return `${stem}e`;
  return stem;
}

/** What two words must share to match: the lemma without a final "e" (so "charged" and "charge" agree). */
export function wordKey(word: string): string {
  const l = lemma(word);
  return l.length > 3 ? l.replace(/e$/, '') : l;
}
