// The case domain's background work: the consumers of its two queues (./queues.ts) and the SLA timer,
// which runs once a minute across all worker processes (a periodic job, queue/periodic.ts).
import { sweepOverduePlans } from '../action-plans/reminders.ts';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { startPeriodicWork } from '../queue/periodic.ts';
import { consume, type Consumer, type PgBoss } from '../queue/queue.ts';
import { evaluateResponseRules } from './evaluate.ts';
import { sendFollowUpSurvey } from './follow-up.ts';
import { closeCaseMail } from './mail.ts';
import { deliverCaseNotifications } from './notifications.ts';
import { EVALUATE_QUEUE, FOLLOW_UP_QUEUE, type EvaluateJob, type FollowUpJob } from './queues.ts';
import { sweepCaseTimers } from './sla.ts';

/** The job handlers, callable directly (tests) or from the queue. */
export const caseJobHandlers = {
  [EVALUATE_QUEUE]: (deps: AppDeps, data: EvaluateJob) => evaluateResponseRules(deps, data).then(() => undefined),
  [FOLLOW_UP_QUEUE]: (deps: AppDeps, data: FollowUpJob) => sendFollowUpSurvey(deps, data).then(() => undefined),
};

/** One run of the timer: SLA reminders, breaches and escalations, then any e-mail still waiting. */
export async function caseTick(deps: AppDeps) {
  const result = await sweepCaseTimers(deps);
  await deliverCaseNotifications(deps);
  // Overdue action plans remind their owners the same way.
  await sweepOverduePlans(deps);
  return result;
}

export interface CaseWorkerOptions {
  /** false: no consumers or timer run by themselves; call runOnce() (tests). */
  autoStart?: boolean;
  pollMs?: number;
  tickSeconds?: number;
}

export const CASE_TIMERS_QUEUE = 'periodic.case-timers';

export interface CaseWorkers {
  /** The timer's work, then every evaluation and follow-up job that is due, until none is left. */
  runOnce(): Promise<{ handled: number }>;
  stop(): Promise<void>;
}

/** Starts the consumers of both queues and the minute timer's periodic job. */
export function startCaseWorkers(deps: AppDeps, boss: PgBoss, options: CaseWorkerOptions = {}): CaseWorkers {
  const autoStart = options.autoStart ?? true;
  const consumerOptions = { batchSize: 10, concurrency: 2, pollMs: options.pollMs ?? deps.env.QUEUE_POLL_MS };
  const consumers: Consumer[] = [
    consume<EvaluateJob>(boss, EVALUATE_QUEUE, consumerOptions, (job) => caseJobHandlers[EVALUATE_QUEUE](deps, job.data), { autoStart }),
    consume<FollowUpJob>(boss, FOLLOW_UP_QUEUE, consumerOptions, (job) => caseJobHandlers[FOLLOW_UP_QUEUE](deps, job.data), { autoStart }),
  ];
  const periodic = autoStart
    ? startPeriodicWork(boss, [{ queue: CASE_TIMERS_QUEUE, everySeconds: options.tickSeconds ?? 60, run: () => caseTick(deps) }], {
        pollMs: consumerOptions.pollMs,
      }).catch((error) => {
        log.warn(`case timers: ${error instanceof Error ? error.message : error}`);
        return null;
      })
    : null;
  return {
    async runOnce() {
      await caseTick(deps);
      let handled = 0;
      for (const consumer of consumers) handled += await consumer.drain();
      return { handled };
    },
    async stop() {
      await (await periodic)?.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await closeCaseMail();
    },
  };
}
