// Scores the analysis against a labelled set of comments: per-topic precision and recall, sentiment
// accuracy. Shared by `npm run bench:text` and the unit test that keeps the targets in CI.
import { analyseComment, type CompiledLexicon } from './analyse.ts';
import type { SentimentLabel } from './sentiment.ts';

export interface LabelledComment {
  id: string;
  lang: 'zh' | 'en';
  text: string;
  topics: string[];
  sentiment: SentimentLabel;
}

export interface TopicScore {
  topicId: string;
  /** Comments labelled with the topic. */
  labelled: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** TP / (TP + FP); null when the topic was never found. */
  precision: number | null;
  /** TP / (TP + FN); null when no comment is labelled with it. */
  recall: number | null;
}

export interface LabelledSetScore {
  comments: number;
  topics: TopicScore[];
  sentimentAccuracy: number;
  sentimentByLanguage: Record<'zh' | 'en', { comments: number; accuracy: number }>;
  misses: { id: string; text: string; expected: string; got: string }[];
}

/** Targets of issue 17: precision ≥ 0.85 and recall ≥ 0.75 per topic, sentiment accuracy ≥ 0.85. */
export const TARGETS = { precision: 0.85, recall: 0.75, sentimentAccuracy: 0.85 } as const;

export function scoreLabelledSet(comments: readonly LabelledComment[], lexicon: CompiledLexicon): LabelledSetScore {
  const topicIds = lexicon.map((t) => t.id);
  const counts = new Map(topicIds.map((id) => [id, { labelled: 0, tp: 0, fp: 0, fn: 0 }]));
  let correct = 0;
  const byLanguage = { zh: { comments: 0, correct: 0 }, en: { comments: 0, correct: 0 } };
  const misses: LabelledSetScore['misses'] = [];
  for (const comment of comments) {
    const result = analyseComment(comment.text, lexicon);
    const found = new Set(result.mentions.map((m) => m.topicId));
    const expected = new Set(comment.topics);
    for (const id of topicIds) {
      const c = counts.get(id)!;
      if (expected.has(id)) c.labelled++;
      if (expected.has(id) && found.has(id)) c.tp++;
      else if (found.has(id)) c.fp++;
      else if (expected.has(id)) c.fn++;
    }
    const ok = result.label === comment.sentiment;
    if (ok) correct++;
    byLanguage[comment.lang].comments++;
    if (ok) byLanguage[comment.lang].correct++;
    const topicsOk = [...expected].every((t) => found.has(t)) && [...found].every((t) => expected.has(t));
    if (!ok || !topicsOk) {
      misses.push({
        id: comment.id,
        text: comment.text,
        expected: `${[...expected].sort().join(',') || '-'} / ${comment.sentiment}`,
        got: `${[...found].sort().join(',') || '-'} / ${result.label} (${result.sentiment.toFixed(2)})`,
      });
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    comments: comments.length,
    topics: topicIds.map((topicId) => {
      const c = counts.get(topicId)!;
      return {
        topicId,
        labelled: c.labelled,
        truePositives: c.tp,
        falsePositives: c.fp,
        falseNegatives: c.fn,
        precision: ratio(c.tp, c.tp + c.fp),
        recall: ratio(c.tp, c.tp + c.fn),
      };
    }),
    sentimentAccuracy: comments.length === 0 ? 0 : correct / comments.length,
    sentimentByLanguage: {
      zh: { comments: byLanguage.zh.comments, accuracy: byLanguage.zh.comments ? byLanguage.zh.correct / byLanguage.zh.comments : 0 },
      en: { comments: byLanguage.en.comments, accuracy: byLanguage.en.comments ? byLanguage.en.correct / byLanguage.en.comments : 0 },
    },
    misses,
  };
}

/** What falls short of the targets, as sentences; empty when every target is met. */
export function shortfalls(score: LabelledSetScore): string[] {
  const out: string[] = [];
  for (const t of score.topics) {
    if (t.precision === null || t.precision < TARGETS.precision) out.push(`${t.topicId}: precision ${t.precision?.toFixed(3) ?? 'n/a'} < ${TARGETS.precision}`);
    if (t.recall === null || t.recall < TARGETS.recall) out.push(`${t.topicId}: recall ${t.recall?.toFixed(3) ?? 'n/a'} < ${TARGETS.recall}`);
  }
  if (score.sentimentAccuracy < TARGETS.sentimentAccuracy) out.push(`sentiment accuracy ${score.sentimentAccuracy.toFixed(3)} < ${TARGETS.sentimentAccuracy}`);
  return out;
}
