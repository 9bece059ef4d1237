// Demo complaints taken by staff over the last 30 days from the phone, email, the counter and social media:
// written by the product's insertComplaintCase (owners and time limits as the API gives them), first
// contacts mostly within the golden time of their priority, older ones resolved. Called from seedDemoData inside its transaction.
import { and, desc, eq, gte } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { branches, caseEvents, rentals } from '../db/schema.ts';
import type { ComplaintChannel } from '../cases/channels.ts';
import { insertComplaintCase, listPrioritySettings } from '../cases/complaints.queries.ts';
import type { Priority, RootCause } from '../cases/rules.ts';
import type { Random } from '../lib/random.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const MIN = 60_000;
const DAY = 86_400_000;

const STORIES: { cause: RootCause; text: string }[] = [
  { cause: 'billing', text: '还车后账单多扣了一天租金，客服电话里说会核实。' },
  { cause: 'billing', text: 'Charged a refuelling fee although the tank was full on return.' },
  { cause: 'price_fees', text: '取车时被要求购买额外保险，价格和预订时不一致。' },
  { cause: 'waiting_time', text: '机场店取车排队一个多小时，只有一个柜台开着。' },
  { cause: 'waiting_time', text: 'Waited 50 minutes for the shuttle bus to the return lot.' },
  { cause: 'vehicle_condition', text: '车内有烟味，空调不制冷，要求换车未果。' },
  { cause: 'vehicle_condition', text: 'Tyre pressure warning on the motorway; the car was not checked before pick-up.' },
  { cause: 'staff', text: '柜台员工态度冷淡，对押金规则解释不清。' },
  { cause: 'staff', text: 'Posted on Weibo: the agent at the counter was rude when asked about the deposit.' },
  { cause: 'other', text: '预订确认短信里的门店地址写错了，找了很久。' },
];
const CHANNELS: ComplaintChannel[] = ['phone', 'phone', 'phone', 'phone', 'email', 'email', 'email', 'counter', 'counter', 'social'];
const PRIORITIES: Priority[] = ['normal', 'normal', 'normal', 'high', 'high', 'urgent', 'low'];

export async function seedDemoComplaints(tx: Tx, { now, random, count = 48 }: { now: Date; random: Random; count?: number }) {
  const settings = await listPrioritySettings(tx);
  const branchRows = await tx.select({ id: branches.id, region: branches.region, timeZone: branches.timeZone }).from(branches).where(eq(branches.active, true));
  if (branchRows.length === 0) return { complaints: 0 };
  const recent = await tx
    .select({ id: rentals.id, customerId: rentals.customerId, branchId: rentals.pickupBranchId, returnedAt: rentals.returnedAt })
    .from(rentals)
    .where(and(gte(rentals.returnedAt, new Date(now.getTime() - 35 * DAY))))
    .orderBy(desc(rentals.returnedAt))
    .limit(400);
  let opened = 0;
  for (let i = 0; i < count; i++) {
    const channel = random.pick(CHANNELS);
    const priority = random.pick(PRIORITIES);
    const story = random.pick(STORIES);
    // Most complaints name a rental; some callers cannot give one.
    const rental = recent.length > 0 && random.chance(0.8) ? random.pick(recent) : null;
    const branch = rental ? (branchRows.find((b) => b.id === rental.branchId) ?? random.pick(branchRows)) : random.pick(branchRows);
    const createdAt = new Date(now.getTime() - random.int(20, 30 * 24 * 60) * MIN);
    const rule = settings.find((s) => s.priority === priority)!;
    const age = (now.getTime() - createdAt.getTime()) / MIN;
    // About seven in ten are called back within the golden time; the rest later, or not yet.
    const contactAfter = random.chance(0.7)
      ? random.int(3, rule.goldenFirstContactMinutes)
      : random.int(rule.goldenFirstContactMinutes + 5, rule.goldenFirstContactMinutes * 6);
    const contacted = contactAfter < age;
    const resolved = contacted && age > 36 * 60 && random.chance(0.85);
    const firstRespondedAt = contacted ? new Date(createdAt.getTime() + contactAfter * MIN) : null;
    const resolvedAt = resolved ? new Date(Math.min(now.getTime() - MIN, createdAt.getTime() + random.int(6 * 60, 60 * 60) * MIN)) : null;
    const { created: row } = await insertComplaintCase(
      tx,
      rule,
      {
        idempotencyKey: `complaint:demo-${i}`,
        channel,
        description: story.text,
        branch,
        customerId: rental?.customerId ?? null,
        rentalId: rental?.id ?? null,
        priority,
        rootCause: story.cause,
        // The follow-up survey of demo complaints is not sent (no demo answers to it).
        followUpWanted: false,
        createdAt,
      },
      {
        status: resolved ? 'resolved' : contacted ? 'in_progress' : 'open',
        firstRespondedAt,
        resolvedAt,
        resolution: resolved ? '已致电客户说明并处理，客户接受。' : null,
        compensationType: resolved ? random.pick(['none', 'voucher', 'refund'] as const) : null,
        updatedAt: resolvedAt ?? firstRespondedAt ?? createdAt,
      },
    );
    const actor = row.ownerEmail ?? 'system';
    const events: (typeof caseEvents.$inferInsert)[] = [
      { caseId: row.id, at: createdAt, kind: 'created', actor: 'demo@example.com', data: { channel, rootCause: story.cause } },
    ];
    if (firstRespondedAt) {
      events.push({ caseId: row.id, at: firstRespondedAt, kind: 'contact', actor, channel: 'call', body: '已回电客户，了解情况。' });
      events.push({ caseId: row.id, at: firstRespondedAt, kind: 'status', actor, data: { from: 'open', to: 'in_progress', by: 'contact' } });
    }
    if (resolvedAt)
      events.push({ caseId: row.id, at: resolvedAt, kind: 'status', actor, data: { from: 'in_progress', to: 'resolved', rootCause: story.cause } });
    await tx.insert(caseEvents).values(events);
    opened++;
  }
  return { complaints: opened };
}
