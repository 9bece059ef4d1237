import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { branches, customers, invitations, rentals, surveys, surveyVersions } from '../db/schema.ts';
import { unprocessable } from '../lib/problem.ts';
import type { RentalInput } from './rentals.schemas.ts';
import { newInvitationToken } from './tokens.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type BranchRef = RentalInput['pickupBranch'];

export const DEFAULT_LINK_EXPIRY_DAYS = 14;

async function resolveBranch(tx: Tx, ref: BranchRef, field: string): Promise<string> {
  if (typeof ref === 'string') {
    const [row] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.code, ref));
    if (!row) throw unprocessable('Unknown branch', [{ path: field, message: `no branch with code "${ref}"` }]);
    return row.id;
  }
  const [row] = await tx
    .insert(branches)
    .values({ code: ref.code, name: ref.name, nameEn: ref.nameEn, city: ref.city, region: ref.region, timeZone: ref.timeZone })
    .onConflictDoUpdate({
      target: branches.code,
      set: { name: ref.name, nameEn: ref.nameEn ?? null, city: ref.city, region: ref.region, ...(ref.timeZone ? { timeZone: ref.timeZone } : {}) },
    })
    .returning({ id: branches.id });
  return row.id;
}

async function upsertCustomer(tx: Tx, input: RentalInput['customer']): Promise<string> {
  const fields = {
    name: input.name,
    email: input.email?.toLowerCase(),
    phone: input.phone,
    preferredLanguage: input.preferredLanguage,
    consentEmail: input.consentEmail,
    consentSms: input.consentSms,
    customerType: input.customerType,
    memberLevel: input.memberLevel,
  };
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const [row] = await tx
    .insert(customers)
    .values({ externalId: input.externalId, ...given })
    .onConflictDoUpdate({ target: customers.externalId, set: { ...given, updatedAt: sql`now()` } })
    .returning({ id: customers.id });
  return row.id;
}

/** The survey rental invitations go to: the active post-rental survey, at its newest version. */
export async function currentPostRentalVersion(tx: Tx | Database) {
  const [row] = await tx
    .select({ surveyId: surveys.id, versionId: surveyVersions.id })
    .from(surveys)
    .innerJoin(surveyVersions, eq(surveyVersions.surveyId, surveys.id))
    .where(and(eq(surveys.kind, 'post_rental'), eq(surveys.status, 'active')))
    .orderBy(desc(surveys.createdAt), desc(surveyVersions.version))
    .limit(1);
  return row;
}

export interface IngestResult {
  rentalId: string;
  created: boolean;
  invitation: { id: string; status: string; expiresAt: string; token?: string } | null;
  reason?: string;
}

/** Stores one finished rental (idempotent by external id) and invites its customer once. */
export async function ingestRental(db: Database, input: RentalInput, now: Date): Promise<IngestResult> {
  return db.transaction(async (tx) => {
    const pickupBranchId = await resolveBranch(tx, input.pickupBranch, 'pickupBranch');
    const returnBranchId =
      JSON.stringify(input.returnBranch) === JSON.stringify(input.pickupBranch)
        ? pickupBranchId
        : await resolveBranch(tx, input.returnBranch, 'returnBranch');
    const customerId = await upsertCustomer(tx, input.customer);

    const [inserted] = await tx
      .insert(rentals)
      .values({
        externalId: input.externalId,
        customerId,
        pickupBranchId,
        returnBranchId,
        vehicleClass: input.vehicleClass,
        pickedUpAt: new Date(input.pickedUpAt),
        returnedAt: new Date(input.returnedAt),
        amount: input.amount,
        bookingChannel: input.bookingChannel,
      })
      .onConflictDoNothing({ target: rentals.externalId })
      .returning({ id: rentals.id });

    if (!inserted) {
      const [existing] = await tx.select({ id: rentals.id }).from(rentals).where(eq(rentals.externalId, input.externalId));
      const [invitation] = await tx
        .select({ id: invitations.id, status: invitations.status, expiresAt: invitations.expiresAt })
        .from(invitations)
        .where(eq(invitations.rentalId, existing.id))
        .limit(1);
      return {
        rentalId: existing.id,
        created: false,
        invitation: invitation ? { ...invitation, expiresAt: invitation.expiresAt.toISOString() } : null,
        reason: invitation ? undefined : 'not_invited',
      };
    }

    const target = await currentPostRentalVersion(tx);
    if (!target) return { rentalId: inserted.id, created: true, invitation: null, reason: 'no_active_post_rental_survey' };

    const { token, tokenHash } = newInvitationToken();
    const expiresAt = new Date(now.getTime() + DEFAULT_LINK_EXPIRY_DAYS * 86_400_000);
    const [invitation] = await tx
      .insert(invitations)
      .values({
        surveyId: target.surveyId,
        surveyVersionId: target.versionId,
        rentalId: inserted.id,
        customerId,
        // The pick-up branch owns the experience: counter, vehicle hand-over and contract.
        branchId: pickupBranchId,
        tokenHash,
        channel: 'link',
        status: 'sent',
        scheduledAt: now,
        sentAt: now,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: invitations.id, status: invitations.status });
    return {
      rentalId: inserted.id,
      created: true,
      invitation: { id: invitation.id, status: invitation.status, expiresAt: expiresAt.toISOString(), token },
    };
  });
}
