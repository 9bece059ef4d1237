// The SQL of rule evaluation (evaluate.ts): a survey's enabled rules, what the rules look at for one
// response, and the case a match opens.
import { and, eq } from 'drizzle-orm';
import { alertRules, branches, cases, customers, rentals, responses, surveyVersions } from '../db/schema.ts';
import type { Executor } from './assignment.ts';

export async function enabledRules(db: Executor, surveyId: string) {
  return db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.surveyId, surveyId), eq(alertRules.enabled, true)))
    .orderBy(alertRules.createdAt);
}

/** The customer, rental and branch facts alert-rule filters look at (null where the response has none). */
export async function attributes(db: Executor, ids: { customerId: string | null; rentalId: string | null; branchId: string | null }) {
  const [customer] = ids.customerId
    ? await db
        .select({ valueTier: customers.valueTier, customerType: customers.customerType, memberLevel: customers.memberLevel })
        .from(customers)
        .where(eq(customers.id, ids.customerId))
    : [];
  const [rental] = ids.rentalId
    ? await db
        .select({ vehicleClass: rentals.vehicleClass, bookingChannel: rentals.bookingChannel, amount: rentals.amount })
        .from(rentals)
        .where(eq(rentals.id, ids.rentalId))
    : [];
  const [branch] = ids.branchId
    ? await db
        .select({ id: branches.id, code: branches.code, region: branches.region, timeZone: branches.timeZone })
        .from(branches)
        .where(eq(branches.id, ids.branchId))
    : [];
  return { customer: customer ?? null, rental: rental ? { ...rental, amount: Number(rental.amount) } : null, branch: branch ?? null };
}

/** A response with its survey version's definition. */
export async function responseForRules(db: Executor, responseId: string) {
  const [response] = await db
    .select({
      id: responses.id,
      status: responses.status,
      surveyId: responses.surveyId,
      customerId: responses.customerId,
      rentalId: responses.rentalId,
      branchId: responses.branchId,
      definition: surveyVersions.definition,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .where(eq(responses.id, responseId));
  return response ?? null;
}

/** Inserts the case unless one with its idempotency key exists; null then. */
export async function insertCaseOnce(db: Executor, values: typeof cases.$inferInsert) {
  const [created] = await db.insert(cases).values(values).onConflictDoNothing().returning();
  return created ?? null;
}
