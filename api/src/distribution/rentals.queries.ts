import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { surveys, surveyVersions } from '../db/schema.ts';
import { txSql, type SqlClient } from '../queue/queue.ts';
import { ingestRentals, type IngestContext, type IngestSummary, type RentalRow, type RowResult, type TargetSurvey } from './ingest.ts';
import type { RentalInput } from './rentals.schemas.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * The surveys rental invitations go to: every active, published post-rental survey (each gets the rentals
 * its invitation targets match; see targeting.ts for the priority among them).
 */
export async function surveysReceivingRentals(tx: Tx | Database): Promise<Set<string>> {
  const rows = await tx
    .selectDistinct({ surveyId: surveys.id })
    .from(surveys)
    .innerJoin(surveyVersions, eq(surveyVersions.surveyId, surveys.id))
    .where(and(eq(surveys.kind, 'post_rental'), eq(surveys.status, 'active')));
  return new Set(rows.map((r) => r.surveyId));
}

export function rentalRowFromInput(input: RentalInput): RentalRow {
  return { ...input, pickedUpAt: new Date(input.pickedUpAt), returnedAt: new Date(input.returnedAt) };
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure

async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

function databaseMessage(error: unknown): string {
  const e = error as { message?: string; detail?: string };
  return [e.message, e.detail].filter(Boolean).join(': ') || 'could not be stored';
}

/**
 * Ingests a batch in one transaction, with `after` (e.g. an import's progress) in the same transaction.
 * When the batch fails as a whole, it is run again with one savepoint per row so that the rows the
 * database refuses are rejected and the others are stored.
 */
export async function ingestBatch(
  db: Database,
  ctx: IngestContext,
  rows: RentalRow[],
  after?: (sql: SqlClient, summary: IngestSummary) => Promise<void>,
  targets?: TargetSurvey[],
): Promise<IngestSummary> {
  return retrying(async () => {
    try {
      return await db.transaction(async (tx) => {
        const sql = txSql(tx);
        const summary = await ingestRentals(sql, ctx, rows, targets);
        await after?.(sql, summary);
        return summary;
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code && RETRYABLE.has(code)) || rows.length === 1 || !(error as { severity?: string }).severity) throw error;
      return db.transaction(async (tx) => {
        const sql = txSql(tx) as SqlClient & { savepoint: <T>(cb: (s: SqlClient) => Promise<T>) => Promise<T> };
        const results: RowResult[] = [];
        let invitationsCreated = 0;
        for (const row of rows) {
          try {
            const one = await sql.savepoint((sp) => ingestRentals(sp, ctx, [row], targets));
            results.push(one.results[0]);
            invitationsCreated += one.invitationsCreated;
          } catch (rowError) {
            if (!(rowError as { severity?: string }).severity) throw rowError;
            results.push({ status: 'rejected', reason: 'database_error', errors: [{ path: '(row)', message: databaseMessage(rowError) }] });
          }
        }
        const summary = { results, invitationsCreated };
        await after?.(sql, summary);
        return summary;
      });
    }
  });
}
