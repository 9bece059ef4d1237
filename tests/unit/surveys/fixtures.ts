import { validateSurveyDefinition, type LocalizedText, type SurveyDefinition, type SurveyDefinitionInput } from '@rs/survey-definition';

export const t = (en: string, zh = `${en}（中）`): LocalizedText => ({ en, 'zh-CN': zh });

/**
 * A small survey with every question type.
 * p1: q_nps, q_csat, q_rating (1–7), q_single (a, b, other), q_multi (a, b, c, other; max 2)
 * p2: q_problems (wait, dirty, other_problem, none), q_matrix (speed, staff, clean; 1–5, required),
 *     q_short (short text, maxLength 10), q_long (long text)
 */
export function baseInput(): SurveyDefinitionInput {
  return {
    defaultLocale: 'en',
    locales: ['en', 'zh-CN'],
    title: t('Test survey', '测试问卷'),
    pages: [
      {
        id: 'p1',
        questions: [
          { id: 'q_nps', type: 'nps', text: t('Recommend?'), required: true },
          { id: 'q_csat', type: 'csat', text: t('Satisfied?') },
          { id: 'q_rating', type: 'rating', max: 7, display: 'stars', text: t('Rate') },
          {
            id: 'q_single',
            type: 'single',
            text: t('Pick one'),
            choices: [
              { id: 'a', text: t('A') },
              { id: 'b', text: t('B') },
            ],
            other: { id: 'other', text: t('Other') },
          },
          {
            id: 'q_multi',
            type: 'multi',
            text: t('Pick some'),
            maxChoices: 2,
            choices: [
              { id: 'a', text: t('A') },
              { id: 'b', text: t('B') },
              { id: 'c', text: t('C') },
            ],
            other: { id: 'other', text: t('Other') },
          },
        ],
      },
      {
        id: 'p2',
        questions: [
          {
            id: 'q_problems',
            type: 'problems',
            text: t('Problems?'),
            choices: [
              { id: 'wait', text: t('Long wait') },
              { id: 'dirty', text: t('Dirty car') },
            ],
            other: { id: 'other_problem', text: t('Another problem') },
            noProblem: { id: 'none', text: t('No problem') },
          },
          {
            id: 'q_matrix',
            type: 'matrix',
            text: t('Rate each'),
            required: true,
            max: 5,
            items: [
              { id: 'speed', text: t('Speed') },
              { id: 'staff', text: t('Staff') },
              { id: 'clean', text: t('Cleanliness') },
            ],
          },
          { id: 'q_short', type: 'text', variant: 'short', maxLength: 10, text: t('Short') },
          { id: 'q_long', type: 'text', text: t('Comment') },
        ],
      },
    ],
    dimensions: [
      {
        id: 'pickup',
        name: t('Pick-up', '取车'),
        weight: 2,
        items: [
          { questionId: 'q_matrix', itemId: 'speed' },
          { questionId: 'q_matrix', itemId: 'staff', weight: 3 },
        ],
      },
      { id: 'overall', name: t('Overall'), weight: 1, items: [{ questionId: 'q_rating' }, { questionId: 'q_csat' }] },
    ],
    outcomes: { recommend: 'q_nps', overall: 'q_csat' },
  };
}

/** The base input with `mutate` applied (on a deep copy; the input is loosely typed for invalid cases). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function variant(mutate: (d: any) => void): unknown {
  const d = structuredClone(baseInput());
  mutate(d);
  return d;
}

export function parse(input: unknown): SurveyDefinition {
  const r = validateSurveyDefinition(input);
  if (!r.ok) throw new Error(`invalid: ${JSON.stringify(r.issues)}`);
  return r.definition;
}

export function issuesOf(input: unknown) {
  const r = validateSurveyDefinition(input);
  return r.ok ? [] : r.issues;
}

export const base = (): SurveyDefinition => parse(baseInput());
