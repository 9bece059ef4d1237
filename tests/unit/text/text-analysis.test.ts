import { readFileSync } from 'node:fs';
import { termsOf } from '../../../api/src/analytics/engine/text-themes.ts';
import { describe, expect, it } from 'vitest';
import { analyseComment, compileLexicon } from '../../../api/src/text/analyse.ts';
import { DEFAULT_LEXICON } from '../../../api/src/text/lexicon.defaults.ts';
import { TARGETS, scoreLabelledSet, type LabelledComment } from '../../../api/src/text/labelled-set.ts';
import { lemma, tokenize } from '../../../api/src/text/segment.ts';
import { clauseScores, commentSentiment, labelOf } from '../../../api/src/text/sentiment.ts';

const lexicon = compileLexicon(DEFAULT_LEXICON);
const sentimentOf = (text: string) => {
  const tokens = tokenize(text);
  return commentSentiment(clauseScores(tokens, /[\u4e00-\u9fff]/.test(text)));
};

describe('segmentation', () => {
  it('keeps rental terms whole with the user dictionary (jieba alone splits 押金 into 扣押 + 金)', () => {
    const tokens = tokenize('取车排队等了一个小时，还要扣押金，车上有划痕，异地还车也不方便，接驳车很少');
    expect(tokens).toContain('取车');
    expect(tokens).toContain('押金');
    expect(tokens).not.toContain('扣押');
    expect(tokens).toContain('划痕');
    expect(tokens).toContain('异地还车');
    expect(tokens).toContain('接驳车');
    // No single-character themes like 车 / 划 / 痕 from the old segmentation.
    expect(tokens).not.toContain('痕');
  });
  it('splits English into lemmas and "n\'t" into not', () => {
    expect(tokenize("The cars weren't cleaned")).toEqual(['the', 'car', 'be', 'not', 'clean']);
    expect(lemma('queues')).toBe('queue');
    expect(lemma('stopped')).toBe('stop');
    expect(lemma('charged')).toBe('charge');
    expect(lemma('batteries')).toBe('battery');
    expect(lemma('took')).toBe('take');
    expect(lemma('process')).toBe('process');
    expect(lemma('bus')).toBe('bus');
  });
});

describe('sentiment', () => {
  it('turns a negated word around, in both languages', () => {
    expect(labelOf(sentimentOf('车很干净'))).toBe('pos');
    expect(labelOf(sentimentOf('车不干净'))).toBe('neg');
    expect(labelOf(sentimentOf('车不脏'))).toBe('pos');
    expect(labelOf(sentimentOf('The car was clean'))).toBe('pos');
    expect(labelOf(sentimentOf('The car was not clean'))).toBe('neg');
    expect(labelOf(sentimentOf("The staff weren't rude"))).toBe('pos');
    expect(labelOf(sentimentOf('never helpful'))).toBe('neg');
  });
  it('scales by degree words and damps a negated intensifier', () => {
    expect(sentimentOf('非常好')).toBeGreaterThan(sentimentOf('好'));
    expect(sentimentOf('有点慢')).toBeGreaterThan(sentimentOf('很慢'));
    expect(sentimentOf('extremely slow')).toBeLessThan(sentimentOf('a bit slow'));
    expect(sentimentOf('very friendly')).toBeGreaterThan(sentimentOf('friendly'));
    // "not very friendly" is milder criticism than "rude".
    expect(sentimentOf('not very friendly')).toBeLessThan(0);
    expect(sentimentOf('not very friendly')).toBeGreaterThan(sentimentOf('rude'));
  });
  it('weights the clause after "but" more', () => {
    expect(labelOf(sentimentOf('车很干净，但是取车排队太久'))).toBe('neg');
    expect(labelOf(sentimentOf('Cheap, but the car was dirty'))).toBe('neg');
  });
  it('gives each topic mention the sentiment of its own clause', () => {
    const result = analyseComment('前台态度很好，但是车里很脏', lexicon);
    const staff = result.mentions.find((m) => m.topicId === 'staff');
    const clean = result.mentions.find((m) => m.topicId === 'cleanliness');
    expect(staff?.label).toBe('pos');
    expect(clean?.label).toBe('neg');
  });
  it('lists frequent words not covered by a topic, without stop words', () => {
    const result = analyseComment('儿童座椅安装很麻烦', lexicon);
    expect(result.phrases).toContain('儿童座椅');
    expect(result.phrases).not.toContain('很');
  });
});

describe('labelled set (tests/fixtures/text-comments.json)', () => {
  const { comments } = JSON.parse(readFileSync(new URL('../../fixtures/text-comments.json', import.meta.url), 'utf8')) as { comments: LabelledComment[] };
  const score = scoreLabelledSet(comments, lexicon);
  it('has at least 400 comments, about half in each language', () => {
    expect(comments.length).toBeGreaterThanOrEqual(400);
    const zh = comments.filter((c) => c.lang === 'zh').length;
    expect(zh / comments.length).toBeGreaterThan(0.4);
    expect(zh / comments.length).toBeLessThan(0.6);
  });
  it.each(DEFAULT_LEXICON.map((t) => t.id))('topic %s meets precision and recall targets', (id) => {
    const topic = score.topics.find((t) => t.topicId === id)!;
    expect(topic.precision).toBeGreaterThanOrEqual(TARGETS.precision);
    expect(topic.recall).toBeGreaterThanOrEqual(TARGETS.recall);
  });
  it('meets the sentiment accuracy target', () => {
    expect(score.sentimentAccuracy).toBeGreaterThanOrEqual(TARGETS.sentimentAccuracy);
  });
});

describe('comment themes (the dashboard defect: single characters as themes)', () => {
  it('yields whole rental words, never single Chinese characters', () => {
    const { words } = termsOf('车上有划痕，却说是我弄的，工作人员态度很差');
    expect(words).toContain('划痕');
    for (const w of words) if (/[\u4e00-\u9fff]/.test(w)) expect(w.length).toBeGreaterThan(1);
    expect(words).not.toContain('划');
    expect(words).not.toContain('痕');
    expect(words).not.toContain('却');
  });
});
