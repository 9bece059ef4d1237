// The case domain's background work: two pg-boss queues (created by api/drizzle/0006_cases_queues.sql)
// and the SLA timer, which runs every minute in every server process (its steps claim rows, so several
// processes do each thing once).
import type { Database } from '../db/client.ts';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { consume, insertJobs, txSql, type Consumer, type PgBoss } from '../queue/queue.ts';
import { evaluateResponseRules } from './evaluate.ts';
import { sendFollowUpSurvey } from './follow-up.ts';
import { deliverCaseNotifications } from './notifications.ts';
import { sweepCaseTimers } from './sla.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export const EVALUATE_QUEUE = 'cases.evaluate';
export const FOLLOW_UP_QUEUE = 'cases.follow-up';

export interface EvaluateJob {
  responseId: string;
}
export interface FollowUpJob {
  caseId: string;
}

/** Queues the rule evaluation of a finished response, in the transaction that finished it. */
export async function enqueueEvaluation(tx: Tx | Database, responseId: string) {
  await insertJobs(txSql(tx), [{ name: EVALUATE_QUEUE, data: { responseId } satisfies EvaluateJob, singletonKey: `evaluate:${responseId}` }]);
}

/** Queues the follow-up survey of a resolved case, in the transaction that resolved it. */
export async function enqueueFollowUp(tx: Tx | Database, caseId: string) {
  await insertJobs(txSql(tx), [{ name: FOLLOW_UP_QUEUE, data: { caseId } satisfies FollowUpJob, singletonKey: `follow-up:${caseId}` }]);
}

/** The job handlers, callable directly (tests) or from the queue. */
export const caseJobHandlers = {
  [EVALUATE_QUEUE]: (deps: AppDeps, data: EvaluateJob) => evaluateResponseRules(deps, data).then(() => undefined),
  [FOLLOW_UP_QUEUE]: (deps: AppDeps, data: FollowUpJob) => sendFollowUpSurvey(deps, data).then(() => undefined),
};

/** One run of the timer: SLA reminders, breaches and escalations, then any e-mail still waiting. */
export async function caseTick(deps: AppDeps) {
  const result = await sweepCaseTimers(deps);
  await deliverCaseNotifications(deps);
  return result;
}

export interface CaseWorkers {
  consumers: Consumer[];
  stop(): Promise<void>;
}

/** Starts the consumers of both queues and the minute timer. */
export function startCaseWorkers(deps: AppDeps, boss: PgBoss, options: { pollMs?: number; tickMs?: number } = {}): CaseWorkers {
  const consumerOptions = { batchSize: 10, concurrency: 2, pollMs: options.pollMs ?? 2000 };
  const consumers = [
    consume<EvaluateJob>(boss, EVALUATE_QUEUE, consumerOptions, (job) => caseJobHandlers[EVALUATE_QUEUE](deps, job.data)),
    consume<FollowUpJob>(boss, FOLLOW_UP_QUEUE, consumerOptions, (job) => caseJobHandlers[FOLLOW_UP_QUEUE](deps, job.data)),
  ];
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = caseTick(deps)
      .catch((error) => log.warn(`case timers: ${error instanceof Error ? error.message : error}`))
      .finally(() => (running = null));
  }, options.tickMs ?? 60_000);
  timer.unref?.();
  return {
    consumers,
    async stop() {
      clearInterval(timer);
      await Promise.all(consumers.map((c) => c.stop()));
      await running;
    },
  };
}
