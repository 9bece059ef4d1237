// Answers a survey definition the way a customer with a given experience would, honouring display
// logic, so that demo and benchmark data have a real driver structure behind their NPS.
import {
  computeVisibility,
  dimensionItems,
  type Answers,
  type Question,
  type SurveyDefinition,
} from '../surveys/definition/index.ts';
import { clamp01, type Random } from './random.ts';

export interface Experience {
  /** 0–1 quality the customer felt in each dimension. */
  dimensions: Record<string, number>;
  /** 0–1 overall feeling, driven by the dimensions. */
  overall: number;
  locale: string;
}

export const COMMENTS: Record<'promoter' | 'passive' | 'detractor', Record<'zh' | 'en', string[]>> = {
  promoter: {
    zh: ['取车很快，工作人员很热情', '车辆很新很干净，下次还会再租', '送车上门服务非常方便', '还车流程简单，押金退得快', '性价比很高，推荐给朋友'],
    en: ['Quick pick-up and friendly staff', 'The car was new and spotless', 'Delivery to my hotel was very convenient', 'Return took two minutes, deposit refunded fast', 'Great value, will rent again'],
  },
  passive: {
    zh: ['整体还可以，取车排队有点久', '车辆一般，内饰有点旧', '价格稍贵', '还车时等了一会儿'],
    en: ['Fine overall, but the queue at the counter was long', 'The car was okay, interior a bit worn', 'A little expensive', 'Had to wait at return'],
  },
  detractor: {
    zh: ['取车等了一个多小时，太慢了', '车里很脏，有烟味', '还车时被收了额外费用，没有提前告知', '押金迟迟不退', '工作人员态度很差', '车辆有划痕却说是我弄的'],
    en: ['Waited over an hour to pick up the car', 'The car was dirty and smelled of smoke', 'Charged unexpected fees at return', 'Deposit still not refunded', 'Rude staff at the counter', 'They blamed me for scratches that were already there'],
  },
};

function scaleValue(latent: number, min: number, max: number, random: Random, noise = 0.1): number {
  return min + Math.round((max - min) * clamp01(latent + noise * random.normal()));
}

export function npsCategoryOf(score: number) {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export function simulateAnswers(def: SurveyDefinition, experience: Experience, random: Random): Answers {
  const dimensionOf = new Map(dimensionItems(def).map((d) => [`${d.questionId}/${d.itemId ?? ''}`, d.dimensionId]));
  const latentFor = (questionId: string, itemId: string | null) => {
    const dim = dimensionOf.get(`${questionId}/${itemId ?? ''}`);
    return dim ? (experience.dimensions[dim] ?? experience.overall) : experience.overall;
  };
  const answers: Record<string, unknown> = {};
  let npsScore: number | null = null;

  for (const page of def.pages) {
    for (const question of page.questions) {
      // Re-evaluated as answers accumulate: later questions may depend on earlier ones.
      const visible = computeVisibility(def, answers).questions.get(question.id);
      if (!visible) continue;
      // Optional questions are sometimes skipped, as real customers do.
      if (!question.required && question.type !== 'text' && random.chance(0.06)) continue;
      const value = answerFor(question, latentFor, experience, random, npsScore);
      if (value === undefined) continue;
      answers[question.id] = value;
      if (question.type === 'nps') npsScore = value as number;
    }
  }
  return answers as Answers;
}

function answerFor(
  question: Question,
  latentFor: (questionId: string, itemId: string | null) => number,
  experience: Experience,
  random: Random,
  npsScore: number | null,
): unknown {
  switch (question.type) {
    case 'nps':
      // Recommending skews high in this trade: most satisfied customers give 9 or 10.
      return Math.min(10, scaleValue(experience.overall * 1.08, 0, 10, random, 0.09));
    case 'csat':
      return scaleValue(latentFor(question.id, null), 1, 5, random, 0.12);
    case 'rating':
      return scaleValue(latentFor(question.id, null), 1, question.max, random, 0.12);
    case 'matrix': {
      const value: Record<string, number> = {};
      for (const item of question.items) {
        if (!question.required && random.chance(0.04)) continue;
        value[item.id] = scaleValue(latentFor(question.id, item.id), 1, question.max, random, 0.12);
      }
      return Object.keys(value).length > 0 ? value : undefined;
    }
    case 'single':
      return { choice: random.pick(question.choices).id };
    case 'multi': {
      const picked = question.choices.filter(() => random.chance(0.3)).map((c) => c.id);
      const limited = question.maxChoices ? picked.slice(0, question.maxChoices) : picked;
      return { choices: limited.length > 0 ? limited : [question.choices[0].id] };
    }
    case 'problems': {
      const risk = 0.02 + 0.3 * (1 - experience.overall) ** 2;
      const checked = question.choices.filter(() => random.chance(risk)).map((c) => c.id);
      if (checked.length > 0) return { choices: checked };
      return question.noProblem ? { choices: [question.noProblem.id] } : undefined;
    }
    case 'text': {
      if (!random.chance(question.required ? 1 : 0.45)) return undefined;
      const category = npsCategoryOf(npsScore ?? Math.round(experience.overall * 10));
      const pool = COMMENTS[category][experience.locale.startsWith('zh') ? 'zh' : 'en'];
      const text = random.pick(pool);
      return question.maxLength ? text.slice(0, question.maxLength) : text;
    }
  }
}
