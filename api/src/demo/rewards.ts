// Demo data for rewards for feedback: a programme on the demo survey (a CNY 50 voucher, one a month per
// customer), a code issued to the first finished response of each customer and month over the last 90 days
// (each in the audit log), about 30–55 % of them redeemed (more for higher value tiers, varying by branch),
// and a pool with codes left. Called from seedDemoData inside its transaction.
import { and, eq, gte, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { auditLog, customers, responses, rewardCodes, rewardProgrammes } from '../db/schema.ts';
import type { Random } from '../lib/random.ts';
import { refreshSegments } from '../distribution/segments.ts';
import { txSql } from '../queue/queue.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const DAY = 86_400_000;
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const REDEEM_BY_TIER: Record<string, number> = { A: 0.55, B: 0.42, C: 0.3 };

/** The calendar month (Asia/Shanghai, UTC+8 all year) of an instant, as its first day. */
const monthOf = (at: Date) => {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-01`;
};

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 2000) await insert(rows.slice(i, i + 2000));
}

export async function seedDemoRewards(tx: Tx, opts: { surveyId: string; now: Date; random: Random }) {
  const { surveyId, now, random } = opts;
  const code = () => `FB50-${Array.from({ length: 8 }, () => ALPHABET[random.int(0, ALPHABET.length - 1)]).join('')}`;
  const [programme] = await tx
    .insert(rewardProgrammes)
    .values({
      surveyId,
      name: '50元租车抵用券',
      nameEn: 'CNY 50 rental voucher',
      kind: 'coupon',
      period: 'month',
      timeZone: 'Asia/Shanghai',
      lowStockThreshold: 50,
      createdAt: new Date(now.getTime() - 95 * DAY),
      updatedAt: new Date(now.getTime() - 95 * DAY),
    })
    .returning({ id: rewardProgrammes.id });

  // Value tiers as the periodic segments job sets them: a code keeps the tier of its customer when issued.
  await refreshSegments(txSql(tx), now);
  const finished = await tx
    .select({
      responseId: responses.id,
      customerId: responses.customerId,
      branchId: responses.branchId,
      finishedAt: responses.finishedAt,
      tier: customers.valueTier,
      email: customers.email,
    })
    .from(responses)
    .innerJoin(customers, eq(customers.id, responses.customerId))
    .where(
      and(
        eq(responses.surveyId, surveyId),
        eq(responses.status, 'finished'),
        isNotNull(responses.finishedAt),
        gte(responses.finishedAt, new Date(now.getTime() - 90 * DAY)),
      ),
    )
    .orderBy(responses.finishedAt);

  // Branches differ a little in how many customers use their voucher (staff mention it at the counter, or not).
  const branchFactor = new Map<string, number>();
  const seen = new Set<string>();
  const used = new Set<string>();
  const issued: (typeof rewardCodes.$inferInsert)[] = [];
  for (const r of finished) {
    const finishedAt = r.finishedAt as Date;
    const periodStart = monthOf(finishedAt);
    const key = `${r.customerId}|${periodStart}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let c = code();
    while (used.has(c)) c = code();
    used.add(c);
    const branch = r.branchId ?? '';
    if (!branchFactor.has(branch)) branchFactor.set(branch, 0.75 + random.next() * 0.5);
    const p = Math.min(0.9, (REDEEM_BY_TIER[r.tier ?? ''] ?? 0.35) * (branchFactor.get(branch) ?? 1));
    const redeemedAt = random.chance(p) ? new Date(finishedAt.getTime() + (1 + random.int(0, 25)) * DAY + random.int(0, 10) * 3_600_000) : null;
    issued.push({
      programmeId: programme.id,
      code: c,
      addedAt: new Date(now.getTime() - 95 * DAY),
      issuedAt: finishedAt,
      responseId: r.responseId,
      customerId: r.customerId,
      branchId: r.branchId,
      valueTier: r.tier,
      periodStart,
      redeemedAt: redeemedAt && redeemedAt < now ? redeemedAt : null,
      messageChannel: r.email ? 'email' : null,
      messageStatus: r.email ? 'sent' : 'skipped',
      messageAttempts: r.email ? 1 : 0,
      messageSentAt: r.email ? finishedAt : null,
    });
  }
  const left = Array.from({ length: 400 }, () => {
    let c = code();
    while (used.has(c)) c = code();
    used.add(c);
    return { programmeId: programme.id, code: c, addedAt: new Date(now.getTime() - 20 * DAY) };
  });
  const ids: { id: string; responseId: string | null; issuedAt: Date | null }[] = [];
  await insertChunks(issued, async (chunk) => {
    ids.push(
      ...(await tx.insert(rewardCodes).values(chunk).returning({ id: rewardCodes.id, responseId: rewardCodes.responseId, issuedAt: rewardCodes.issuedAt })),
    );
  });
  await insertChunks(left, (chunk) => tx.insert(rewardCodes).values(chunk));
  // Every code issued is in the audit log, as the live issuing writes it.
  await insertChunks(ids, (chunk) =>
    tx.insert(auditLog).values(
      chunk.map((row) => ({
        at: row.issuedAt as Date,
        actorType: 'system' as const,
        actorId: null,
        actorLabel: 'system',
        action: 'reward.issue',
        targetType: 'reward_code',
        targetId: row.id,
        details: { programmeId: programme.id, responseId: row.responseId },
      })),
    ),
  );
  return { issued: issued.length, redeemed: issued.filter((r) => r.redeemedAt).length, available: left.length };
}
