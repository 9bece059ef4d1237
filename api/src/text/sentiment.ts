// Lexicon sentiment of a tokenised comment (docs/statistics.md#text-sentiment). Pure functions.
// Each clause (between punctuation; "but"/"但是" start a new one, weighted more: the customer's last word
// is usually the verdict) adds up its sentiment words; a negator within the three tokens before a word turns
// it around (damped: "not dirty" is praise, but milder than "clean"), degree words scale it. A token the
// segmenter glued together ("太慢", "不太好", "很差") is read as its prefix words plus a sentiment word.
import { BREAK, type Token } from './segment.ts';

export type SentimentLabel = 'pos' | 'neg' | 'neutral';

const ZH_WORDS: Record<string, number> = {};
const EN_WORDS: Record<string, number> = {};
function words(target: Record<string, number>, value: number, list: string) {
  for (const w of list.split(/\s+/).filter(Boolean)) target[w] = value;
}
// Chinese
words(
  ZH_WORDS,
  1,
  '好 不错 满意 方便 快 很快 干净 热情 耐心 专业 周到 贴心 实惠 便宜 透明 顺利 顺畅 舒服 稳 安心 放心 清楚 准时 合理 新 给力 简单 及时 高效 良心 公平 推荐 愉快 感谢 谢谢 点赞 喜欢 划算 友好 客气 细致 仔细 整洁 好用 省事 便利 良好 优秀 棒 完美 快速 齐全 满格 很好 挺好 好找 满 值 速度快 省 退 退还 到账 搞定 省心 安全 主动 合适 通知 有人 清晰 及时 耐心 赔',
);
words(ZH_WORDS, 2, '非常满意 很满意 太好了 超赞 赞');
words(ZH_WORDS, 0.4, '可以 还行 还可以 还算 接受');
words(ZH_WORDS, -0.2, '意见 特别的');
words(EN_WORDS, -0.2, 'comment special');
words(ZH_WORDS, -0.4, '一般 一般般');
words(
  ZH_WORDS,
  -1,
  '差 慢 脏 贵 坑 烦 麻烦 失望 糟糕 离谱 异味 霉味 烟味 污渍 划痕 刮痕 凹陷 故障 抛锚 异响 裂纹 繁琐 难找 偏僻 冷淡 敷衍 强制 推销 闪退 报错 扯皮 难受 危险 辛苦 磨损 坏 坏了 跑偏 不足 报警 久 很久 多扣 虚标 不准 垃圾 烟头 缺失 过敏 弄坏 冲 投诉无门 累 远 迟到 污 旧 无故 不耐烦 不舒服 不满 不便 不好 不行 白跑 形同虚设 复杂 不够 松 太多 找不到 涨 磨 毛 头发 沙子 看不懂 不清 模糊 错误 问题 爱理不理 推来推去 催 争议 扣钱 多出 没说 晚 没人 不一样 没用 垫钱 花钱 等 排队 严重 抱怨 扣 超时 漏 错 骗 乱收费 投诉 跑 一趟 半天 着急 迟 差点',
);
words(ZH_WORDS, -2, '太坑了 非常失望 很糟糕 再也不会 不会再来');
// English
words(
  EN_WORDS,
  1,
  'good great excellent friendly helpful kind patient professional clean spotless fresh quick fast easy smooth smoothly convenient cheap cheaper fair transparent clear clearly reasonable reasonably happy satisfied glad wonderful lovely nice comfortable efficient polite honest appreciate appreciated thank thanks recommend perfect new well super love enjoy best value smoothly quickly ok okay alright cheerful thoroughly careful simple on-time safe worked full release released sort sorted fast appreciated handled refund refunded answer answered available explain explained work notice told ready help helped smooth settled',
);
words(EN_WORDS, 2, 'amazing fantastic outstanding brilliant superb');
words(
  EN_WORDS,
  -1,
  'bad terrible awful rude unhelpful dirty filthy stain smell smoke moldy break slow forever ridiculous outrageous overcharge expensive hidden confusing useless nightmare scam disappoint dismissive ignore unclear impossible hassle miserable dangerous scary worn bald crack scratch dent rattle unsafe missing crash error cancel deny late problem issue complaint unwelcome trash rubbish crumb hair sand ages long wait queue hard scary awful poor wrong lost difficult chase aggressive forcing force push miss nobody half quarter far tiny small annoying noise grinding loose cold lower worse worst flare allergy careless incompetent hunt useless week month hour outrageous overcharged ignored cancelled denied fail broken crashing stained confuse itemise hit huge',
);
words(EN_WORDS, -2, 'never again disgusting horrible');
// "never again", "not … again" are caught by the negator rule on a positive word; "again" alone is neutral.
delete EN_WORDS.again;

const ZH_NEGATORS = new Set(['不', '没', '没有', '别', '未', '无', '不是', '并不', '从不', '从没', '不太', '不算', '不用', '不会', '毫无', '并没有']);
const EN_NEGATORS = new Set(['not', 'no', 'never', 'without', 'nobody', 'nothing', 'hardly', 'barely', 'nor', 'none']);
const ZH_DEGREE: Record<string, number> = {
  很: 1.5,
  非常: 2,
  太: 1.8,
  特别: 2,
  超: 1.8,
  超级: 1.8,
  十分: 2,
  极: 2,
  极其: 2,
  真: 1.5,
  挺: 1.2,
  比较: 0.8,
  有点: 0.6,
  有点儿: 0.6,
  有些: 0.6,
  稍微: 0.6,
  略: 0.6,
  更: 1.3,
  最: 2,
  好: 1.3,
  足足: 1.5,
};
const EN_DEGREE: Record<string, number> = {
  very: 1.5,
  extremely: 2,
  really: 1.5,
  so: 1.5,
  too: 1.5,
  super: 1.8,
  quite: 1.2,
  totally: 1.8,
  absolutely: 2,
  incredibly: 2,
  way: 1.5,
  slightly: 0.6,
  somewhat: 0.6,
  bit: 0.6,
  little: 0.6,
  rather: 0.8,
  pretty: 1.2,
  most: 1.5,
  much: 1.3,
  highly: 1.8,
  huge: 1.5,
};
const ZH_CONTRAST = new Set(['但', '但是', '可是', '不过', '然而', '就是', '却']);
const EN_CONTRAST = new Set(['but', 'however', 'though', 'although', 'yet']);

/** How much a clause after "but"/"但是" counts. */
const CONTRAST_WEIGHT = 1.5;
/** A negated word counts this much, the other way round. */
const NEGATION_FACTOR = -0.8;
/** Negators and degree words reach this many tokens ahead. */
const MODIFIER_WINDOW = 3;
const EXCESS = new Set(['太', '过于', 'too']);
const EXCESS_SCORE = -1;
const DENIAL_SCORE = -1;
/** Score beyond which a comment is positive (below its negative, negative). */
export const SENTIMENT_THRESHOLD = 0.2;

interface Reading {
  polarity: number;
  negations: number;
  degree: number;
}

/** A sentiment word, possibly glued to negators and degree words in front ("不太好" = 不太 + 好). */
function readWord(token: string, zh: boolean, depth = 0): Reading | null {
  const table = zh ? ZH_WORDS : EN_WORDS;
  if (token in table) return { polarity: table[token], negations: 0, degree: 1 };
  if (!zh || depth > 2 || token.length < 2) return null;
  if (depth === 0 && token.endsWith('不了')) return { polarity: -1, negations: 0, degree: 1 };
  for (let cut = Math.min(3, token.length - 1); cut >= 1; cut--) {
    const head = token.slice(0, cut);
    const rest = readWord(token.slice(cut), zh, depth + 1);
    if (!rest) continue;
    if (ZH_NEGATORS.has(head)) return { ...rest, negations: rest.negations + 1 };
    if (head in ZH_DEGREE) return { ...rest, degree: rest.degree * ZH_DEGREE[head] };
  }
  // A glued phrase ending in a sentiment word of two characters or more ("一切顺利").
  if (depth === 0) {
    for (let cut = 1; cut <= token.length - 2; cut++) {
      const tail = token.slice(cut);
      if (tail in table) return { polarity: table[tail], negations: 0, degree: 1 };
    }
  }
  return null;
}

export interface Clause {
  /** Token positions [start, end) in the comment's tokens. */
  start: number;
  end: number;
  score: number;
  weight: number;
}

/** The clauses of a tokenised comment with their raw scores (sum of their sentiment words). */
export function clauseScores(tokens: readonly Token[], zh: boolean): Clause[] {
  const negators = zh ? ZH_NEGATORS : EN_NEGATORS;
  const degrees = zh ? ZH_DEGREE : EN_DEGREE;
  const contrast = zh ? ZH_CONTRAST : EN_CONTRAST;
  const clauses: Clause[] = [];
  let current: Clause = { start: 0, end: 0, score: 0, weight: 1 };
  let negations = 0;
  let degree = 1;
  let sinceModifier = Number.POSITIVE_INFINITY;
  // "太多了", "too much": an excess word with no sentiment word after it is a complaint by itself.
  let excessPending = false;
  // A clause that only denies something ("没通知", "never answered") is a complaint.
  let denialPending = false;
  let sentimentWords = 0;
  const settle = () => {
    if (excessPending) current.score += EXCESS_SCORE;
    excessPending = false;
  };
  const close = (end: number, nextWeight: number) => {
    settle();
    if (denialPending && sentimentWords === 0) current.score += DENIAL_SCORE;
    denialPending = false;
    sentimentWords = 0;
    current.end = end;
    if (end > current.start) clauses.push(current);
    current = { start: end, end, score: 0, weight: nextWeight };
    negations = 0;
    degree = 1;
    sinceModifier = Number.POSITIVE_INFINITY;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === BREAK) {
      close(i, 1);
      current.start = i + 1;
      continue;
    }
    if (contrast.has(token)) {
      close(i, CONTRAST_WEIGHT);
      continue;
    }
    if (sinceModifier >= MODIFIER_WINDOW) {
      negations = 0;
      degree = 1;
      settle();
    }
    if (negators.has(token)) {
      negations++;
      denialPending = true;
      sinceModifier = 0;
      continue;
    }
    if (token in degrees && !(token in (zh ? ZH_WORDS : EN_WORDS))) {
      degree *= degrees[token];
      if (EXCESS.has(token)) excessPending = true;
      sinceModifier = 0;
      continue;
    }
    const reading = readWord(token, zh);
    sinceModifier++;
    if (!reading) continue;
    sentimentWords++;
    excessPending = false;
    const totalNegations = negations + reading.negations;
    const scale = degree * reading.degree;
    // A negated intensifier softens rather than strengthens ("not very friendly" is mild criticism).
    current.score += totalNegations % 2 === 1 ? reading.polarity * NEGATION_FACTOR * Math.min(1, scale) : reading.polarity * scale;
    negations = 0;
    degree = 1;
    sinceModifier = Number.POSITIVE_INFINITY;
  }
  close(tokens.length, 1);
  return clauses;
}

/** A Chinese token without the negators and degree words glued in front ("很脏" → "脏", "不太好" → "好"). */
export function coreWord(token: string): string {
  for (let cut = Math.min(3, token.length - 1); cut >= 1; cut--) {
    const head = token.slice(0, cut);
    if (ZH_NEGATORS.has(head) || head in ZH_DEGREE) return coreWord(token.slice(cut));
  }
  return token;
}

const CUE_WORDS = [...Object.keys(ZH_WORDS), ...ZH_NEGATORS, ...Object.keys(ZH_DEGREE)];
/**
 * Whether a Chinese term contains a sentiment, negation or degree word: such a term must not become one
 * segmenter word, or the sentiment reader would no longer see its cue ("服务很好" glued loses "很好").
 */
export function hasSentimentCue(term: string): boolean {
  return CUE_WORDS.some((w) => term.includes(w));
}

/** A raw sum mapped into (−1, 1). */
export const squash = (raw: number) => Math.tanh(raw / 2);

export function labelOf(score: number): SentimentLabel {
  return score >= SENTIMENT_THRESHOLD ? 'pos' : score <= -SENTIMENT_THRESHOLD ? 'neg' : 'neutral';
}

/** Sentiment of the whole comment: weighted sum of its clauses, in (−1, 1). */
export function commentSentiment(clauses: readonly Clause[]): number {
  return squash(clauses.reduce((sum, c) => sum + c.score * c.weight, 0));
}
