// The follow-up survey of a resolved case: the complaint follow-up template, created and published the
// first time it is needed, sent to the customer as an ordinary invitation.
import { findTemplate } from '@rs/survey-templates';
import type { Database } from '../db/client.ts';
import type { AppDeps } from '../lib/types.ts';
import { createSurvey, publishSurvey } from '../surveys/versions.queries.ts';
import { activeSurveyOfKind, draftSurveyOfKind, lockCase, lockFollowUpSurveyCreation, setCase } from './follow-up.queries.ts';
import { inviteToFollowUp, setUpFollowUpDistribution } from './invite.ts';
import { systemEvent } from './sla.queries.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export const FOLLOW_UP_KIND = 'complaint_follow_up';
export const FOLLOW_UP_TEMPLATE = 'complaint-follow-up';

/** The active follow-up survey at its newest version; created from the template and published when there is none. */
export async function followUpSurvey(tx: Tx, at: Date): Promise<{ surveyId: string; versionId: string }> {
  // One creator at a time: two cases resolved at once must not make two surveys.
  await lockFollowUpSurveyCreation(tx);
  const existing = await activeSurveyOfKind(tx, FOLLOW_UP_KIND);
  if (existing) return existing;
  const template = findTemplate(FOLLOW_UP_TEMPLATE);
  if (!template) throw new Error(`survey template ${FOLLOW_UP_TEMPLATE} missing`);
  const draft = await draftSurveyOfKind(tx, FOLLOW_UP_KIND);
  const surveyId =
    draft?.id ??
    (await createSurvey(tx, { name: template.name['zh-CN'] ?? 'Complaint follow-up', kind: FOLLOW_UP_KIND, definition: template.definition }, at)).id;
  const version = await publishSurvey(tx, surveyId, at);
  if (!draft) await setUpFollowUpDistribution(tx, surveyId, at);
  return { surveyId, versionId: version.id };
}

export type FollowUpOutcome = 'sent' | 'already_sent' | 'not_wanted' | 'not_resolved' | 'no_customer' | 'not_invited';

/** The job: invites the case's customer to the follow-up survey, once per case. */
export async function sendFollowUpSurvey(deps: AppDeps, payload: { caseId: string }): Promise<{ outcome: FollowUpOutcome; invitationId?: string }> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const row = await lockCase(tx, payload.caseId);
    if (!row) return { outcome: 'not_resolved' as const };
    if (row.followUpInvitationId) return { outcome: 'already_sent' as const, invitationId: row.followUpInvitationId };
    if (!row.followUpWanted) return { outcome: 'not_wanted' as const };
    if (row.status !== 'resolved' && row.status !== 'closed') return { outcome: 'not_resolved' as const };
    const record = async (outcome: FollowUpOutcome, data: Record<string, unknown> = {}) => {
      await systemEvent(tx, row.id, at, 'follow_up', { outcome, ...data });
    };
    if (!row.customerId || !row.branchId) {
      await setCase(tx, row.id, { followUpWanted: false, updatedAt: at });
      await record('no_customer');
      return { outcome: 'no_customer' as const };
    }
    const target = await followUpSurvey(tx, at);
    const invitation = await inviteToFollowUp(tx, deps, {
      surveyId: target.surveyId,
      versionId: target.versionId,
      customerId: row.customerId,
      rentalId: row.rentalId,
      branchId: row.branchId,
      at,
    });
    if (!invitation) {
      // Nobody to send it to (no consent, no usable address, opted out): the case does not wait for it.
      await setCase(tx, row.id, { followUpWanted: false, updatedAt: at });
      await record('not_invited');
      return { outcome: 'not_invited' as const };
    }
    await setCase(tx, row.id, { followUpInvitationId: invitation.id, followUpSentAt: at, version: row.version + 1, updatedAt: at });
    await record('sent', { invitationId: invitation.id, surveyId: target.surveyId, channel: invitation.channel });
    return { outcome: 'sent' as const, invitationId: invitation.id };
  });
}
