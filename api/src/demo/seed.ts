// Demo data for an empty database: branches in several cities, customers, a few thousand rentals over the
// last 120 days, the post-rental survey published, and a few hundred answered invitations.
import { templates } from '@rs/survey-templates';
import { inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { createUserWithPassword } from '../access/auth.queries.ts';
import type { Role } from '../access/permissions.ts';
import type { Database, Sql } from '../db/client.ts';
import { answers, branches, customers, invitations, regions, rentals, responses, users } from '../db/schema.ts';
import { hashToken } from '../distribution/tokens.ts';
import { toAnswerRows, validateAnswers, type SurveyDefinition } from '@rs/survey-definition';
import { createSurvey, publishSurvey } from '../surveys/versions.queries.ts';
import { clamp01, createRandom, type Random } from '../lib/random.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
import { simulateAnswers } from './simulate-answers.ts';
import { seedDemoCases } from './cases.ts';
import { seedDemoBrands } from './brands.ts';
import { seedDemoTargets } from './targets.ts';
import { seedDemoRewards } from './rewards.ts';
import { seedDemoOpenLinks } from './open-links.ts';
import { seedDemoLoyalty } from './loyalty.ts';
import { seedDemoComplaints } from './complaints.ts';
import { seedDemoActionPlans } from './action-plans.ts';
import { seedDemoReportSubscriptions } from './reports.ts';

/** Regions by their code (the Chinese name the branches' region column has always held). */
export const DEMO_REGIONS = [
  { code: '华东', name: '华东区', nameEn: 'East China' },
  { code: '华北', name: '华北区', nameEn: 'North China' },
  { code: '华南', name: '华南区', nameEn: 'South China' },
  { code: '西南', name: '西南区', nameEn: 'Southwest China' },
  { code: '西北', name: '西北区', nameEn: 'Northwest China' },
];

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

/**
 * The cause planted for "why did it move?": at SH02 (Pudong airport) the pick-up queue grew over the
 * last 30 days, so its customers rate pick-up much lower, and recommend it less, than before.
 */
export const DEMO_PLANTED_CAUSE = { branch: 'SH02', dimension: 'pickup', days: 30, shift: -0.45 } as const;

/**
 * Each dimension's quality for one rental: the branch's level, the dimension's own level, and chance.
 * `shifts` moves dimensions after the draws, so that the same draws give the experience with and without them.
 */
function experienceFor(def: SurveyDefinition, branchQuality: number, random: Random, locale: string, shifts: Record<string, number> = {}) {
  const base: Record<string, number> = { booking: 0.8, pickup: 0.66, vehicle: 0.72, staff: 0.78, value: 0.6, return: 0.76, services: 0.7 };
  const personal = random.normal() * 0.08;
  const draws: Record<string, number> = {};
  for (const d of def.dimensions) draws[d.id] = random.normal() * 0.12;
  const noise = random.normal() * 0.05;
  const experience = (shift: Record<string, number>) => {
    const dimensions: Record<string, number> = {};
    for (const d of def.dimensions) dimensions[d.id] = clamp01((base[d.id] ?? 0.72) + branchQuality + (shift[d.id] ?? 0) + personal + draws[d.id]);
    // What drives recommending here: pick-up and vehicle most, then staff and value, booking least.
    const drive: Record<string, number> = { pickup: 0.28, vehicle: 0.24, staff: 0.16, value: 0.16, return: 0.08, booking: 0.04, services: 0.04 };
    let sum = 0;
    let weights = 0;
    for (const [id, q] of Object.entries(dimensions)) {
      const w = drive[id] ?? 0.05;
      sum += w * q;
      weights += w;
    }
    const overall = clamp01((weights > 0 ? sum / weights : 0.7) + 0.08 + noise);
    return { dimensions, overall, locale };
  };
  return { usual: experience({}), felt: experience(shifts) };
}

/** Inserts rows in chunks that stay under PostgreSQL's 65,535 bind parameters. */
async function insertChunked<T extends PgTable, R>(
  tx: Tx,
  table: T,
  rows: T['$inferInsert'][],
  returning: (chunk: T['$inferInsert'][]) => Promise<R[]> | undefined = () => undefined,
  chunkSize = 1000,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    const result = returning(chunk);
    if (result) out.push(...(await result));
    else await tx.insert(table).values(chunk);
  }
  return out;
}

export async function seedDemoData({ db, sql, now }: { db: Database; sql: Sql; now: Date }, size: SeedSize = DEFAULT_SEED_SIZE, seed = 20261123) {
  const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from surveys`;
  if (count > 0) return null;
  const random = createRandom(seed);
  const template = templates.find((t) => t.id === 'post-rental');
  if (!template) throw new Error('post-rental template missing');

  // One transaction: a seed that fails half-way leaves an empty database, and the next start tries again.
  const result = await db.transaction(async (tx) => {
    const survey = await createSurvey(tx, { name: template.name['zh-CN'] ?? 'Post-rental survey', kind: 'post_rental', definition: template.definition }, now);
    const version = await publishSurvey(tx, survey.id, new Date(now.getTime() - (size.days + 1) * 86_400_000));
    const definition = version.definition as SurveyDefinition;

    const regionRows = await tx.insert(regions).values(DEMO_REGIONS).onConflictDoNothing().returning({ id: regions.id, code: regions.code });
    const regionByCode = new Map(regionRows.map((r) => [r.code, r.id]));
    const branchRows = await tx
      .insert(branches)
      .values(
        DEMO_BRANCHES.map((b) => ({
          code: b.code,
          name: b.name,
          nameEn: b.nameEn,
          city: b.city,
          region: b.region,
          regionId: regionByCode.get(b.region) as string,
          shareUrl: `https://reviews.example.com/${b.code.toLowerCase()}`,
          managerEmail: `manager.${b.code.toLowerCase()}@example.com`,
        })),
      )
      .returning({ id: branches.id, code: branches.code });
    const branchByCode = new Map(branchRows.map((b) => [b.code, b.id]));
    const branchWeights = DEMO_BRANCHES.map((b) => (b.code.startsWith('SH') || b.code.startsWith('BJ') ? 1.6 : 1));

    const customerValues = Array.from({ length: size.customers }, (_, i) => {
      const english = random.chance(0.14);
      const locale = english ? 'en' : random.chance(0.05) ? 'zh-TW' : 'zh-CN';
      const name = english ? `${random.pick(EN_FIRST)} ${random.pick(EN_LAST)}` : random.pick(SURNAMES) + random.pick(GIVEN);
      return {
        externalId: `C${String(i + 1).padStart(6, '0')}`,
        name,
        email: random.chance(0.85) ? `customer${i + 1}@example.com` : null,
        phone: `+86 13${random.int(0, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
        preferredLanguage: locale,
        consentEmail: random.chance(0.92),
        consentSms: random.chance(0.7),
        customerType: (random.chance(0.3) ? 'business' : 'leisure') as 'business' | 'leisure',
        memberLevel: random.pick(['普通', '银卡', '金卡', '白金']),
      };
    });
    const customerRows = await insertChunked(tx, customers, customerValues, (chunk) =>
      tx.insert(customers).values(chunk).returning({ id: customers.id, preferredLanguage: customers.preferredLanguage }),
    );

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
    const rentalValues = Array.from({ length: size.rentals }, (_, i) => {
      const customer = random.chance(0.5) ? random.pick(frequent) : random.pick(customerRows);
      const branch = pickBranch();
      const returnedAt = new Date(now.getTime() - random.next() * size.days * 86_400_000 - 2 * 3_600_000);
      const days = random.int(1, 7);
      const vehicleClass = random.pick(VEHICLE_CLASSES);
      return {
        externalId: `RA${String(i + 1).padStart(7, '0')}`,
        customerId: customer.id,
        pickupBranchId: branchByCode.get(branch.code)!,
        returnBranchId: branchByCode.get(random.chance(0.9) ? branch.code : pickBranch().code)!,
        vehicleClass,
        pickedUpAt: new Date(returnedAt.getTime() - days * 86_400_000),
        returnedAt,
        amount: Math.round(days * (180 + VEHICLE_CLASSES.indexOf(vehicleClass) * 90) * (0.85 + random.next() * 0.3)),
        bookingChannel: random.pick(CHANNELS),
      };
    });
    const rentalIds = await insertChunked(tx, rentals, rentalValues, (chunk) => tx.insert(rentals).values(chunk).returning({ id: rentals.id }));
    const rentalRows = rentalValues.map((r, i) => ({ ...r, id: rentalIds[i].id }));

    const languageOf = new Map(customerRows.map((c) => [c.id, c.preferredLanguage ?? 'zh-CN']));
    const qualityOf = new Map(DEMO_BRANCHES.map((b) => [branchByCode.get(b.code)!, b.quality]));
    const invited = rentalRows.filter((r) => now.getTime() - r.returnedAt.getTime() > 86_400_000 && random.chance(size.inviteRate));

    type Outcome = 'finished' | 'started' | 'opened' | 'sent' | 'failed';
    const plantedBranchId = branchByCode.get(DEMO_PLANTED_CAUSE.branch);
    const isPlantedBranch = (rental: { pickupBranchId: string }) => rental.pickupBranchId === plantedBranchId;
    const isRecent = (rental: { returnedAt: Date }, days: number) => now.getTime() - rental.returnedAt.getTime() < days * 86_400_000;
    const boost = createRandom(seed + 1);
    const plans = invited.map((rental) => {
      const sentAt = new Date(rental.returnedAt.getTime() + 2 * 3_600_000);
      const roll = random.next();
      const outcome: Outcome =
        roll < size.finishRate
          ? 'finished'
          : roll < size.finishRate + 0.03
            ? 'started'
            : roll < size.finishRate + 0.15
              ? 'opened'
              : roll < 0.97
                ? 'sent'
                : 'failed';
      const openedAt =
        outcome === 'finished' || outcome === 'started' || outcome === 'opened' ? new Date(sentAt.getTime() + random.int(5, 600) * 60_000) : null;
      // Pudong has asked for feedback at the counter for two months: more of its customers answer, so
      // its planted cause shows in 30 days of answers. Decided on a stream of its own (see below).
      if (outcome !== 'finished' && outcome !== 'started' && isPlantedBranch(rental) && isRecent(rental, 2 * DEMO_PLANTED_CAUSE.days) && boost.chance(0.7)) {
        return { rental, outcome: 'finished' as Outcome, sentAt, openedAt: openedAt ?? new Date(sentAt.getTime() + boost.int(5, 600) * 60_000), boosted: true };
      }
      return { rental, outcome, sentAt, openedAt, boosted: false };
    });
    const invitationIds = await insertChunked(
      tx,
      invitations,
      plans.map((p) => ({
        surveyId: survey.id,
        surveyVersionId: version.id,
        rentalId: p.rental.id,
        customerId: p.rental.customerId,
        branchId: p.rental.pickupBranchId,
        // Demo invitations are never opened from a link: a random hash stands in for the token's.
        tokenHash: hashToken(random.hex(16)),
        channel: (random.chance(0.75) ? 'email' : 'sms') as 'email' | 'sms',
        status: p.outcome,
        scheduledAt: p.sentAt,
        sentAt: p.outcome === 'failed' ? null : p.sentAt,
        openedAt: p.openedAt,
        expiresAt: new Date(p.sentAt.getTime() + 14 * 86_400_000),
        createdAt: p.rental.returnedAt,
      })),
      (chunk) => tx.insert(invitations).values(chunk).returning({ id: invitations.id }),
    );

    const answered = plans.map((p, i) => ({ ...p, invitationId: invitationIds[i].id })).filter((p) => p.outcome === 'finished' || p.outcome === 'started');
    const responseValues = answered.map((p, index) => {
      const locale = languageOf.get(p.rental.customerId) ?? 'zh-CN';
      const planted = isPlantedBranch(p.rental) && isRecent(p.rental, DEMO_PLANTED_CAUSE.days);
      const shifts: Record<string, number> = planted ? { [DEMO_PLANTED_CAUSE.dimension]: DEMO_PLANTED_CAUSE.shift } : {};
      // Planted answers and the extra answers come from random streams of their own: the main stream
      // goes on as if nothing were planted (display logic makes the draws depend on the answers), so
      // all other demo data stays as it was.
      const own = p.boosted ? boost : random;
      const experience = experienceFor(definition, qualityOf.get(p.rental.pickupBranchId) ?? 0, own, locale, shifts);
      let values = simulateAnswers(definition, experience.usual, own);
      if (planted) values = simulateAnswers(definition, experience.felt, createRandom(seed + index));
      const isFinished = p.outcome === 'finished';
      const faults = validateAnswers(definition, values, { final: isFinished });
      if (faults.length > 0) throw new Error(`demo answers invalid: ${JSON.stringify(faults[0])}`);
      const duration = own.int(60, 420) * 1000;
      const finishedAt = new Date(p.openedAt!.getTime() + duration);
      return {
        values,
        row: {
          invitationId: p.invitationId,
          surveyId: survey.id,
          surveyVersionId: version.id,
          branchId: p.rental.pickupBranchId,
          customerId: p.rental.customerId,
          rentalId: p.rental.id,
          locale,
          status: (isFinished ? 'finished' : 'partial') as 'finished' | 'partial',
          startedAt: p.openedAt!,
          finishedAt: isFinished ? finishedAt : null,
          durationMs: isFinished ? duration : null,
          updatedAt: finishedAt,
        },
      };
    });
    const responseIds = await insertChunked(
      tx,
      responses,
      responseValues.map((r) => r.row),
      (chunk) => tx.insert(responses).values(chunk).returning({ id: responses.id }),
    );
    const answerValues = responseValues.flatMap((r, i) => toAnswerRows(definition, r.values).map((a) => ({ ...a, responseId: responseIds[i].id })));
    await insertChunked(tx, answers, answerValues);
    // The closed loop's rules and cases (api/src/demo/cases.ts).
    await seedDemoCases(tx, { surveyId: survey.id, now, random });
    await seedDemoBrands(tx, { now });
    await seedDemoTargets(tx, { now });
    await seedDemoRewards(tx, { surveyId: survey.id, now, random: createRandom(seed + 19) });
    await seedDemoOpenLinks(tx, { surveyId: survey.id, versionId: version.id, definition, now, seed: seed + 18, branchByCode });
    await seedDemoLoyalty(tx, {
      now,
      customerIds: customerRows.map((c) => c.id),
      frequentIds: frequent.map((c) => c.id),
      branchIds: [...branchByCode.values()],
    });
    await seedDemoComplaints(tx, { now, random: createRandom(seed + 23) });
    await seedDemoActionPlans(tx, { surveyId: survey.id, now });

    return {
      branches: DEMO_BRANCHES.length,
      customers: customerValues.length,
      rentals: rentalValues.length,
      invitations: plans.length,
      responses: responseValues.filter((r) => r.row.status === 'finished').length,
    };
  });
  await sql`analyze`;
  return result;
}

// ── Demo staff: one user per role, printed by `npm start` ─────────────────────────────────────────────
export const DEMO_PASSWORD = 'demo-pass-2026';

export const DEMO_USERS = [
  { role: 'admin', email: 'admin@example.com', name: '系统管理员 Admin', branches: [], regions: [] },
  { role: 'quality_manager', email: 'quality@example.com', name: '质量经理 陈静', branches: [], regions: [] },
  { role: 'branch_manager', email: 'manager.sh01@example.com', name: '门店经理 王磊', branches: ['SH01', 'SH02'], regions: [] },
  // The East China escalation contact of the demo cases, as a user: breached cases of the region reach them.
  { role: 'regional_manager', email: 'region.east@example.com', name: '华东区域经理 周敏', branches: [], regions: ['华东'] },
  { role: 'executive', email: 'executive@example.com', name: '总经理 刘洋', branches: [], regions: [] },
] as const satisfies readonly { role: Role; email: string; name: string; branches: readonly string[]; regions: readonly string[] }[];

/** Creates the demo users that do not exist yet (by email); returns the ones that exist afterwards. */
export async function seedDemoUsers({ db, now }: { db: Database; now: Date }) {
  const codes = DEMO_USERS.flatMap((u) => [...u.branches]);
  const branchRows = codes.length ? await db.select({ id: branches.id, code: branches.code }).from(branches).where(inArray(branches.code, codes)) : [];
  const branchId = new Map(branchRows.map((b) => [b.code, b.id]));
  const regionCodes = DEMO_USERS.flatMap((u) => [...u.regions]);
  const regionRows = regionCodes.length ? await db.select({ id: regions.id, code: regions.code }).from(regions).where(inArray(regions.code, regionCodes)) : [];
  const regionId = new Map(regionRows.map((r) => [r.code, r.id]));
  const existing = new Set(
    (
      await db
        .select({ email: users.email })
        .from(users)
        .where(
          inArray(
            users.email,
            DEMO_USERS.map((u) => u.email),
          ),
        )
    ).map((u) => u.email),
  );
  const present: (typeof DEMO_USERS)[number][] = [];
  for (const user of DEMO_USERS) {
    if (!existing.has(user.email)) {
      const ids = user.branches.map((code) => branchId.get(code)).filter((id): id is string => !!id);
      const regionIds = user.regions.map((code) => regionId.get(code)).filter((id): id is string => !!id);
      if (user.role === 'branch_manager' && ids.length === 0) continue;
      if (user.role === 'regional_manager' && regionIds.length === 0) continue;
      await createUserWithPassword(db, { email: user.email, name: user.name, role: user.role, password: DEMO_PASSWORD, branchIds: ids, regionIds }, now);
    }
    present.push(user);
  }
  await seedDemoReportSubscriptions(db, now);
  return present;
}
