// One demo action plan: the Shanghai airport branches' counter queues (the top problem of the demo data),
// started 30 days ago and due in 30 days, owned by the demo quality manager. Called from seedDemoData.
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { actionPlanBranches, actionPlans, branches, users } from '../db/schema.ts';
import { today } from '../action-plans/action-plans.queries.ts';
import { addDays } from '../analytics/engine/groups.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export async function seedDemoActionPlans(tx: Tx, { surveyId, now, timeZone = 'Asia/Shanghai' }: { surveyId: string; now: Date; timeZone?: string }) {
  const targets = await tx
    .select({ id: branches.id })
    .from(branches)
    .where(inArray(branches.code, ['SH01', 'SH02']));
  if (targets.length === 0) return { plans: 0 };
  const ownerEmail = 'quality@example.com';
  const [owner] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, ownerEmail));
  const start = addDays(today(now, timeZone), -30);
  const [plan] = await tx
    .insert(actionPlans)
    .values({
      title: '上海门店高峰时段柜台加派人手 / Extra counter staff at peak hours in Shanghai',
      sourceKind: 'problem',
      sourceKey: 'counter_wait',
      sourceLabel: '柜台排队时间长',
      surveyId,
      metric: 'pp100',
      ownerUserId: owner?.id ?? null,
      ownerName: owner?.name ?? '质量经理 陈静',
      ownerEmail,
      startDate: start,
      dueDate: addDays(start, 60),
      status: 'in_progress',
      notes: '周五至周日 16:00–20:00 每店增加一名柜台员工；启用线上预填证件。\nOne more agent per branch Fri–Sun 16:00–20:00; online ID pre-check switched on.',
      createdBy: ownerEmail,
      createdAt: new Date(now.getTime() - 30 * 86_400_000),
      updatedAt: new Date(now.getTime() - 2 * 86_400_000),
    })
    .returning({ id: actionPlans.id });
  await tx.insert(actionPlanBranches).values(targets.map((b) => ({ planId: plan.id, branchId: b.id })));
  return { plans: 1 };
}
