// The builder shows a definition's problems from the translation table by code (web/src/lib/builder/
// messages.ts): every code the package can emit has a text in zh-CN and en, and the English wording of
// the package or of zod never reaches the page.
import { describe, expect, it } from 'vitest';
import { DEFINITION_PROBLEM_CODES, validateSurveyDefinition } from '@rs/survey-definition';
import { messages } from '../../../web/src/lib/i18n.ts';
import { issueMessage, problemKey } from '../../../web/src/lib/builder/messages.ts';
import { variant } from '../surveys/fixtures.ts';

const zh = messages['zh-CN'] as Record<string, string>;
const en = messages.en as Record<string, string>;

function issuesOf(input: unknown) {
  const r = validateSurveyDefinition(input);
  if (r.ok) throw new Error('expected problems');
  return r.issues;
}

describe('definition problems in the builder', () => {
  it('every code has a text in both languages', () => {
    const missing = DEFINITION_PROBLEM_CODES.flatMap((code) =>
      [zh, en].flatMap((table, i) => (table[problemKey(code)]?.trim() ? [] : [`${i === 0 ? 'zh-CN' : 'en'} ${problemKey(code)}`])),
    );
    expect(missing).toEqual([]);
  });

  it('a rule is shown in Chinese with its values, whatever the English message says', () => {
    const [issue] = issuesOf(variant((d) => (d.pages[1].questions[0].id = 'q_nps')));
    const shown = issueMessage({ ...issue, message: 'changed wording' }, 'zh-CN');
    expect(shown).toBe('问题 ID “q_nps” 重复（另见 pages.0.questions.0）');
    expect(issueMessage(issue, 'en')).toBe('Duplicate question id “q_nps” (also pages.0.questions.0)');
  });

  it('question types and operators in the parameters are named in the UI language', () => {
    const [issue] = issuesOf(variant((d) => (d.pages[1].questions[3].visibleIf = { question: 'q_short', op: 'eq', value: 'x' })));
    expect(issue.code).toBe('logic_operator_not_for_type');
    expect(issueMessage(issue, 'zh-CN')).toBe(`“${zh['op.eq']}”不适用于问题 “q_short”（${zh['qtype.text']}）；可用：已回答、未回答`);
  });

  it("zod's own wording is not shown", () => {
    const cases = [
      variant((d) => (d.pages[1].questions[1].max = '5')),
      variant((d) => (d.pages[1].questions[1].max = 11)),
      variant((d) => (d.pages[0].questions[3].choices = [])),
      variant((d) => (d.pages[0].id = 'Page-1')),
      variant((d) => delete d.title),
    ];
    const shown = cases.map((input) => issuesOf(input).map((i) => issueMessage(i, 'zh-CN')));
    expect(shown).toEqual([['请输入数字'], ['不能大于 10'], ['至少需要 1 项'], [zh[problemKey('invalid_id')]], ['必填']]);
  });

  it('a problem without a known code keeps its message (e.g. a request error of the API)', () => {
    expect(issueMessage({ code: 'unstorable_text', message: 'contains a NUL character' }, 'zh-CN')).toBe('contains a NUL character');
    expect(issueMessage({ message: 'plain' }, 'en')).toBe('plain');
  });
});
