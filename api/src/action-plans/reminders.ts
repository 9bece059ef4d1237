// Overdue action plans in the case-style reminders: once a plan is past its due date and still planned or
// in progress, its owner gets one e-mail (per due date), queued in the same transaction that claims the
// plan and sent over the case mail transport; run by the case timer every minute (cases/cases.jobs.ts).
import { canSendCaseEmail, deliverQueuedEmail } from '../cases/mail.ts';
import type { AppDeps } from '../lib/types.ts';
import {
  branchNamesOf,
  claimOverduePlans,
  lockPlanNotification,
  markPlanNotification,
  pendingPlanNotifications,
  queuePlanEmail,
  today,
} from './action-plans.queries.ts';

export const MAX_ATTEMPTS = 5;

export async function sweepOverduePlans(deps: AppDeps): Promise<{ reminded: number; sent: number }> {
  const at = deps.now();
  const todayDate = today(at, deps.env.COMPANY_TIME_ZONE);
  const reminded = await deps.db.transaction(async (tx) => {
    const plans = await claimOverduePlans(tx, todayDate, at);
    for (const plan of plans) {
      const names = (await branchNamesOf(tx, plan.id)).join('、') || '全公司 / company-wide';
      const link = `${deps.publicUrl}/action-plans/${plan.id}`;
      const subject = `[行动计划 #${plan.number}] 已逾期 / Action plan overdue · ${plan.title}`;
      const body = [
        `行动计划“${plan.title}”（${names}）已于 ${plan.dueDate} 到期，状态仍未完成。`,
        `请更新进展或调整截止日期：${link}`,
        '',
        '———',
        '',
        `The action plan “${plan.title}” (${names}) was due on ${plan.dueDate} and is not done yet.`,
        `Update its status or its due date: ${link}`,
        '',
      ].join('\n');
      await queuePlanEmail(tx, plan, plan.ownerEmail, subject, body, at);
    }
    return plans.length;
  });
  let sent = 0;
  if (canSendCaseEmail(deps)) {
    for (const { id } of await pendingPlanNotifications(deps.db, MAX_ATTEMPTS)) {
      const ok = await deps.db.transaction(async (tx) => {
        const row = await lockPlanNotification(tx, id);
        if (!row) return false;
        const outcome = await deliverQueuedEmail(deps, row, (set) => markPlanNotification(tx, row.id, set), {
          maxAttempts: MAX_ATTEMPTS,
          warning: 'action plan reminder not sent',
        });
        return outcome === 'sent';
      });
      if (ok) sent++;
    }
  }
  return { reminded, sent };
}
