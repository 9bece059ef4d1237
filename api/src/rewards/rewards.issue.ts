// Issuing a reward code to a finished response, inside the transaction that finishes it: the code, its audit
// entry and the job that sends it and checks the stock are written together or not at all.
import { auditSystem, type Executor } from '../access/audit.ts';
import { insertJobs, txSql } from '../queue/queue.ts';
import { rewardName } from './rewards.messages.ts';
import {
  availableCount,
  codeOfResponse,
  lockCustomerOfProgramme,
  lockProgrammeForCustomer,
  messageChannelOf,
  openOwedRewards,
  oweReward,
  owedOfResponse,
  settleOwedReward,
  takeCode,
} from './rewards.queries.ts';
import type { ThankYouReward } from './rewards.schemas.ts';

export const REWARD_SEND_QUEUE = 'rewards.send';
export interface RewardSendJob {
  codeId: string;
}

export interface IssueInput {
  surveyId: string;
  responseId: string;
  customerId: string;
  branchId: string;
  locale: string;
  now: Date;
}

/**
 * The survey's active programme gives this response one code (none when the customer has one of this
 * period already). With the pool empty the customer is owed one (code null), sent when codes are added.
 * Call in the finishing transaction; the answers play no part.
 */
export async function issueReward(tx: Executor, input: IssueInput): Promise<ThankYouReward | null> {
  const sql = txSql(tx);
  const programme = await lockProgrammeForCustomer(sql, input.surveyId, input.customerId, input.now);
  if (!programme) return null;
  const earned = {
    programmeId: programme.id,
    periodStart: programme.period_start,
    responseId: input.responseId,
    customerId: input.customerId,
    branchId: input.branchId,
    now: input.now,
  };
  const name = rewardName(input.locale, programme.name, programme.name_en);
  const code = await takeCode(sql, earned);
  if (!code) {
    // The pool is empty (or the customer had this period's code): owed, and sent when codes are added.
    if (!(await oweReward(sql, earned))) return null;
    await auditSystem(tx, input.now, 'reward.owe', { type: 'response', id: input.responseId }, { programmeId: programme.id });
    return { code: null, name, kind: programme.kind, sentBy: await messageChannelOf(sql, input.customerId) };
  }
  await issued(tx, programme.id, input.responseId, code.id, input.now);
  return { code: code.code, name, kind: programme.kind, sentBy: code.message_channel };
}

/** The audit entry and the send job of a code just issued (the job also checks the pool's stock). */
async function issued(tx: Executor, programmeId: string, responseId: string, codeId: string, now: Date) {
  await Promise.all([
    auditSystem(tx, now, 'reward.issue', { type: 'reward_code', id: codeId }, { programmeId, responseId }),
    insertJobs(txSql(tx), [{ name: REWARD_SEND_QUEUE, data: { codeId } satisfies RewardSendJob, singletonKey: `reward:${codeId}` }]),
  ]);
}

/**
 * Gives the programme's owed rewards, oldest first, the codes just added to its pool; call in the
 * transaction that added them. An owed customer who got a code of that period meanwhile is settled
 * without one. Returns how many codes were issued.
 */
export async function settleOwedRewards(tx: Executor, programmeId: string, now: Date): Promise<number> {
  const sql = txSql(tx);
  let given = 0;
  for (const owed of await openOwedRewards(sql, programmeId)) {
    await lockCustomerOfProgramme(sql, programmeId, owed.customer_id);
    const code = await takeCode(sql, {
      programmeId,
      periodStart: owed.period_start,
      responseId: owed.response_id,
      customerId: owed.customer_id,
      branchId: owed.branch_id,
      now,
    });
    if (code) {
      await settleOwedReward(sql, owed.id, code.id, now);
      await issued(tx, programmeId, owed.response_id, code.id, now);
      given++;
    } else if ((await availableCount(sql, programmeId)) === 0) break;
    else await settleOwedReward(sql, owed.id, null, now);
  }
  return given;
}

/** The code a finished response got (its link opened again, a second submit). */
export async function rewardOfResponse(tx: Executor, responseId: string, locale: string): Promise<ThankYouReward | null> {
  const sql = txSql(tx);
  const row = await codeOfResponse(sql, responseId);
  if (row) return { code: row.code, name: rewardName(locale, row.name, row.name_en), kind: row.kind, sentBy: row.message_channel };
  const owed = await owedOfResponse(sql, responseId);
  return owed
    ? { code: null, name: rewardName(locale, owed.name, owed.name_en), kind: owed.kind, sentBy: await messageChannelOf(sql, owed.customer_id) }
    : null;
}
