import { describe, expect, it } from 'vitest';
import {
  collectTexts,
  findQuestion,
  isVisible,
  metricQuestions,
  toAnswerRows,
  validateAnswers,
  validateSurveyDefinition,
  visibleQuestionIds,
  type SurveyDefinition,
} from '@rs/survey-definition';
import { templates } from '../../../survey-templates/index.ts';
import postRentalJson from '../../../survey-templates/post-rental.json' with { type: 'json' };
import rideJson from '../../../survey-templates/ride-hailing.json' with { type: 'json' };
import dealerJson from '../../../survey-templates/dealer-service.json' with { type: 'json' };
import complaintJson from '../../../survey-templates/complaint-follow-up.json' with { type: 'json' };

const raw = { 'post-rental': postRentalJson, 'ride-hailing': rideJson, 'dealer-service': dealerJson, 'complaint-follow-up': complaintJson };
const byId = (id: string): SurveyDefinition => templates.find((x) => x.id === id)!.definition;

describe('every template', () => {
  it('the four templates are exported', () => {
    expect(templates.map((x) => x.id)).toEqual(['post-rental', 'ride-hailing', 'dealer-service', 'complaint-follow-up']);
  });

  it.each(Object.entries(raw))('%s validates against the schema (the raw JSON)', (_id, json) => {
    const r = validateSurveyDefinition(json.definition);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it.each(templates.map((x) => [x.id, x] as const))('%s has zh-CN and en for every text, and each of its locales', (_id, tpl) => {
    for (const text of [tpl.name, tpl.description]) {
      expect(text['zh-CN']?.trim()).toBeTruthy();
      expect(text.en?.trim()).toBeTruthy();
    }
    const def = tpl.definition;
    expect(def.locales).toEqual(expect.arrayContaining(['zh-CN', 'en']));
    const texts = collectTexts(def);
    expect(texts.length).toBeGreaterThan(20);
    const missing = texts.flatMap(({ path, text }) => def.locales.filter((l) => !text[l] || text[l]!.trim() === '').map((l) => `${path}.${l}`));
    expect(missing).toEqual([]);
  });

  it.each(templates.map((x) => [x.id, x.definition] as const))('%s: outcomes are set and the metric questions resolve', (_id, def) => {
    const m = metricQuestions(def);
    expect(m.nps).toBe('q_nps');
    expect(m.csat).toBe('q_csat');
    expect(m.comments).toContain('q_comment');
    expect(def.dimensions.length).toBeGreaterThan(0);
    const sum = def.dimensions.reduce((s, d) => s + d.weight, 0);
    expect(sum).toBeCloseTo(1, 10);
  });
});

describe('post-rental', () => {
  const def = byId('post-rental');

  it('has the named questions with the right types, on 2–4 pages', () => {
    expect(findQuestion(def, 'q_nps')?.type).toBe('nps');
    expect(findQuestion(def, 'q_csat')?.type).toBe('csat');
    expect(findQuestion(def, 'q_problems')?.type).toBe('problems');
    expect(findQuestion(def, 'q_comment')?.type).toBe('text');
    expect(def.pages.length).toBeGreaterThanOrEqual(2);
    expect(def.pages.length).toBeLessThanOrEqual(4);
    expect(def.locales).toContain('zh-TW');
  });

  it('has the seven car-rental dimensions', () => {
    expect(def.dimensions.map((d) => d.name['zh-CN'])).toEqual(['预订', '取车', '车辆', '员工', '价格', '还车', '增值服务']);
    expect(def.dimensions.every((d) => d.weight > 0)).toBe(true);
  });

  it('the problem checklist covers the common problems plus an exclusive "no problem"', () => {
    const q = findQuestion(def, 'q_problems');
    if (q?.type !== 'problems') throw new Error('q_problems');
    expect(q.choices.map((c) => c.id)).toEqual(
      expect.arrayContaining(['counter_wait', 'vehicle_not_clean', 'vehicle_damage', 'unexpected_fees', 'deposit_issue', 'wrong_class']),
    );
    expect(q.noProblem?.id).toBe('no_problem');
    expect(codes(validateAnswers(def, { q_problems: { choices: ['no_problem', 'deposit_issue'] } }, { final: false }))).toEqual(['no_problem_exclusive']);
  });

  it('pipes branch, vehicle class and return date into the greeting, in every locale', () => {
    for (const l of def.locales) {
      expect(def.intro?.[l]).toContain('{branch.name}');
      expect(def.intro?.[l]).toContain('{rental.vehicleClass}');
      expect(def.intro?.[l]).toContain('{rental.returnedAt}');
    }
  });

  it('asks "what went wrong" only of detractors (NPS ≤ 6)', () => {
    expect(isVisible(def, { q_nps: 6 }, 'q_nps_reason')).toBe(true);
    expect(isVisible(def, { q_nps: 7 }, 'q_nps_reason')).toBe(false);
    expect(isVisible(def, {}, 'q_nps_reason')).toBe(false);
  });

  it('rates value-added services only when used', () => {
    const none = visibleQuestionIds(def, {});
    expect(none).not.toContain('q_vas_delivery');
    expect(none).not.toContain('q_vas_airport');
    const used = visibleQuestionIds(def, { q_vas_used: { choices: ['airport'] } });
    expect(used).toContain('q_vas_airport');
    expect(used).not.toContain('q_vas_delivery');
  });

  it('a complete promoter response passes the final check and becomes rows', () => {
    const answers = {
      q_nps: 9,
      q_csat: 5,
      q_pickup: { pickup_wait: 4, pickup_speed: 5, pickup_explain: 5 },
      q_vas_used: { choices: ['delivery'] },
      q_vas_delivery: 4,
      q_problems: { choices: ['no_problem'] },
      q_comment: '很好',
    };
    expect(validateAnswers(def, answers, { final: true })).toEqual([]);
    expect(toAnswerRows(def, answers)).toHaveLength(9);
    // the same response without q_problems is incomplete
    const { q_problems: _drop, ...incomplete } = answers;
    expect(codes(validateAnswers(def, incomplete, { final: true }))).toEqual(['required']);
  });
});

describe('other templates', () => {
  it('ride-hailing: the "golden five minutes" follow-up shows only after a wait over 5 minutes', () => {
    const def = byId('ride-hailing');
    expect(isVisible(def, { q_wait: { choice: 'min_3_5' } }, 'q_wait_informed')).toBe(false);
    expect(isVisible(def, { q_wait: { choice: 'min_5_10' } }, 'q_wait_informed')).toBe(true);
    expect(def.dimensions.map((d) => d.id)).toEqual(['response', 'pickup', 'driver', 'vehicle', 'app', 'price']);
  });

  it('dealer-service: "fixed right first time" only for repairs', () => {
    const def = byId('dealer-service');
    expect(isVisible(def, { q_visit_type: { choice: 'maintenance' } }, 'q_fixed_right')).toBe(false);
    expect(isVisible(def, { q_visit_type: { choice: 'repair' } }, 'q_fixed_right')).toBe(true);
  });

  it('complaint-follow-up: q_resolved yes / partly / no, with a follow-up unless resolved', () => {
    const def = byId('complaint-follow-up');
    const q = findQuestion(def, 'q_resolved');
    expect(q?.type).toBe('single');
    expect(q?.type === 'single' && q.choices.map((c) => c.id)).toEqual(['yes', 'partly', 'no']);
    expect(isVisible(def, { q_resolved: { choice: 'yes' } }, 'q_unresolved_detail')).toBe(false);
    expect(isVisible(def, { q_resolved: { choice: 'partly' } }, 'q_unresolved_detail')).toBe(true);
    expect(['q_speed', 'q_fairness'].map((id) => findQuestion(def, id)?.type)).toEqual(['rating', 'rating']);
  });
});

function codes(faults: { code: string }[]) {
  return faults.map((f) => f.code);
}
