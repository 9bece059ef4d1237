// The case domain's pg-boss queues (created by api/drizzle/0006_cases_queues.sql). Jobs are inserted in
// the transaction whose change they follow, so they exist exactly when it commits.
import type { Database } from '../db/client.ts';
import { insertJobs, txSql } from '../queue/queue.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export const EVALUATE_QUEUE = 'cases.evaluate';
export const FOLLOW_UP_QUEUE = 'cases.follow-up';

export interface EvaluateJob {
  responseId: string;
}
export interface FollowUpJob {
  caseId: string;
}

/** Queues the rule evaluation of a finished response. */
export async function enqueueEvaluation(tx: Tx | Database, responseId: string) {
  await insertJobs(txSql(tx), [{ name: EVALUATE_QUEUE, data: { responseId } satisfies EvaluateJob, singletonKey: `evaluate:${responseId}` }]);
}

/** Queues the follow-up survey of a resolved case. */
export async function enqueueFollowUp(tx: Tx | Database, caseId: string) {
  await insertJobs(txSql(tx), [{ name: FOLLOW_UP_QUEUE, data: { caseId } satisfies FollowUpJob, singletonKey: `follow-up:${caseId}` }]);
}
