// Demo data for an empty database: branches in several cities, customers, a few thousand rentals over the
// last 120 days, the post-rental survey published, and a few hundred answered invitations.
import { templates } from '@rs/survey-templates';
import type { Database, Sql } from '../db/client.ts';
import { hashToken } from '../distribution/tokens.ts';
import { toAnswerRows, validateAnswers, type SurveyDefinition } from '../surveys/definition/index.ts';
import { createSurvey, publishSurvey } from '../surveys/versions.queries.ts';
import { clamp01, createRandom, type Random } from './random.ts';
import { simulateAnswers } from './simulate-answers.ts';

export const DEMO_BRANCHES = [
  { code: 'SH01', name: '上海虹桥机场店', nameEn: 'Shanghai Hongqiao Airport', city: '上海', region: '华东', quality: 0.06 },
  { code: 'SH02', name: '上海浦东机场店', nameEn: 'Shanghai Pudong Airport', city: '上海', region: '华东', quality: 0.02 },
  { code: 'SH03', name: '上海人民广场店', nameEn: 'Shanghai People’s Square', city: '上海', region: '华东', quality: -0.02 },
  { code: 'HZ01', name: '杭州东站店', nameEn: 'Hangzhou East Station', city: '杭州', region: '华东', quality: 0.03 },
  { code: 'BJ01', name: '北京首都机场店', nameEn: 'Beijing Capital Airport', city: '北京', region: '华北', quality: 0.0 },
  { code: 'BJ02', name: '北京西站店', nameEn: 'Beijing West Station', city: '北京', region: '华北', quality: -0.08 },
  { code: 'GZ01', name: '广州白云机场店', nameEn: 'Guangzhou Baiyun Airport', city: '广州', region: '华南', quality: 0.04 },
  { code: 'SZ01', name: '深圳宝安机场店', nameEn: 'Shenzhen Bao’an Airport', city: '深圳', region: '华南', quality: 0.01 },
  { code: 'SY01', name: '三亚凤凰机场店', nameEn: 'Sanya Phoenix Airport', city: '三亚', region: '华南', quality: 0.08 },
  { code: 'CD01', name: '成都双流机场店', nameEn: 'Chengdu Shuangliu Airport', city: '成都', region: '西南', quality: -0.04 },
  { code: 'XA01', name: '西安咸阳机场店', nameEn: 'Xi’an Xianyang Airport', city: '西安', region: '西北', quality: -0.12 },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '晓东'];
const EN_FIRST = ['James', 'Emma', 'Oliver', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Chloe', 'Noah', 'Grace'];
const EN_LAST = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Müller', 'Martin', 'Lee', 'Walker', 'Hall', 'Young'];
const VEHICLE_CLASSES = ['economy', 'compact', 'midsize', 'suv', 'mpv', 'premium'];
const CHANNELS = ['app', 'app', 'app', 'web', 'web', 'phone', 'store'] as const;

export interface SeedSize {
  customers: number;
  rentals: number;
  days: number;
  /** Share of rentals (returned at least a day ago) that were invited. */
  inviteRate: number;
  /** Share of invitations answered to the end. */
  finishRate: number;
}

export const DEFAULT_SEED_SIZE: SeedSize = { customers: 1400, rentals: 3200, days: 120, inviteRate: 0.55, finishRate: 0.3 };

/** Each dimension's quality for one rental: the branch's level, the dimension's own level, and chance. */
function experienceFor(def: SurveyDefinition, branchQuality: number, random: Random, locale: string) {
  const base: Record<string, number> = { booking: 0.8, pickup: 0.66, vehicle: 0.72, staff: 0.78, value: 0.6, return: 0.76, services: 0.7 };
  const personal = random.normal() * 0.08;
  const dimensions: Record<string, number> = {};
  for (const d of def.dimensions) {
    dimensions[d.id] = clamp01((base[d.id] ?? 0.72) + branchQuality + personal + random.normal() * 0.12);
  }
  // What drives recommending here: pick-up and vehicle most, then staff and value, booking least.
  const drive: Record<string, number> = { pickup: 0.28, vehicle: 0.24, staff: 0.16, value: 0.16, return: 0.08, booking: 0.04, services: 0.04 };
  let sum = 0;
  let weights = 0;
  for (const [id, q] of Object.entries(dimensions)) {
    const w = drive[id] ?? 0.05;
    sum += w * q;
    weights += w;
  }
  const overall = clamp01((weights > 0 ? sum / weights : 0.7) + 0.08 + random.normal() * 0.05);
  return { dimensions, overall, locale };
}

export async function seedDemoData(
  { db, sql, now }: { db: Database; sql: Sql; now: Date },
  size: SeedSize = DEFAULT_SEED_SIZE,
  seed = 20261123,
) {
  const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from surveys`;
  if (count > 0) return null;
  const random = createRandom(seed);
  const template = templates.find((t) => t.id === 'post-rental');
  if (!template) throw new Error('post-rental template missing');

  const survey = await createSurvey(db, { name: template.name['zh-CN'] ?? 'Post-rental survey', kind: 'post_rental', definition: template.definition }, now);
  const version = await publishSurvey(db, survey.id, new Date(now.getTime() - size.days * 86_400_000 - 86_400_000));
  const definition = version.definition as SurveyDefinition;

  const branchRows = await sql<{ id: string; code: string }[]>`
    insert into branches ${sql(
      DEMO_BRANCHES.map((b) => ({
        code: b.code,
        name: b.name,
        name_en: b.nameEn,
        city: b.city,
        region: b.region,
        share_url: `https://reviews.example.com/${b.code.toLowerCase()}`,
        manager_email: `manager.${b.code.toLowerCase()}@example.com`,
      })),
    )}
    returning id, code`;
  const branchByCode = new Map(branchRows.map((b) => [b.code, b.id]));
  const branchWeights = DEMO_BRANCHES.map((b) => (b.code.startsWith('SH') || b.code.startsWith('BJ') ? 1.6 : 1));

  const customers = Array.from({ length: size.customers }, (_, i) => {
    const english = random.chance(0.14);
    const locale = english ? 'en' : random.chance(0.05) ? 'zh-TW' : 'zh-CN';
    const name = english ? `${random.pick(EN_FIRST)} ${random.pick(EN_LAST)}` : random.pick(SURNAMES) + random.pick(GIVEN);
    return {
      external_id: `C${String(i + 1).padStart(6, '0')}`,
      name,
      email: random.chance(0.85) ? `customer${i + 1}@example.com` : null,
      phone: `+86 13${random.int(0, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
      preferred_language: locale,
      consent_email: random.chance(0.92),
      consent_sms: random.chance(0.7),
      customer_type: random.chance(0.3) ? 'business' : 'leisure',
      member_level: random.pick(['普通', '银卡', '金卡', '白金']),
    };
  });
  const customerRows = await sql<{ id: string; preferred_language: string }[]>`
    insert into customers ${sql(customers)} returning id, preferred_language`;

  // Frequent renters exist: a fifth of the customers make about half the rentals.
  const frequent = customerRows.slice(0, Math.floor(customerRows.length / 5));
  const pickBranch = () => {
    let r = random.next() * branchWeights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < DEMO_BRANCHES.length; i++) {
      r -= branchWeights[i];
      if (r <= 0) return DEMO_BRANCHES[i];
    }
    return DEMO_BRANCHES[0];
  };
  const rentals = Array.from({ length: size.rentals }, (_, i) => {
    const customer = random.chance(0.5) ? random.pick(frequent) : random.pick(customerRows);
    const branch = pickBranch();
    const returnedAt = new Date(now.getTime() - random.next() * size.days * 86_400_000 - 2 * 3_600_000);
    const days = random.int(1, 7);
    const vehicleClass = random.pick(VEHICLE_CLASSES);
    return {
      external_id: `RA${String(i + 1).padStart(7, '0')}`,
      customer_id: customer.id,
      pickup_branch_id: branchByCode.get(branch.code)!,
      return_branch_id: branchByCode.get(random.chance(0.9) ? branch.code : pickBranch().code)!,
      vehicle_class: vehicleClass,
      picked_up_at: new Date(returnedAt.getTime() - days * 86_400_000),
      returned_at: returnedAt,
      amount: Math.round(days * (180 + VEHICLE_CLASSES.indexOf(vehicleClass) * 90) * (0.85 + random.next() * 0.3)),
      booking_channel: random.pick(CHANNELS),
    };
  });
  const rentalRows: { id: string; customer_id: string; pickup_branch_id: string; returned_at: Date }[] = [];
  for (let i = 0; i < rentals.length; i += 1000) {
    rentalRows.push(...(await sql<typeof rentalRows>`insert into rentals ${sql(rentals.slice(i, i + 1000))} returning id, customer_id, pickup_branch_id, returned_at`));
  }

  const languageOf = new Map(customerRows.map((c) => [c.id, c.preferred_language]));
  const qualityOf = new Map(DEMO_BRANCHES.map((b) => [branchByCode.get(b.code)!, b.quality]));
  const invited = rentalRows.filter((r) => now.getTime() - r.returned_at.getTime() > 86_400_000 && random.chance(size.inviteRate));
  let finished = 0;
  await sql.begin(async (txSql) => {
    for (let i = 0; i < invited.length; i += 500) {
      const chunk = invited.slice(i, i + 500);
      const invitationValues = chunk.map((r) => {
        const sentAt = new Date(r.returned_at.getTime() + 2 * 3_600_000);
        const roll = random.next();
        const outcome = roll < size.finishRate ? 'finished' : roll < size.finishRate + 0.03 ? 'started' : roll < size.finishRate + 0.15 ? 'opened' : roll < 0.97 ? 'sent' : 'failed';
        return {
          rental: r,
          outcome,
          row: {
            survey_id: survey.id,
            survey_version_id: version.id,
            rental_id: r.id,
            customer_id: r.customer_id,
            branch_id: r.pickup_branch_id,
            token_hash: hashToken(random.hex(16)),
            channel: random.chance(0.75) ? 'email' : 'sms',
            status: outcome,
            scheduled_at: sentAt,
            sent_at: outcome === 'failed' ? null : sentAt,
            opened_at: outcome === 'finished' || outcome === 'started' || outcome === 'opened' ? new Date(sentAt.getTime() + random.int(5, 600) * 60_000) : null,
            expires_at: new Date(sentAt.getTime() + 14 * 86_400_000),
            created_at: r.returned_at,
          },
        };
      });
      const inserted = await txSql<{ id: string; rental_id: string }[]>`insert into invitations ${txSql(invitationValues.map((v) => v.row))} returning id, rental_id`;
      const idByRental = new Map(inserted.map((row) => [row.rental_id, row.id]));

      for (const v of invitationValues) {
        if (v.outcome !== 'finished' && v.outcome !== 'started') continue;
        const locale = languageOf.get(v.rental.customer_id) ?? 'zh-CN';
        const experience = experienceFor(definition, qualityOf.get(v.rental.pickup_branch_id) ?? 0, random, locale);
        const values = simulateAnswers(definition, experience, random);
        const isFinished = v.outcome === 'finished';
        const faults = validateAnswers(definition, values, { final: isFinished });
        if (faults.length > 0) throw new Error(`demo answers invalid: ${JSON.stringify(faults[0])}`);
        const openedAt = v.row.opened_at!;
        const duration = random.int(60, 420) * 1000;
        const [response] = await txSql<{ id: string }[]>`
          insert into responses ${txSql({
            invitation_id: idByRental.get(v.rental.id)!,
            survey_id: survey.id,
            survey_version_id: version.id,
            branch_id: v.rental.pickup_branch_id,
            customer_id: v.rental.customer_id,
            rental_id: v.rental.id,
            locale,
            status: isFinished ? 'finished' : 'partial',
            started_at: openedAt,
            finished_at: isFinished ? new Date(openedAt.getTime() + duration) : null,
            duration_ms: isFinished ? duration : null,
            updated_at: new Date(openedAt.getTime() + duration),
          })} returning id`;
        const rows = toAnswerRows(definition, values).map((a) => ({
          response_id: response.id,
          question_id: a.questionId,
          item_id: a.itemId,
          value_number: a.valueNumber,
          choice_ids: a.choiceIds,
          value_text: a.valueText,
        }));
        if (rows.length > 0) await txSql`insert into answers ${txSql(rows)}`;
        if (isFinished) finished++;
      }
    }
  });
  await sql`analyze`;
  return { branches: DEMO_BRANCHES.length, customers: customers.length, rentals: rentals.length, invitations: invited.length, responses: finished };
}
