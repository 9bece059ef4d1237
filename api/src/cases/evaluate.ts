// Finished response → alert rules → cases. Runs as a job after the response's transaction committed;
// the unique (rule, response) key makes a repeated run create nothing new.
import type { Database } from '../db/client.ts';
import type { alertRules } from '../db/schema.ts';
import type { AppDeps } from '../lib/types.ts';
import { fromAnswerRows, type Answers, type SurveyDefinition } from '@rs/survey-definition';
import { emitCaseEvent } from '../access/webhooks.delivery.ts';
import { txSql } from '../queue/queue.ts';
import { topicsOfResponse } from '../text/text.queries.ts';
import { caseOwnerColumns, resolveOwner } from './assignment.ts';
import { slaTimes, type BusinessHours } from './business-hours.ts';
import { deliverCaseNotifications, queueCaseEmail } from './notifications.ts';
import { answerRowsOf } from '../responses/respond.queries.ts';
import { attributes, enabledRules, insertCaseOnce, responseForRules } from './evaluate.queries.ts';
import { enqueueEvaluation } from './queues.ts';
import { systemEvent } from './sla.queries.ts';
import { evaluateRule, type Filter, type RuleContext, type Trigger } from './rules.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type RuleRow = typeof alertRules.$inferSelect;

export const caseKey = (ruleId: string, responseId: string) => `rule:${ruleId}:response:${responseId}`;

const conditionsOf = (rule: RuleRow) => ({ triggers: rule.triggers as Trigger[], filters: (rule.filters ?? []) as Filter[] });

/**
 * Called by the answering domain in the transaction that finishes a response: queues the rule evaluation
 * (when the survey has rules) and says whether a case will follow, for the thank-you page.
 */
export async function onResponseFinished(
  tx: Tx,
  input: {
    responseId: string;
    surveyId: string;
    definition: SurveyDefinition;
    answers: Answers;
    customerId: string | null;
    rentalId: string | null;
    branchId: string | null;
  },
): Promise<{ followUpPromised: boolean }> {
  const rules = await enabledRules(tx, input.surveyId);
  if (rules.length === 0) return { followUpPromised: false };
  await enqueueEvaluation(tx, input.responseId);
  const ctx: RuleContext = {
    definition: input.definition,
    answers: input.answers,
    ...(await attributes(tx, input)),
    topics: await topicsOfResponse(txSql(tx), input.responseId),
  };
  return { followUpPromised: rules.some((rule) => evaluateRule(conditionsOf(rule), ctx).matched) };
}

/** Opens one case for this rule and response unless it exists; returns the new case's id and notification. */
export async function openCase(
  tx: Tx,
  deps: Pick<AppDeps, 'publicUrl'>,
  rule: RuleRow,
  response: { id: string; surveyId: string; customerId: string | null; rentalId: string | null },
  branch: { id: string; region: string; timeZone: string } | null,
  reasons: unknown[],
  at: Date,
  options: { notify?: boolean } = {},
) {
  const owner = await resolveOwner(tx, rule, branch);
  const timeZone = branch?.timeZone ?? 'Asia/Shanghai';
  const hours = (rule.businessHours as BusinessHours | null) ?? null;
  const due = slaTimes(at, rule, hours, timeZone);
  const created = await insertCaseOnce(tx, {
    ruleId: rule.id,
    responseId: response.id,
    idempotencyKey: caseKey(rule.id, response.id),
    surveyId: response.surveyId,
    branchId: branch?.id ?? null,
    customerId: response.customerId,
    rentalId: response.rentalId,
    status: 'open',
    priority: rule.priority,
    trigger: reasons,
    ...caseOwnerColumns(owner),
    businessHours: hours,
    timeZone,
    ...due,
    followUpWanted: rule.followUpSurvey,
    createdAt: at,
    updatedAt: at,
  });
  if (!created) return null;
  await systemEvent(tx, created.id, at, 'created', {
    ruleId: rule.id,
    ruleName: rule.name,
    reasons,
    owner: owner ? { name: owner.name, email: owner.email, level: owner.level } : null,
  });
  await emitCaseEvent(tx, 'case.created', created.id, at);
  const notification = options.notify === false ? null : await queueCaseEmail(tx, created, 'created', created.ownerEmail, deps.publicUrl, at);
  return { caseId: created.id, notification };
}

/** The job: evaluates every enabled rule of the response's survey and opens the cases that match. */
export async function evaluateResponseRules(deps: AppDeps, payload: { responseId: string }): Promise<{ created: string[] }> {
  const at = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    const response = await responseForRules(tx, payload.responseId);
    if (!response || response.status !== 'finished') return { created: [] as string[], notifications: [] as string[] };
    const rules = await enabledRules(tx, response.surveyId);
    if (rules.length === 0) return { created: [], notifications: [] };
    const definition = response.definition as SurveyDefinition;
    const rows = await answerRowsOf(tx, response.id);
    const attrs = await attributes(tx, response);
    const ctx: RuleContext = { definition, answers: fromAnswerRows(definition, rows), ...attrs, topics: await topicsOfResponse(txSql(tx), response.id) };
    const created: string[] = [];
    const notifications: string[] = [];
    for (const rule of rules) {
      const outcome = evaluateRule(conditionsOf(rule), ctx);
      if (!outcome.matched) continue;
      const opened = await openCase(tx, deps, rule, response, attrs.branch, outcome.reasons, at);
      if (opened) {
        created.push(opened.caseId);
        if (opened.notification) notifications.push(opened.notification);
      }
    }
    return { created, notifications };
  });
  await deliverCaseNotifications(deps, result.notifications);
  return { created: result.created };
}
