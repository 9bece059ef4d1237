// Where a survey text sits, in words ("Question 7 (q_fees) · choice 2"), for the lists of texts to
// translate: people know the question, not the path "pages.3.questions.6.choices.1.text".
import type { SurveyDefinition } from '@rs/survey-definition';
import { t, type MessageKey, type UiLocale } from '$lib/i18n';

export function textLocation(def: SurveyDefinition, path: string, ui: UiLocale): string {
  const top: Record<string, MessageKey> = { title: 'builder.title', description: 'builder.description', intro: 'builder.intro', thankYou: 'builder.thankYou' };
  if (top[path]) return t(ui, top[path]);
  const page = /^pages\.(\d+)\.(title|description)$/.exec(path);
  if (page) return `${t(ui, 'builder.pageN', { n: Number(page[1]) + 1 })} · ${t(ui, page[2] === 'title' ? 'builder.pageTitle' : 'builder.pageDescription')}`;
  const dimension = /^dimensions\.(\d+)\.name$/.exec(path);
  if (dimension) return `${t(ui, 'translations.dimension', { n: Number(dimension[1]) + 1 })} · ${t(ui, 'translations.dimensionName')}`;
  const question = /^pages\.(\d+)\.questions\.(\d+)\.(.+)$/.exec(path);
  if (!question) return path;
  const [pi, qi, rest] = [Number(question[1]), Number(question[2]), question[3]];
  // Questions are numbered through the whole survey, as in the editor.
  const number = def.pages.slice(0, pi).reduce((n, p) => n + p.questions.length, 0) + qi + 1;
  const q = def.pages[pi]?.questions[qi];
  const where = t(ui, 'translations.question', { n: number, id: q?.id ?? '?' });
  const part = partOf(rest, ui);
  return part ? `${where} · ${part}` : where;
}

function partOf(rest: string, ui: UiLocale): string | null {
  if (rest === 'text') return null;
  const listed = /^(choices|items)\.(\d+)\.text$/.exec(rest);
  if (listed) return t(ui, listed[1] === 'choices' ? 'translations.part.choice' : 'translations.part.item', { n: Number(listed[2]) + 1 });
  const named: Record<string, MessageKey> = {
    help: 'translations.part.help',
    'labels.min': 'translations.part.labels.min',
    'labels.max': 'translations.part.labels.max',
    'other.text': 'translations.part.other',
    'noProblem.text': 'translations.part.noProblem',
    placeholder: 'translations.part.placeholder',
  };
  return named[rest] ? t(ui, named[rest]) : rest;
}
