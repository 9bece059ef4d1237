import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Any constant shared by every instance: two processes starting together migrate one after the other.
const MIGRATION_LOCK_KEY = 7_311_002;

/**
 * Migrations are recorded where drizzle records them (drizzle.__drizzle_migrations: sha256 of the file,
 * created_at = the journal's `when`), so databases migrated by drizzle's own migrator carry on unchanged.
 */
const MIGRATIONS_SCHEMA = 'drizzle';
const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface MigrationFile {
  tag: string;
  /** File name inside the migrations folder, for messages. */
  file: string;
  /** The journal's `when` (ms); what drizzle stores as created_at and orders by. */
  when: number;
  hash: string;
  statements: string[];
}

export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The database carries a migration newer than any this code ships: it was upgraded by a newer version. */
export class NewerSchemaError extends MigrationError {
  override name = 'NewerSchemaError';
}

// Statements PostgreSQL refuses inside a transaction block; a migration holding one could not be all-or-nothing.
const OUTSIDE_TRANSACTION_ONLY = /\b(create|drop|reindex)\s+(unique\s+)?index\s+concurrently\b|\bvacuum\b|\balter\s+system\b|\b(create|drop)\s+database\b/i;

/** Reads the journal and every migration file it names, the way drizzle's migrator does (same hashes). */
export function readMigrations(folder: string = migrationsFolder): MigrationFile[] {
  const journalPath = path.join(folder, 'meta', '_journal.json');
  if (!existsSync(journalPath)) throw new MigrationError(`No migration journal at ${journalPath}`);
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string; when: number }[] };
  const migrations: MigrationFile[] = [];
  for (const entry of journal.entries) {
    const file = `${entry.tag}.sql`;
    const full = path.join(folder, file);
    if (!existsSync(full)) throw new MigrationError(`Migration ${file} is listed in meta/_journal.json but missing from ${folder}`);
    const text = readFileSync(full, 'utf8');
    const previous = migrations.at(-1);
    if (previous && entry.when <= previous.when) {
      throw new MigrationError(`Migration ${file} is not newer than ${previous.file} in meta/_journal.json ("when" must increase)`);
    }
    const statements = text.split('--> statement-breakpoint');
    for (const statement of statements) {
      if (OUTSIDE_TRANSACTION_ONLY.test(stripComments(statement))) {
        throw new MigrationError(
          `Migration ${file} holds a statement PostgreSQL cannot run inside a transaction (${stripComments(statement).trim().slice(0, 80)}); move it out of the migrations so they stay all-or-nothing`,
        );
      }
    }
    migrations.push({ tag: entry.tag, file, when: entry.when, hash: createHash('sha256').update(text).digest('hex'), statements });
  }
  return migrations;
}

function stripComments(statement: string) {
  return statement.replace(/--[^\n]*/g, '');
}

/** Applied migrations in order, or [] when the database has none (no table yet). */
export async function readAppliedMigrations(sql: postgres.Sql): Promise<AppliedMigration[]> {
  const [table] = await sql`select to_regclass(${`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`}) as present`;
  if (!table?.present) return [];
  const rows = await sql<{ hash: string; created_at: string | null }[]>`
    select hash, created_at from ${sql(MIGRATIONS_SCHEMA)}.${sql(MIGRATIONS_TABLE)} order by created_at, id`;
  return rows.map((row) => ({ hash: row.hash, createdAt: Number(row.created_at ?? 0) }));
}

const isoDate = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Throws NewerSchemaError when the applied migrations go beyond what this code knows. */
export function assertSchemaNotNewer(applied: AppliedMigration[], known: MigrationFile[], subject: 'database' | 'backup' = 'database') {
  const newestKnown = known.at(-1);
  const newestApplied = applied.at(-1);
  if (!newestApplied || !newestKnown || newestApplied.createdAt <= newestKnown.when) return;
  const knownHashes = new Set(known.map((m) => m.hash));
  const unknown = applied.filter((m) => m.createdAt > newestKnown.when && !knownHashes.has(m.hash)).length;
  const lead = subject === 'database' ? 'the database was upgraded by a newer version' : 'this backup was made by a newer version';
  const advice = subject === 'database' ? 'run that version or restore a backup.' : 'restore it with that version.';
  throw new NewerSchemaError(
    `Refusing to continue: ${lead} (${unknown} migration${unknown === 1 ? '' : 's'} this version does not ship, ` +
      `the newest from ${isoDate(newestApplied.createdAt)}; this version's newest is ${newestKnown.file} from ${isoDate(newestKnown.when)}); ` +
      advice,
  );
}

export interface MigrationOptions {
  folder?: string;
  /** Apply everything in the transaction, then roll it back: shows what would run and that it runs. */
  dryRun?: boolean;
}

export interface MigrationResult {
  /** File names applied (or, in a dry run, that would be). */
  applied: string[];
  dryRun: boolean;
}

class DryRunRollback extends Error {}

/**
 * Applies the pending migrations, serialised across processes by a PostgreSQL advisory lock, all of them
 * in ONE transaction: a failing statement leaves the database exactly as it was, and the error names the
 * file. Refuses a database that a newer version of the application has already migrated.
 */
export async function applyMigrations(url: string, options: MigrationOptions = {}): Promise<MigrationResult> {
  const migrations = readMigrations(options.folder ?? migrationsFolder);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      const applied = await readAppliedMigrations(sql);
      assertSchemaNotNewer(applied, migrations);
      // drizzle's rule: everything newer than the last applied migration is pending.
      const last = applied.at(-1)?.createdAt ?? Number.NEGATIVE_INFINITY;
      const pending = migrations.filter((m) => m.when > last);
      const result: MigrationResult = { applied: pending.map((m) => m.file), dryRun: Boolean(options.dryRun) };
      if (pending.length === 0) return result;
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(`create schema if not exists "${MIGRATIONS_SCHEMA}"`);
          await tx.unsafe(
            `create table if not exists "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" (id serial primary key, hash text not null, created_at bigint)`,
          );
          for (const migration of pending) {
            for (const [index, statement] of migration.statements.entries()) {
              if (!stripComments(statement).trim()) continue;
              try {
                await tx.unsafe(statement);
              } catch (error) {
                const e = error as { message?: string; code?: string };
                throw new MigrationError(
                  `Migration ${migration.file} failed at statement ${index + 1} of ${migration.statements.length}` +
                    `${e.code ? ` (SQLSTATE ${e.code})` : ''}: ${e.message ?? String(error)}. ` +
                    `Nothing was applied: the ${pending.length} pending migration${pending.length === 1 ? '' : 's'} ran in one transaction, which was rolled back.`,
                );
              }
            }
            await tx`insert into ${tx(MIGRATIONS_SCHEMA)}.${tx(MIGRATIONS_TABLE)} (hash, created_at) values (${migration.hash}, ${migration.when})`;
          }
          if (options.dryRun) throw new DryRunRollback();
        });
      } catch (error) {
        if (error instanceof DryRunRollback) return result;
        throw error;
      }
      return result;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    }
  } finally {
    await sql.end();
  }
}
