// Answers a survey definition the way a customer with a given experience would, honouring display
// logic, so that demo and benchmark data have a real driver structure behind their NPS.
import { computeVisibility, dimensionItems, type Answers, type Question, type SurveyDefinition } from '@rs/survey-definition';
import { clamp01, type Random } from '../lib/random.ts';
import { npsCategory } from '../analytics/engine/statistics/nps.ts';

export interface Experience {
  /** 0–1 quality the customer felt in each dimension. */
  dimensions: Record<string, number>;
  /** 0–1 overall feeling, driven by the dimensions. */
  overall: number;
  locale: string;
}

/** Demo comments by what the customer felt most: a complaint about the worst dimension, praise for the best. */
export const DIMENSION_COMMENTS: Record<string, Record<'neg' | 'pos', Record<'zh' | 'en', string[]>>> = {
  pickup: {
    neg: {
      zh: [
        '取车排队等了一个多小时，太慢了',
        '门店只有一个窗口办手续，排队排了四十分钟',
        '预约的时间到了车还没准备好，等了很久，太慢了',
        '取车手续太慢了，航班落地后等了很久',
        '取车等了很久，工作人员说车还在清洗',
        '高峰期只有一个人办手续，效率太低',
      ],
      en: [
        'Waited over an hour in line to pick up the car.',
        'Only one agent at the desk, the queue took forty minutes.',
        'The car was not ready at the booked time, we had to wait another half hour.',
        'Slow pickup after a long flight, the paperwork took forever.',
        'Had to wait at the counter for ages before anyone served us.',
      ],
    },
    pos: {
      zh: ['取车很快，几分钟就办好了手续', '到店不用等，车已经准备好了', '取车速度很快，效率很高'],
      en: ['Quick pickup, the keys were ready when we arrived.', 'In and out in ten minutes, no wait at all.', 'Express pickup worked perfectly.'],
    },
  },
  vehicle: {
    neg: {
      zh: [
        '车里很脏，有烟味',
        '车内有垃圾和头发，明显没打扫',
        '车辆有划痕却说是我弄的',
        '车况很差，刹车有异响',
        '轮胎气压不足，车况很差',
        '空调不制冷，开起来很难受',
      ],
      en: [
        'The car was dirty and smelled of smoke.',
        'Crumbs and trash all over the back seat, clearly not cleaned.',
        'They blamed me for scratches that were already there.',
        'The brakes were bad and the car was in poor condition.',
        'The air conditioning did not work at all.',
      ],
    },
    pos: {
      zh: ['车很干净，几乎是新车', '车辆很新很干净，开起来很舒服', '车况很好，内饰整洁'],
      en: ['The car was spotless and almost new.', 'Very clean car in great condition.', 'Clean, well maintained car, drove smoothly.'],
    },
  },
  staff: {
    neg: {
      zh: ['工作人员态度很差，爱理不理', '前台服务态度冷淡，问什么都不耐烦', '客服电话推来推去，没人解决问题'],
      en: [
        'Rude staff at the counter.',
        'The agent was dismissive and did not explain anything.',
        'Customer service was unhelpful and kept passing me around.',
      ],
    },
    pos: {
      zh: ['工作人员很热情，耐心解释每个细节', '前台小姐姐态度很好，非常专业', '店员服务热情周到，给了很多路线建议', '工作人员很专业，帮我升级了车型'],
      en: [
        'The staff were friendly and very helpful.',
        'The agent at the desk was patient and professional.',
        'Excellent service from the lady at the counter, she explained everything.',
        'Friendly staff, quick and polite.',
      ],
    },
  },
  value: {
    neg: {
      zh: ['押金迟迟不退，很失望', '还车一个月了押金还没退', '还车时被多扣了额外费用，太不合理了', '账单里多扣了服务费，价格不透明', '违章押金冻结太久了'],
      en: [
        'Deposit still not refunded after three weeks.',
        'Overcharged with fees nobody mentioned, very disappointing.',
        'The final bill had hidden charges on it.',
        'The deposit hold on my card lasted far too long.',
      ],
    },
    pos: {
      zh: ['价格实惠，性价比很高', '押金退得很快，没有额外费用', '费用清楚，押金退得很及时'],
      en: ['Great value, fair price with no hidden fees.', 'Deposit refunded within two days.', 'Cheaper than the other companies at the airport.'],
    },
  },
  return: {
    neg: {
      zh: [
        '还车时说我刮了保险杠，可那是原来就有的划痕，扯皮了半天',
        '还车检查太苛刻，一个小划痕要我赔五百，很不合理',
        '还车时没人验车，等了很久才有人来',
        '还车地点不好找，绕了好几圈',
      ],
      en: [
        'At return they claimed a dent on the bumper that was there before.',
        'Return took forever, nobody came to check the car.',
        'A damage dispute at return, they wanted me to pay for an old scratch.',
      ],
    },
    pos: {
      zh: ['还车流程简单，两分钟就完成了', '还车很方便，当场就确认了'],
      en: ['Return was quick and easy.', 'Easy return, the car was checked on the spot.'],
    },
  },
  booking: {
    neg: {
      zh: ['App 预订界面很难用，下单很麻烦', '预订后一直没收到确认短信，很不方便'],
      en: ['The app kept crashing when I tried to book.', 'Never got the booking confirmation.'],
    },
    pos: {
      zh: ['App 预订很方便，几步就下单了', '小程序下单很顺畅'],
      en: ['Booking in the app was easy.', 'Simple booking, clear confirmation.'],
    },
  },
  services: {
    neg: {
      zh: ['接驳车太少，在航站楼外等了很久', '门店位置不好找，接驳车也很少'],
      en: ['The shuttle from the terminal was late and the branch was hard to find.', 'Nobody explained what the insurance covered.'],
    },
    pos: {
      zh: ['送车上门服务非常方便', '接驳车准时，门店很好找'],
      en: ['Delivery to my hotel was very convenient.', 'The shuttle was on time and the branch easy to find.'],
    },
  },
};

/** Comments about nothing the lexicon covers (they feed "other frequent phrases"). */
export const OTHER_COMMENTS: Record<'zh' | 'en', string[]> = {
  zh: ['希望儿童座椅的款式多一些', '儿童座椅安装有点麻烦', '整体体验不错，下次还会租', '希望增加更多新能源车型', '会员积分兑换有点复杂'],
  en: [
    'Please offer more child seat options.',
    'Overall a good experience.',
    'Would like more electric cars in the fleet.',
    'The loyalty points are hard to redeem.',
  ],
};

// How readily customers write about each dimension when it went wrong (complaint) or well (praise):
// waiting, damage disputes and deposits are what unhappy renters write about; staff and clean cars what
// happy ones praise.
const COMPLAINT_WEIGHT: Record<string, number> = { pickup: 1.3, vehicle: 1, value: 1, return: 0.8, staff: 0.6, services: 0.4, booking: 0.3 };
const PRAISE_WEIGHT: Record<string, number> = { staff: 1.4, vehicle: 1.2, pickup: 0.8, value: 0.6, return: 0.6, services: 0.4, booking: 0.3 };
/** Share of comments about nothing the lexicon covers. */
const OTHER_SHARE = 0.12;

/**
 * A comment for this experience from one uniform draw `u` (one draw, like picking from a list, so the
 * seeded data after it stays put): detractors complain about what felt worst, promoters praise what felt
 * best, passives do either.
 */
export function commentFor(experience: Experience, category: 'promoter' | 'passive' | 'detractor', u: number): string {
  const language = experience.locale.startsWith('zh') ? 'zh' : 'en';
  const options: { weight: number; pool: string[] }[] = [];
  for (const [dimension, pools] of Object.entries(DIMENSION_COMMENTS)) {
    const felt = experience.dimensions[dimension];
    if (felt === undefined) continue;
    if (category !== 'promoter') options.push({ weight: (1 - felt) ** 4 * (COMPLAINT_WEIGHT[dimension] ?? 0.5), pool: pools.neg[language] });
    if (category !== 'detractor') options.push({ weight: felt ** 4 * (PRAISE_WEIGHT[dimension] ?? 0.5), pool: pools.pos[language] });
  }
  const topical = options.reduce((sum, o) => sum + o.weight, 0);
  options.push({ weight: topical > 0 ? (topical * OTHER_SHARE) / (1 - OTHER_SHARE) : 1, pool: OTHER_COMMENTS[language] });
  let x = u * options.reduce((sum, o) => sum + o.weight, 0);
  for (const o of options) {
    if (x < o.weight) return o.pool[Math.min(o.pool.length - 1, Math.floor((x / o.weight) * o.pool.length))];
    x -= o.weight;
  }
  const last = options[options.length - 1].pool;
  return last[last.length - 1];
}

function scaleValue(latent: number, min: number, max: number, random: Random, noise = 0.1): number {
  return min + Math.round((max - min) * clamp01(latent + noise * random.normal()));
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
      const category = npsCategory(npsScore ?? Math.round(experience.overall * 10));
      const text = commentFor(experience, category, random.next());
      return question.maxLength ? text.slice(0, question.maxLength) : text;
    }
  }
}
