// Everything that works in the background: the distribution worker (sends, dead letters, imports and
// their resume), the case workers (rule evaluation, follow-up surveys, the SLA timer) and the access jobs
// (webhook deliveries, retention). Run inside `npm start`'s process by default (WORKERS=true), or in
// worker processes of their own (api/src/queue/worker.main.ts) beside app processes with WORKERS=false.
// Any number of worker processes may run on one database: queue jobs are fetched once, periodic work runs
// once per period (./periodic.ts), and the remaining timers claim rows with FOR UPDATE SKIP LOCKED.
import { startAccessJobs } from '../access/retention.ts';
import { startCaseWorkers } from '../cases/cases.jobs.ts';
import { startDistributionWorker } from '../distribution/worker.ts';
import { startRewardWorker } from '../rewards/rewards.jobs.ts';
import { startReportJobs } from '../reports/reports.jobs.ts';
import { startTextJobs } from '../text/text.jobs.ts';
import type { AppDeps } from '../lib/types.ts';
import type { PgBoss } from './queue.ts';

export interface Workers {
  stop(): Promise<void>;
}

export async function startWorkers(deps: AppDeps, boss: PgBoss, options: { distribution?: boolean } = {}): Promise<Workers> {
  const stops: (() => Promise<unknown>)[] = [];
  if (options.distribution ?? true) {
    const distribution = await startDistributionWorker(deps, boss);
    stops.push(() => distribution.stop());
  }
  const caseWorkers = startCaseWorkers(deps, boss);
  stops.push(() => caseWorkers.stop());
  stops.push(await startAccessJobs(deps, boss));
  // Reward codes issued: the stock check and the message to the customer.
  const rewardWorker = startRewardWorker(deps, boss);
  stops.push(() => rewardWorker.stop());
  // The digest schedule (reports in the inbox): once per five minutes across all worker processes.
  stops.push(await startReportJobs(deps, boss));
  // Comments that wait for analysis (text_analysis_pending): once per half minute across all worker processes.
  stops.push(await startTextJobs(deps, boss));
  return {
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
